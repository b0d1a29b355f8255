export declare const SYSTEM_HEADLESS_SHELL_PATHS: readonly string[];
export declare const SYSTEM_CHROMIUM_PATHS: readonly string[];
export declare const INSTALL_HINT: string;
export declare function playwrightChromium(): string | undefined;
export declare function systemChromium(): string | undefined;
export declare function systemHeadlessShell(): string | undefined;

// Where a usable Chromium can be: shared by the install step (ensure-chromium.mjs) and the
// Playwright config (lib/browser.ts), so both agree on what "found" means.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * Debian's headless-only build of its Chromium (package chromium-headless-shell), preferred: the suite
 * always runs headless, and this build needs about half the CPU of the full browser per login (measured
 * in docs/performance.md). Playwright's own browser download uses its headless shell the same way.
 */
export const SYSTEM_HEADLESS_SHELL_PATHS = ['/usr/bin/chromium-headless-shell'];

export const SYSTEM_CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
];

export const INSTALL_HINT =
  'No Chromium was found for Playwright. Install one with `npx playwright install chromium`, ' +
  'or on Debian/Ubuntu `sudo apt-get install -y chromium`, or point BB2_CHROMIUM_PATH at a Chromium binary.';

/** Playwright's own downloaded Chromium, if it is on disk. */
export function playwrightChromium() {
  try {
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** The system's headless shell if installed, else its full Chromium. */
export function systemChromium() {
  return [...SYSTEM_HEADLESS_SHELL_PATHS, ...SYSTEM_CHROMIUM_PATHS].find((path) => existsSync(path));
}

export function systemHeadlessShell() {
  return SYSTEM_HEADLESS_SHELL_PATHS.find((path) => existsSync(path));
}

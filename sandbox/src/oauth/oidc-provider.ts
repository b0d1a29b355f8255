/**
 * oidc-provider, loaded quietly. Version 9 prints "Unsupported runtime. Use Node.js v22.x LTS" once
 * at import on Node 20. This project runs on Node 20 (the platform's version); the parts of the
 * library it uses are covered by sandbox/test/oauth*.test.ts there, and the line would otherwise
 * appear in every run of the suite. Only that exact warning is held back; every other one passes.
 */
import type ProviderClass from 'oidc-provider';

const RUNTIME_WARNING = 'oidc-provider WARNING: Unsupported runtime';

async function importQuietly(): Promise<typeof ProviderClass> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes(RUNTIME_WARNING)) return;
    warn(...args);
  };
  try {
    return (await import('oidc-provider')).default;
  } finally {
    console.warn = warn;
  }
}

/** The Provider class (value) and an instance of it (type), as `import Provider from 'oidc-provider'` gives. */
export const Provider: typeof ProviderClass = await importQuietly();
export type Provider = ProviderClass;

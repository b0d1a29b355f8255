/**
 * Which Chromium the suite drives, and with which flags. Playwright's own browser where it was
 * downloaded; else the system's Chromium (Debian's package on machines that cannot download), with
 * the flags that keep it quiet on a closed network (reference: tooling-notes.md); else one clear
 * message. The search order is shared with the install step (scripts/chromium-paths.mjs).
 */
import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';
import { INSTALL_HINT, playwrightChromium, systemChromium } from '../scripts/chromium-paths.mjs';

const SYSTEM_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export class BrowserNotFoundError extends Error {
  override name = 'BrowserNotFoundError';
}

export function chromiumLaunchOptions(env: NodeJS.ProcessEnv = process.env): LaunchOptions {
  const configured = env.BB2_CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new BrowserNotFoundError(`BB2_CHROMIUM_PATH=${configured} does not exist. ${INSTALL_HINT}`);
    return { executablePath: configured, args: SYSTEM_CHROMIUM_ARGS };
  }
  if (playwrightChromium()) return {};
  const system = systemChromium();
  if (system) return { executablePath: system, args: SYSTEM_CHROMIUM_ARGS };
  throw new BrowserNotFoundError(INSTALL_HINT);
}

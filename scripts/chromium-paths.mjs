// Where a usable Chromium can be: shared by the install step (ensure-chromium.mjs) and the
// Playwright config (lib/browser.ts), so both agree on what "found" means.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

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

export function systemChromium() {
  return SYSTEM_CHROMIUM_PATHS.find((path) => existsSync(path));
}

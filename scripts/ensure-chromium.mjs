// npm postinstall: make sure Playwright has a Chromium to drive, without manual steps.
// Order: Playwright's own browser (downloaded if possible), else the system's Chromium (installed
// through apt on Debian/Ubuntu when running as root), else one clear message naming the command.
// It never fails the install: playwright.config.ts reports the same message if no browser is found.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { INSTALL_HINT, playwrightChromium, systemChromium, systemHeadlessShell } from './chromium-paths.mjs';

const say = (message) => console.log(`[bb2-conformance] ${message}`);

function run(command, args, timeoutMs) {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: timeoutMs,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

const canApt = () => process.platform === 'linux' && typeof process.getuid === 'function' && process.getuid() === 0 && existsSync('/usr/bin/apt-get');

/** apt-get install, with one `apt-get update` and retry if the package lists are stale. */
function aptInstall(packages) {
  const install = () => run('apt-get', ['install', '-y', '-q', ...packages], 600_000);
  return install() || (run('apt-get', ['update', '-q'], 600_000) && install());
}

/** The system's headless shell next to its Chromium: about half the CPU per login (docs/performance.md). Optional. */
function addHeadlessShell() {
  if (systemHeadlessShell() || !canApt()) return;
  say('installing chromium-headless-shell, the lighter headless build of the same Chromium, with apt-get...');
  if (aptInstall(['chromium-headless-shell']) && systemHeadlessShell()) say(`installed ${systemHeadlessShell()}.`);
  else say('chromium-headless-shell could not be installed; the full Chromium is used (slower).');
}

function main() {
  if (process.env.BB2_SKIP_BROWSER_INSTALL === '1') return say('BB2_SKIP_BROWSER_INSTALL=1: not checking for Chromium.');
  if (process.env.BB2_CHROMIUM_PATH) {
    return existsSync(process.env.BB2_CHROMIUM_PATH)
      ? say(`using BB2_CHROMIUM_PATH=${process.env.BB2_CHROMIUM_PATH}`)
      : say(`BB2_CHROMIUM_PATH=${process.env.BB2_CHROMIUM_PATH} does not exist. ${INSTALL_HINT}`);
  }
  const own = playwrightChromium();
  if (own) return say(`Playwright's Chromium is installed (${own}).`);

  say("downloading Playwright's Chromium...");
  if (run(process.execPath, ['node_modules/@playwright/test/cli.js', 'install', 'chromium'], 600_000) && playwrightChromium()) {
    return say("Playwright's Chromium installed.");
  }
  if (systemChromium()) {
    addHeadlessShell();
    return say(`Playwright's Chromium could not be downloaded; using the system's Chromium at ${systemChromium()}.`);
  }

  if (canApt()) {
    say("Playwright's Chromium could not be downloaded; installing the system's Chromium with apt-get (about 30 s)...");
    const installed = aptInstall(['chromium', 'chromium-headless-shell']) || aptInstall(['chromium']);
    const found = systemChromium();
    if (installed && found) return say(`installed the system's Chromium at ${found}.`);
  }
  say(INSTALL_HINT);
}

main();

/**
 * The whole suite as a user runs it, and what its time and reports are made of:
 *   - `npx playwright test` with the configured reporters (embedded sandbox, every check) into a temporary
 *     reports folder: wall time, CPU time of the run's processes, start-up (webServer and globalSetup),
 *     the browser authorizations' p50/p95 under the run's own load, the slowest checks;
 *   - the reports it wrote: allure-results, the HTML report, and the Allure single file `npm run report`
 *     renders from them;
 *   - token acquisition alone: sequential authorizations through the suite's browser flow (login, consent,
 *     code exchange) against an embedded sandbox, beside the time the server took to answer its hops
 *     (time to first byte of each page request the browser made, and of the exchange).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, request as playwrightRequest, type Request } from '@playwright/test';
import { authorizeInBrowser } from '../../fixtures/browser-authorization.js';
import { chromiumLaunchOptions } from '../../lib/browser.js';
import { credentialsFor, REPO_ROOT } from '../../lib/config.js';
import { createOAuthClient } from '../../lib/oauth/client.js';
import { Secret } from '../../lib/oauth/secret.js';
import { bb2Endpoints } from '../../lib/oauth/endpoints.js';
import type { RunTimings } from '../../lib/reporting/timing-reporter.js';
import { startSandbox } from '../../sandbox/src/server.js';
import type { BenchSection, Figure } from './figures.js';

type Record = (figure: Figure) => void;

const mib = (bytes: number) => bytes / 1024 / 1024;

/** The p-th percentile (0-100) of values, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

function sizeOf(target: string): number {
  let stats;
  try {
    stats = statSync(target);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(target).reduce((sum, name) => sum + sizeOf(path.join(target, name)), 0);
}

/** Linux's clock ticks per second, the unit of /proc's CPU times. */
function clockTicks(): number {
  return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
}

/** CPU seconds of this process's waited-for children (Linux /proc: cutime + cstime); undefined elsewhere. */
function childrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / clockTicks();
  } catch {
    return undefined;
  }
}

/**
 * Busy CPU seconds of the whole machine so far (Linux /proc/stat: every state but idle and iowait);
 * undefined elsewhere. It counts what `childrenCpuSeconds` cannot: Chromium's renderers, which its zygote
 * forks away from the run's process tree, so they are never waited for by the run (docs/performance.md,
 * section 7). It counts everything else the machine does too: run the bench on an idle machine.
 */
function machineBusySeconds(): number | undefined {
  try {
    const [label, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
    if (label !== 'cpu') return undefined;
    const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
    return [user, nice, system, irq, softirq, steal].reduce((sum: number, value) => sum + (value ?? 0), 0) / clockTicks();
  } catch {
    return undefined;
  }
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function measureSuite(record: Record, reportsDir: string): Promise<void> {
  const timingsFile = path.join(reportsDir, 'timings.json');
  const env = { ...process.env, BB2_REPORTS_DIR: reportsDir, BB2_TIMINGS_FILE: timingsFile, FORCE_COLOR: '0', CI: '' };
  const cpuBefore = childrenCpuSeconds();
  const machineBefore = machineBusySeconds();
  const started = performance.now();
  const suite = await run(process.execPath, [path.join(REPO_ROOT, 'node_modules/@playwright/test/cli.js'), 'test'], env);
  const wall = (performance.now() - started) / 1000;
  const cpuAfter = childrenCpuSeconds();
  const machineAfter = machineBusySeconds();
  const summary = /^\s*(\d+ passed.*|\d+ failed.*)$/m.exec(suite.output)?.[1] ?? `exit code ${suite.code}`;
  record({ key: 'suite.wall-s', label: 'npx playwright test (configured reporters), wall', value: wall, unit: 's', lowerIsBetter: true, note: summary.trim() });
  if (cpuBefore !== undefined && cpuAfter !== undefined) {
    record({ key: 'suite.cpu-s', label: '  CPU time of its waited-for processes (runner, workers, browser processes, sandbox)', value: cpuAfter - cpuBefore, unit: 's', lowerIsBetter: true, note: `${os.cpus().length} cores` });
  }
  if (machineBefore !== undefined && machineAfter !== undefined) {
    record({ key: 'suite.machine-cpu-s', label: "  the machine's busy CPU time during the run (Chromium's renderers included)", value: machineAfter - machineBefore, unit: 's', lowerIsBetter: true, note: 'on an idle machine, the run\'s whole CPU' });
  }
  if (suite.code !== 0) console.log(`  the run failed; its last output:\n${suite.output.slice(-2000)}`);

  const timings = JSON.parse(readFileSync(timingsFile, 'utf8')) as RunTimings;
  record({ key: 'suite.startup-s', label: '  start-up before the first test (webServer, globalSetup)', value: timings.startupMs / 1000, unit: 's', lowerIsBetter: true });
  const authorizations = timings.tests.flatMap((test) => test.authorizationsMs);
  record({ key: 'suite.authorize-p50-ms', label: '  browser authorization in the run, p50', value: percentile(authorizations, 50), unit: 'ms', lowerIsBetter: true, note: `${authorizations.length} in test steps` });
  record({ key: 'suite.authorize-p95-ms', label: '  browser authorization in the run, p95', value: percentile(authorizations, 95), unit: 'ms', lowerIsBetter: true });
  const slowest = [...timings.tests].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5);
  console.log(`  slowest checks: ${slowest.map((test) => `${(test.durationMs / 1000).toFixed(1)} s ${path.basename(test.file)} › ${test.title.slice(0, 60)}`).join('\n                  ')}`);

  record({ key: 'reports.allure-results-mib', label: 'allure-results of the run', value: mib(sizeOf(path.join(reportsDir, 'allure-results'))), unit: 'MiB', lowerIsBetter: true });
  record({ key: 'reports.html-mib', label: 'HTML report of the run', value: mib(sizeOf(path.join(reportsDir, 'html'))), unit: 'MiB', lowerIsBetter: true });
  const report = await run(process.execPath, [path.join(REPO_ROOT, 'scripts/report.mjs'), '--no-open'], env);
  if (report.code === 0) {
    record({ key: 'reports.allure-single-file-mib', label: 'Allure single file (npm run report -- --no-open)', value: mib(sizeOf(path.join(reportsDir, 'allure-report', 'index.html'))), unit: 'MiB', lowerIsBetter: true });
  } else {
    console.log(`  npm run report failed: ${report.output.slice(-500)}`);
  }
}

/** Time to first byte of a finished request: how long the server took to start answering it. */
function serverMs(request: Request): number {
  const timing = request.timing();
  return timing.responseStart >= 0 && timing.requestStart >= 0 ? timing.responseStart - timing.requestStart : 0;
}

async function measureTokenAcquisition(record: Record, count: number): Promise<void> {
  const sandbox = await startSandbox({ port: 0, host: '127.0.0.1', logLevel: 'silent' });
  const browser = await chromium.launch(chromiumLaunchOptions());
  const api = await playwrightRequest.newContext();
  try {
    const { client } = sandbox.context.settings;
    const redirectUri = client.redirectUris[0] as string;
    const endpoints = bb2Endpoints(sandbox.url, 'v1');
    const oauth = createOAuthClient(api, endpoints, { clientId: client.id, clientSecret: new Secret(client.secret, 'client secret') });
    const totals: number[] = [];
    const servers: number[] = [];
    for (let index = 0; index < count; index += 1) {
      const started = performance.now();
      const context = await browser.newContext();
      const page = await context.newPage();
      let server = 0;
      page.on('requestfinished', (request) => (server += serverMs(request)));
      const authorization = await authorizeInBrowser({
        page,
        endpoints,
        clientId: client.id,
        redirectUri,
        user: credentialsFor(`BBUser${String(400 + index).padStart(5, '0')}`),
        timeoutMs: 30_000,
      });
      await context.close();
      if (authorization.kind !== 'code') throw new Error(`authorization ${index + 1} ended with ${authorization.error}`);
      const exchangeStarted = performance.now();
      const exchanged = await oauth.exchangeCode({ code: authorization.code, codeVerifier: authorization.verifier, redirectUri });
      if (exchanged.status !== 200) throw new Error(`exchange ${index + 1} answered ${exchanged.status}`);
      // The exchange is an API request over loopback: its whole time is the server's, near enough.
      server += performance.now() - exchangeStarted;
      totals.push(performance.now() - started);
      servers.push(server);
    }
    const note = `${count} in a row, each in a new context`;
    record({ key: 'token.browser-p50-ms', label: 'token through the browser (context, login, consent, exchange), p50', value: percentile(totals, 50), unit: 'ms', lowerIsBetter: true, note });
    record({ key: 'token.browser-p95-ms', label: 'token through the browser, p95', value: percentile(totals, 95), unit: 'ms', lowerIsBetter: true });
    record({ key: 'token.server-p50-ms', label: '  of which the server answering its hops (TTFB), p50', value: percentile(servers, 50), unit: 'ms', lowerIsBetter: true });
    record({ key: 'token.server-p95-ms', label: '  of which the server answering its hops (TTFB), p95', value: percentile(servers, 95), unit: 'ms', lowerIsBetter: true });
  } finally {
    await api.dispose();
    await browser.close();
    await sandbox.close();
  }
}

export const suiteSection: BenchSection = {
  name: 'suite',
  title: 'The whole suite (npx playwright test), its reports, and token acquisition',
  async run(record) {
    const reportsDir = mkdtempSync(path.join(os.tmpdir(), 'bb2-bench-suite-'));
    try {
      await measureSuite(record, reportsDir);
    } finally {
      rmSync(reportsDir, { recursive: true, force: true });
    }
    await measureTokenAcquisition(record, 20);
  },
};

// npm postinstall, after ensure-chromium.mjs: builds now what the first `npx playwright test` would
// otherwise build before its first check, with one core idle (about 5 s on 2 cores, docs/performance.md §12):
// - the embedded sandbox's bundle (sandbox/start-bundled.mjs --build);
// - the FHIR validator cache: both releases' schema code and V8's compiled form (lib/validation/code-cache.ts);
// - Playwright's compiled copies of the configuration, fixtures and checks (`playwright test --list`, which
//   loads them through Playwright's own transform and cache without running anything or writing a report).
// Each is only a head start: a run builds whatever is missing or stale itself. So a step that fails says
// so in one line and the install goes on; BB2_SKIP_WARMUP=1 skips them all.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const say = (message) => console.log(`[bb2-conformance] ${message}`);

const STEPS = [
  { what: "the embedded sandbox's bundle", args: ['sandbox/start-bundled.mjs', '--build'] },
  { what: 'the FHIR validator cache', args: ['--import', 'tsx', 'scripts/warm-validator-cache.ts'], showOutput: true },
  { what: "Playwright's compiled copies of the checks", args: ['node_modules/@playwright/test/cli.js', 'test', '--list', '--reporter=null'] },
];

/** The start of what a step printed on failure: its first line, and the next when the first ends with a colon. */
function firstLine(text) {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return (lines[0]?.endsWith(':') ? lines.slice(0, 2) : lines.slice(0, 1)).join(' ');
}

function main() {
  if (process.env.BB2_SKIP_WARMUP === '1') return say('BB2_SKIP_WARMUP=1: the first run builds its caches itself.');
  const started = performance.now();
  let prepared = 0;
  for (const step of STEPS) {
    // Only the validator's lines are shown; the listing of the checks is neither shown nor kept.
    const result = spawnSync(process.execPath, step.args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', step.showOutput ? 'pipe' : 'ignore', 'pipe'], timeout: 300_000 });
    if (step.showOutput && result.stdout) for (const line of result.stdout.trim().split('\n')) if (line) say(line);
    if (result.status === 0) {
      prepared += 1;
      continue;
    }
    const detail = firstLine(result.stderr ?? '') || firstLine(result.stdout ?? '');
    const reason = result.error ? result.error.message : `exit ${result.status ?? result.signal}${detail ? `: ${detail}` : ''}`;
    say(`${step.what} not prepared (${reason}); the first run prepares it.`);
  }
  say(`prepared ${prepared} of ${STEPS.length} caches for the first run in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

main();

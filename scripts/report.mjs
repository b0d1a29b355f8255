// `npm run report [-- --no-open]`: renders the Allure 3 report of the last run (reports/allure-results)
// and of the last self-test (reports/selftest/allure-results, the epic "Self-test", selftest/allure.ts)
// as one HTML file that opens from disk (allurerc.mjs: singleFile), prints its path, then serves it on
// 127.0.0.1 until Ctrl-C. --no-open (CI) stops after rendering.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reportsDir = path.resolve(root, process.env.BB2_REPORTS_DIR ?? 'reports');
const suiteResults = path.join(reportsDir, 'allure-results');
const selftestResults = path.join(reportsDir, 'selftest', 'allure-results');
const hasResults = (dir) => existsSync(dir) && readdirSync(dir).some((file) => file.endsWith('-result.json'));
const results = [suiteResults, selftestResults].filter(hasResults);
const output = path.join(reportsDir, 'allure-report');
const allure = path.join(root, 'node_modules', 'allure', 'cli.js');
const open = !process.argv.includes('--no-open');

if (results.length === 0) {
  console.error(`No Allure results in ${path.relative(root, suiteResults)} or ${path.relative(root, selftestResults)}: run the suite (npx playwright test) or the self-test (npm run selftest) first.`);
  process.exit(2);
}
const started = Date.now();
const generated = spawnSync(process.execPath, [allure, 'generate', ...results, '--config', path.join(root, 'allurerc.mjs'), '--output', output], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, BB2_REPORTS_DIR: reportsDir },
});
if (generated.status !== 0) {
  console.error(`allure generate failed (exit code ${generated.status ?? generated.signal}).`);
  process.exit(generated.status ?? 1);
}
const index = path.join(output, 'index.html');
console.log(`\nAllure report (${((Date.now() - started) / 1000).toFixed(1)} s): ${index}\nOpen it from disk, or share that one file.`);
if (open) {
  console.log('Serving it now (Ctrl-C to stop):');
  spawn(process.execPath, [allure, 'open', output, '--config', path.join(root, 'allurerc.mjs')], { cwd: root, stdio: 'inherit' });
}

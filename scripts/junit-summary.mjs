// Nightly job summary (markdown on stdout, for $GITHUB_STEP_SUMMARY) from a Playwright JUnit report:
// counts, then each failed check (with the API version it ran for) under its cause (lib/reporting/failure-causes.mjs, as the Allure
// categories file them).
// Writes failed=<n> to $GITHUB_OUTPUT for the verdict job. Hand-written XML reading: the JUnit file has
// one flat shape (testsuite > testcase > failure) and the project has no XML parser to spare.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { FAILURE_CAUSES, failureCause } from '../lib/reporting/failure-causes.mjs';

const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const file = process.argv[2] ?? 'reports/junit.xml';
const unescape = (text) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');
const attribute = (tag, name) => unescape(new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1] ?? '');

function output(failed) {
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `failed=${failed}\n`);
}

if (!existsSync(file)) {
  console.log(`## BB2 conformance (nightly)\n\nNo JUnit report at \`${file}\`: the run stopped before any check (see the suite job's log; "target unavailable" means the sandbox did not answer).`);
  output('no report');
  process.exit(0);
}
const xml = readFileSync(file, 'utf8');
const groups = Object.fromEntries(FAILURE_CAUSES.map((cause) => [cause.name, []]));
let total = 0;
let skipped = 0;
// Each testsuite names its Playwright project in `hostname`: the API version a check ran for (v1, v2).
const projectBefore = (offset) => {
  const suites = [...xml.slice(0, offset).matchAll(/<testsuite\b([^>]*)>/g)];
  return suites.length === 0 ? '' : attribute(suites[suites.length - 1][1], 'hostname');
};
for (const match of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
  total += 1;
  const body = match[3] ?? '';
  if (/<skipped\b/.test(body)) skipped += 1;
  const failure = /<(failure|error)\b([^>]*)>([\s\S]*?)<\/\1>|<(failure|error)\b([^>]*)\/>/.exec(body);
  if (!failure) continue;
  const project = projectBefore(match.index);
  const title = `${project === '' ? '' : `[${project}] `}${attribute(match[1], 'classname')} › ${attribute(match[1], 'name')}`;
  const text = unescape(`${attribute(failure[2] ?? failure[5] ?? '', 'message')}\n${failure[3] ?? ''}`).replace(ANSI_COLOUR, '');
  const firstLine = text.split('\n').map((line) => line.trim()).find((line) => line.length > 0 && !/^\S+\.spec\.ts:\d+/.test(line)) ?? '';
  groups[failureCause(text).name].push(`- **${title}**: ${firstLine.slice(0, 300)}`);
}
const failed = Object.values(groups).reduce((sum, list) => sum + list.length, 0);
console.log(`## BB2 conformance (nightly)\n\n${total} checks: ${total - failed - skipped} passed, ${failed} failed, ${skipped} skipped.\n`);
for (const [name, lines] of Object.entries(groups)) {
  if (lines.length > 0) console.log(`### ${name} (${lines.length})\n\n${lines.join('\n')}\n`);
}
output(failed);

/**
 * docs/requirements.md, generated from the coverage (lib/requirements/coverage.ts): a summary by area
 * and by file, then every requirement with its strength, text, sources, the checks citing it, the
 * fault modes breaking it, and for untested ones the reason. Each requirement has an anchor named by its
 * id (#BB2-OAUTH-PKCE-01), which the Allure report links to. The output depends only on the repository
 * (no dates, no machine paths), so a unit test can compare it with the committed page.
 */
import { AREAS, STRENGTHS, type Requirement, type RequirementArea } from './catalogue.js';
import type { Check } from './checks.js';
import { isTested, type Coverage, type RequirementCoverage } from './coverage.js';

export const COVERAGE_PAGE = 'docs/requirements.md';

const AREA_TITLES: Readonly<Record<RequirementArea, string>> = {
  discovery: 'Discovery documents',
  oauth: 'OAuth 2.0 authorization',
  fhir: 'FHIR API',
  testclient: 'BB2 test client',
  validation: 'Resource validity (rules applied to every resource)',
};

/**
 * Text that must not turn into markup: HTML, emphasis, links, code. An underscore inside a word
 * (access_token) is no emphasis in GitHub's Markdown and stays as it is, for readable source text.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*[\]<>|]/g, (character) => (character === '<' ? '&lt;' : character === '>' ? '&gt;' : `\\${character}`))
    .replace(/_/g, (underscore, offset: number, whole: string) => (/[A-Za-z0-9]/.test(whole[offset - 1] ?? '') && /[A-Za-z0-9]/.test(whole[offset + 1] ?? '') ? underscore : '\\_'));
}

/** A code span, for paths and ids: nothing inside is markup. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

const GITHUB_BLOB = /^https:\/\/github\.com\/[^/]+\/([^/]+)\/blob\/[0-9a-f]{40}\/(.+)$/;
const RFC_SECTION = /^https:\/\/www\.rfc-editor\.org\/rfc\/rfc(\d+)(?:\.html)?(?:#section-(.+))?$/;

/** A source as a link whose text says what it is without following it. */
function sourceLink(source: Requirement['sources'][number]): string {
  const detail = source.detail === undefined ? '' : `: ${escapeMarkdown(source.detail)}`;
  if (source.path !== undefined) return `[${code(source.path)}](../${source.path})${detail}`;
  const url = source.url as string;
  const github = GITHUB_BLOB.exec(url);
  if (github) return `${github[1]} [${code(github[2] as string)}](${url})${detail}`;
  const rfc = RFC_SECTION.exec(url);
  if (rfc) return `[RFC ${rfc[1]}${rfc[2] === undefined ? '' : ` section ${rfc[2]}`}](${url})${detail}`;
  return `[${escapeMarkdown(url.replace(/^https?:\/\//, ''))}](${url})${detail}`;
}

/** A check's title without its project: "[v2] oauth/pkce.spec.ts › …" → "oauth/pkce.spec.ts › …". */
function titleWithoutProject(check: Check): string {
  return check.project !== '' && check.title.startsWith(`[${check.project}] `) ? check.title.slice(check.project.length + 3) : check.title;
}

/**
 * "oauth/pkce.spec.ts › PKCE › refuses …" as a link to the spec file and the rest of the title, with the
 * projects (API versions) that run it: one line for a check that runs in v1 and v2.
 */
function checkLines(checks: readonly Check[]): string[] {
  const projects = new Map<string, { file: string; projects: string[] }>();
  for (const check of checks) {
    const title = titleWithoutProject(check);
    const seen = projects.get(title) ?? { file: check.file, projects: [] };
    if (check.project !== '') seen.projects.push(check.project);
    projects.set(title, seen);
  }
  return [...projects]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([title, { file, projects: runIn }]) => {
      const rest = title.startsWith(`${file} › `) ? title.slice(file.length + 3) : title;
      const where = runIn.length === 0 ? '' : ` (${[...new Set(runIn)].sort().join(', ')})`;
      return `  - [${code(`tests/${file}`)}](../tests/${file}) › ${escapeMarkdown(rest)}${where}`;
    });
}

/** Checks counted once whatever the number of projects that run them. */
function distinctChecks(checks: readonly Check[]): number {
  return new Set(checks.map(titleWithoutProject)).size;
}

function statusWords(entry: RequirementCoverage): string {
  switch (entry.status.kind) {
    case 'tested': {
      const count = distinctChecks(entry.checks);
      return `tested by ${count} check${count === 1 ? '' : 's'}`;
    }
    case 'through':
      return `tested through ${entry.status.through}`;
    case 'untested':
      return 'untested';
    case 'uncovered':
      return 'NOT COVERED: cite it from a check or give the reason in "untested"';
  }
}

function renderEntry(entry: RequirementCoverage, coverage: Coverage): string[] {
  const { requirement, status } = entry;
  const lines = [
    `### <a id="${requirement.id}"></a>${requirement.id} ${escapeMarkdown(requirement.title)}`,
    '',
    `**${requirement.strength}** · ${statusWords(entry)} · ${requirement.file}`,
    '',
    escapeMarkdown(requirement.text),
    '',
  ];
  if (requirement.includes !== undefined) {
    const members = coverage.entries.filter((other) => requirement.includes?.some((prefix) => other.requirement.id.startsWith(prefix)));
    lines.push(`- Includes: every requirement whose id starts with ${requirement.includes.map((prefix) => `${prefix}`).join(', ')} (${members.length} in the catalogue): checks citing this one run the validator that enforces them.`);
  }
  lines.push(`- Sources: ${requirement.sources.map(sourceLink).join('; ')}`);
  if (entry.checks.length > 0) {
    lines.push('- Checks:', ...checkLines(entry.checks));
  } else if (status.kind === 'through') {
    const through = coverage.byId.get(status.through);
    lines.push(`- Checks: those citing [${status.through}](#${status.through}) (${distinctChecks(through?.checks ?? [])}), through the validator.`);
  }
  if (status.kind === 'untested') {
    lines.push(`- Untested: ${escapeMarkdown(status.reason)}${status.through === undefined ? '' : ` (through [${status.through}](#${status.through}))`}`);
  }
  if (entry.faults.length > 0) lines.push(`- Fault modes breaking it: ${entry.faults.map((fault) => `\`${fault}\``).join(', ')}`);
  lines.push('');
  return lines;
}

function counts(entries: readonly RequirementCoverage[]): string[] {
  const tested = entries.filter((entry) => isTested(entry.status)).length;
  return [
    String(entries.length),
    ...STRENGTHS.map((strength) => String(entries.filter((entry) => entry.requirement.strength === strength).length)),
    String(tested),
    String(entries.length - tested),
  ];
}

export function renderCoveragePage(coverage: Coverage): string {
  const areas = AREAS.filter((area) => coverage.entries.some((entry) => entry.requirement.area === area));
  const files = [...new Set(coverage.entries.map((entry) => entry.requirement.file))];
  const faulted = coverage.entries.filter((entry) => entry.faults.length > 0).length;
  const lines = [
    '# Requirements and what tests them',
    '',
    '<!-- Generated by `npm run coverage`; do not edit. lib/requirements/suite-citations.test.ts fails when it is out of date. -->',
    '',
    'Every rule the suite checks, from the catalogue in [requirements/](../requirements/README.md): BB2\'s own rules',
    '(BB2-…), the OAuth RFC sections they rely on (RFC…), and the FHIR rules the validators enforce. For each: how',
    'strong it is, where it comes from (public sources, pinned to a commit), the checks that cite it (the',
    '`requirement(…)` annotation of each check in tests/), the self-test\'s fault modes that break it, and for',
    'those no check covers, why.',
    '',
    'To read a failed check: its report names requirement ids (the Allure report links each to its source and to',
    'this page); find the id below. "Tested through X" means no check names the requirement itself, but every',
    'check citing X runs the validator that enforces it. A fault mode can be replayed with',
    '`npm run selftest -- --fault <id> --quick`.',
    '',
    'After each check, the API versions whose project runs it. A check about something BB2 serves the same way',
    'for both versions runs in one project only (tagged `@version-independent`; lib/version-projects.ts): the OpenID',
    'configuration, and the OAuth request handling behind `/v1/o/` and `/v2/o/`, which BB2 routes to the same',
    'view classes with the same arguments (README, "The API version is a dimension of the run").',
    '',
    '## Summary',
    '',
    '| Area | Requirements | SHALL | SHOULD | MAY | Tested | Untested |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...areas.map((area) => `| [${AREA_TITLES[area]}](#${area}) | ${counts(coverage.entries.filter((entry) => entry.requirement.area === area)).join(' | ')} |`),
    `| **All** | ${counts(coverage.entries).map((count) => `**${count}**`).join(' | ')} |`,
    '',
    '| File | Requirements | SHALL | SHOULD | MAY | Tested | Untested |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...files.map((file) => `| [${file}](../${file}) | ${counts(coverage.entries.filter((entry) => entry.requirement.file === file)).join(' | ')} |`),
    '',
    `Fault modes of the self-test break ${faulted} of the ${coverage.entries.length} requirements.`,
    '',
  ];
  for (const area of areas) {
    lines.push(`## <a id="${area}"></a>${AREA_TITLES[area]}`, '');
    for (const entry of coverage.entries.filter((each) => each.requirement.area === area)) lines.push(...renderEntry(entry, coverage));
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

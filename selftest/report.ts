/**
 * The self-test's report (reports/selftest.md and .json): the result, the requirement matrix
 * (requirement, faults breaking it, checks citing it, caught or not), the faults caught only by checks
 * that do not cite what they break (findings), and each fault run.
 */
import type { FaultArea } from '../lib/embedded-sandbox.js';
import { citedThrough, type Catalogue } from '../lib/requirements/catalogue.js';
import type { Check } from '../lib/requirements/checks.js';
import { cleanRunIsGreen, detectionRate, listTitles, type CleanResult, type FaultResult, type Verdict } from './judge.js';

export interface UndetectableFault {
  readonly id: string;
  readonly area: FaultArea;
  readonly requirements: readonly string[];
  readonly reason: string;
}

/** One requirement broken by at least one fault that ran. */
export interface MatrixRow {
  readonly requirement: string;
  readonly title: string;
  /** Checks of the suite citing it (directly or through a requirement that includes it). */
  readonly citingChecks: readonly string[];
  readonly faults: ReadonlyArray<{
    readonly id: string;
    readonly verdict: Verdict;
    /** Failed checks citing this requirement (so they caught the fault for it). */
    readonly caughtBy: readonly string[];
  }>;
  /** Every fault breaking it was caught by a check citing it. */
  readonly caught: boolean;
}

export interface SelftestSummary {
  readonly generatedAt: string;
  readonly commit: string | undefined;
  readonly workers: number | undefined;
  readonly minDetection: number;
  readonly clean: CleanResult;
  readonly faults: readonly FaultResult[];
  readonly undetectable: readonly UndetectableFault[];
  readonly matrix: readonly MatrixRow[];
  /** Detected / faults run; "caught only by another check" does not count. */
  readonly detectionRate: number;
  /** Faults whose only failures were checks not citing what the fault breaks. */
  readonly caughtElsewhere: number;
  /** Failed tests of the clean run. */
  readonly falseAlarms: number;
  readonly totalSeconds: number;
  readonly passed: boolean;
}

/** The matrix rows, in catalogue order, for every requirement a fault that ran breaks. */
export function requirementMatrix(faults: readonly FaultResult[], listing: readonly Check[], catalogue: Catalogue): MatrixRow[] {
  const broken = new Set(faults.flatMap((fault) => fault.requirements));
  const order = [...catalogue.requirements.map((requirement) => requirement.id), ...[...broken].sort()];
  const rows: MatrixRow[] = [];
  for (const id of [...new Set(order)].filter((each) => broken.has(each))) {
    const covered = citedThrough([id], catalogue);
    const citingChecks = listing.filter((check) => [...citedThrough(check.requirements, catalogue)].some((cited) => covered.has(cited))).map((check) => check.title);
    const breaking = faults
      .filter((fault) => fault.requirements.includes(id))
      .map((fault) => ({ id: fault.id, verdict: fault.verdict, caughtBy: fault.caughtBy.filter((check) => check.cites.includes(id)).map((check) => check.title) }));
    rows.push({
      requirement: id,
      title: catalogue.byId.get(id)?.title ?? '(not in the catalogue)',
      citingChecks,
      faults: breaking,
      caught: breaking.every((fault) => fault.caughtBy.length > 0),
    });
  }
  return rows;
}

export function summarize(
  input: Omit<SelftestSummary, 'detectionRate' | 'caughtElsewhere' | 'falseAlarms' | 'passed' | 'matrix'>,
  listing: readonly Check[],
  catalogue: Catalogue,
): SelftestSummary {
  const rate = detectionRate(input.faults);
  return {
    ...input,
    matrix: requirementMatrix(input.faults, listing, catalogue),
    detectionRate: rate,
    caughtElsewhere: input.faults.filter((fault) => fault.verdict === 'caught-elsewhere').length,
    falseAlarms: input.clean.failed.length,
    passed: cleanRunIsGreen(input.clean) && rate >= input.minDetection,
  };
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function duration(seconds: number): string {
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${seconds.toFixed(1)} s`;
}

/** Markdown table cells: no pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

const VERDICT_WORDS: Readonly<Record<Verdict, string>> = {
  detected: 'detected',
  'caught-elsewhere': 'caught only by another check',
  missed: 'missed',
  error: 'error',
};

function matrixCaught(row: MatrixRow): string {
  return row.faults
    .map((fault) => {
      if (fault.caughtBy.length > 0) return `yes: ${fault.id} by ${listTitles(fault.caughtBy, 2)}`;
      if (fault.verdict === 'detected') return `not by a check citing it: ${fault.id} was caught for another of its requirements`;
      return `NO: ${fault.id} ${VERDICT_WORDS[fault.verdict]}`;
    })
    .join('; ');
}

function faultCaughtCell(fault: FaultResult): string {
  switch (fault.verdict) {
    case 'error':
      return `error: ${fault.note ?? ''}`;
    case 'missed':
      return fault.note ?? 'no check failed';
    case 'caught-elsewhere':
      return `none citing it; other failures: ${listTitles(fault.otherFailures)}`;
    case 'detected': {
      const confirmed = fault.confirmation ? `; ${fault.failedCiting} failed, ${fault.confirmation.failedAgain} of ${fault.confirmation.rerun} rerun failed again` : '';
      const others = fault.otherFailures.length > 0 ? `; ${fault.otherFailures.length} other check(s) failed too` : '';
      return `${listTitles(fault.caughtBy.map((check) => check.title))}${confirmed}${others}`;
    }
  }
}

export function renderMarkdown(summary: SelftestSummary): string {
  const detected = summary.faults.filter((fault) => fault.verdict === 'detected').length;
  const lines = [
    '# Self-test: does the conformance suite catch a faulty BB2?',
    '',
    `Generated ${summary.generatedAt}${summary.commit ? ` at commit ${summary.commit}` : ''} by \`npm run selftest\`.`,
    'Each fault mode (sandbox/src/faults/catalog.ts) starts the embedded sandbox with one realistic deviation that',
    'breaks the requirements it names (docs/requirements.md). A fault is detected only when a check citing one of',
    'those requirements fails (its annotation, or a `violated` annotation a validation matcher added at run time);',
    'a fault noticed only by checks citing something else is "caught only by another check", a finding to fix.',
    'The clean run (no fault) must pass: any failure there is a false alarm.',
    '',
    `- **Result: ${summary.passed ? 'PASSED' : 'FAILED'}**`,
    `- Detection rate: **${percent(summary.detectionRate)}** (${detected} of ${summary.faults.length} faults; threshold ${percent(summary.minDetection)})`,
    `- Caught only by another check: **${summary.caughtElsewhere}**`,
    `- False alarms (failures in the clean run): **${summary.falseAlarms}**${summary.clean.errors.length > 0 ? `, run errors: ${summary.clean.errors.length}` : ''}`,
    `- Clean run: ${summary.clean.passed} passed, ${summary.clean.failed.length} failed, ${summary.clean.skipped} skipped in ${duration(summary.clean.seconds)}`,
    `- Requirements broken by the faults run: ${summary.matrix.length}, caught by a check citing them: ${summary.matrix.filter((row) => row.caught).length}`,
    `- Total time: ${duration(summary.totalSeconds)}${summary.workers === undefined ? '' : ` (${summary.workers} workers)`}`,
    '',
  ];
  if (summary.clean.failed.length > 0 || summary.clean.errors.length > 0) {
    lines.push('## False alarms', '', ...summary.clean.failed.map((title) => `- ${cell(title)}`), ...summary.clean.errors.map((error) => `- error: ${cell(error)}`), '');
  }
  const elsewhere = summary.faults.filter((fault) => fault.verdict === 'caught-elsewhere');
  if (elsewhere.length > 0) {
    lines.push(
      '## Findings: faults caught only by another check',
      '',
      'These checks failed, but none of them cites a requirement the fault breaks: the suite noticed the fault by',
      'accident. Either a check verifying the requirement is missing or broken, or a failing check verifies the',
      'requirement without citing it.',
      '',
      '| Fault | Breaks | Checks that failed |',
      '|---|---|---|',
      ...elsewhere.map((fault) => `| ${fault.id} | ${fault.requirements.join(', ')} | ${cell(listTitles(fault.otherFailures))} |`),
      '',
    );
  }
  lines.push(
    '## Requirement matrix',
    '',
    '| Requirement | Faults breaking it | Checks citing it | Caught |',
    '|---|---|---:|---|',
    ...summary.matrix.map(
      (row) =>
        `| ${row.requirement} ${cell(row.title)} | ${row.faults.map((fault) => fault.id).join(', ')} | ${row.citingChecks.length} | ${cell(matrixCaught(row))} |`,
    ),
    '',
    '## Fault runs',
    '',
    '| Fault | Area | Breaks | Result | Failed checks citing it (first 3) | Tests run | Time |',
    '|---|---|---|---|---|---:|---:|',
    ...summary.faults.map(
      (fault) =>
        `| ${fault.id} | ${fault.area} | ${fault.requirements.join(', ')} | ${VERDICT_WORDS[fault.verdict]} | ${cell(faultCaughtCell(fault))} | ${fault.testsRun} | ${duration(fault.seconds)} |`,
    ),
    '',
  );
  if (summary.undetectable.length > 0) {
    lines.push('## Not run: faults the suite cannot observe', '', '| Fault | Area | Breaks | Why |', '|---|---|---|---|');
    lines.push(...summary.undetectable.map((fault) => `| ${fault.id} | ${fault.area} | ${fault.requirements.join(', ')} | ${cell(fault.reason)} |`), '');
  }
  return `${lines.join('\n')}\n`;
}

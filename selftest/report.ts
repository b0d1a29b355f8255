/**
 * The self-test's report (reports/selftest.md and .json): the result, the requirement matrix
 * (requirement, faults breaking it, checks citing it, caught or not), the faults caught only by checks
 * that do not cite what they break (findings), and each fault run.
 */
import type { FaultArea } from '../lib/embedded-sandbox.js';
import { citedThrough, type Catalogue } from '../lib/requirements/catalogue.js';
import type { Check } from '../lib/requirements/checks.js';
import { cleanRunIsGreen, detectionRate, listTitles, type AreaCheck, type CleanResult, type FaultResult, type SelectionSummary, type Verdict } from './judge.js';

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
  /** Most Playwright workers per fault run. */
  readonly workers: number | undefined;
  /** Fault runs at once (selftest/schedule.ts). */
  readonly parallel?: number;
  readonly minDetection: number;
  readonly clean: CleanResult;
  readonly faults: readonly FaultResult[];
  readonly undetectable: readonly UndetectableFault[];
  readonly matrix: readonly MatrixRow[];
  /** Detected / faults run; "caught only by another check" does not count. */
  readonly detectionRate: number;
  /** Faults whose only failures were checks not citing what the fault breaks. */
  readonly caughtElsewhere: number;
  /** Faults whose seams no check read in the clean run. */
  readonly notExercised: number;
  /** Faults that changed an answer in the clean run where no check can be named, with where (selftest/selection.ts). */
  readonly unattributedFaults?: Readonly<Record<string, readonly string[]>>;
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
  input: Omit<SelftestSummary, 'detectionRate' | 'caughtElsewhere' | 'notExercised' | 'falseAlarms' | 'passed' | 'matrix'>,
  listing: readonly Check[],
  catalogue: Catalogue,
): SelftestSummary {
  const rate = detectionRate(input.faults);
  return {
    ...input,
    matrix: requirementMatrix(input.faults, listing, catalogue),
    detectionRate: rate,
    caughtElsewhere: input.faults.filter((fault) => fault.verdict === 'caught-elsewhere').length,
    notExercised: input.faults.filter((fault) => fault.verdict === 'not-exercised').length,
    falseAlarms: input.clean.failed.length,
    passed: cleanRunIsGreen(input.clean) && rate >= input.minDetection,
  };
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

export function duration(seconds: number): string {
  if (seconds < 59.95) return `${seconds.toFixed(1)} s`;
  // Rounded to the second first, so that 299.6 s reads "5 min 0 s", not "4 min 60 s".
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** Markdown table cells: no pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

const VERDICT_WORDS: Readonly<Record<Verdict, string>> = {
  detected: 'detected',
  'caught-elsewhere': 'caught only by another check',
  missed: 'missed',
  'not-exercised': 'not exercised',
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
    case 'not-exercised':
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
    `- Total time: ${duration(summary.totalSeconds)}${summary.workers === undefined ? '' : ` (${summary.workers} workers)`}${summary.parallel === undefined ? '' : `, ${summary.parallel} fault runs at once`}`,
    '',
  ];
  if (summary.notExercised > 0) lines.splice(lines.length - 2, 0, `- Not exercised (no check reads the fault's seam): **${summary.notExercised}**`);
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
  const unexercised = summary.faults.filter((fault) => fault.verdict === 'not-exercised');
  if (unexercised.length > 0) {
    lines.push(
      '## Findings: faults no check exercises',
      '',
      "In the clean run these faults' seams would have answered no check's requests (nor those of the worker fixtures",
      'it used) differently, so no check can see them: a check of the requirement they break is missing, or does not',
      'send the request that reaches the faulty answer.',
      '',
      '| Fault | Breaks | Seams |',
      '|---|---|---|',
      ...unexercised.map((fault) => `| ${fault.id} | ${fault.requirements.join(', ')} | ${fault.selection?.seams.join(', ') ?? ''} |`),
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
  lines.push(...selectionSection(summary));
  lines.push(...areaCheckSection(summary.faults));
  if (summary.undetectable.length > 0) {
    lines.push('## Not run: faults the suite cannot observe', '', '| Fault | Area | Breaks | Why |', '|---|---|---|---|');
    lines.push(...summary.undetectable.map((fault) => `| ${fault.id} | ${fault.area} | ${fault.requirements.join(', ')} | ${cell(fault.reason)} |`), '');
  }
  return `${lines.join('\n')}\n`;
}

function runsCell(selection: SelectionSummary): string {
  return selection.runs.map((run) => `${run.checks} checks, ${run.workers} worker${run.workers === 1 ? '' : 's'}, ${duration(run.seconds)} (${run.folder})`).join('; then ');
}

/** How many of a fault's checks started, when its run stopped at the first confirmed detection before the others did. */
export function startedBeforeStop(fault: FaultResult, selection: SelectionSummary): number | undefined {
  return fault.testsRun < selection.ran ? fault.testsRun : undefined;
}

/** How many checks a fault was to run with, and how many started when its run stopped at the first confirmed detection. */
function checksRunCell(fault: FaultResult, selection: SelectionSummary): string {
  const started = startedBeforeStop(fault, selection);
  return started === undefined ? String(selection.ran) : `${selection.ran} (${started} started)`;
}

/** Which checks each fault ran with (selftest/selection.ts), and where the attribution fell back to every check. */
function selectionSection(summary: SelftestSummary): string[] {
  const selected = summary.faults.filter((fault) => fault.selection !== undefined);
  if (selected.length === 0) return [];
  const lines = [
    '## Checks run per fault',
    '',
    'In the clean run the sandbox answered every request with its real seams and also evaluated each fault\'s seams on',
    'the same arguments (sandbox/src/faults/seam-recorder.ts). A fault ran with the checks to whose requests, or to',
    'the requests of a worker fixture they used, it would have answered differently (selftest/selection.ts): those',
    'citing its requirements first, the others only when the first did not detect it. The run of the citing checks',
    'stops at the first confirmed detection, so fewer may have started than were to run. Each run is a folder under',
    'reports/selftest/runs/ (its JSON report and output).',
    '',
    '| Fault | Seams | Checks reading them | Checks it can affect | Checks run | Runs |',
    '|---|---|---:|---:|---:|---|',
    ...selected.map((fault) => {
      const selection = fault.selection as SelectionSummary;
      const selectedCell = selection.everyCheck === undefined ? String(selection.selected) : `${selection.selected} (every check: ${cell(selection.everyCheck)})`;
      return `| ${fault.id} | ${selection.seams.join(', ')} | ${selection.readers} | ${selectedCell} | ${checksRunCell(fault, selection)} | ${cell(runsCell(selection)) || 'none'} |`;
    }),
    '',
  ];
  const unattributed = Object.entries(summary.unattributedFaults ?? {});
  if (unattributed.length > 0) {
    lines.push('Faults that changed an answer in the clean run where no check can be named (they ran with every check):', '', ...unattributed.map(([fault, scopes]) => `- ${fault}: ${scopes.join(', ')}`), '');
  }
  return lines;
}

/** --verify-selection: each fault also run with its whole area; any check failing there but not selected is a hole. */
function areaCheckSection(faults: readonly FaultResult[]): string[] {
  const checked = faults.filter((fault) => fault.areaCheck !== undefined);
  if (checked.length === 0) return [];
  const holes = checked.filter((fault) => (fault.areaCheck?.failedOutsideSelection.length ?? 0) > 0 || fault.areaCheck?.verdict !== fault.verdict);
  return [
    '## Selection verified against the area runs',
    '',
    'With --verify-selection each fault also ran with every spec file of its area (selftest/areas.ts), as before the',
    'seam selection. A check that failed there but was not selected, or a different verdict, would be a hole in the',
    `attribution. ${holes.length === 0 ? `**None** in ${checked.length} faults.` : `**${holes.length} of ${checked.length} faults differ.**`}`,
    '',
    '| Fault | Verdict (selected) | Verdict (area) | Checks run (selected / area) | Time (selected / area) | Failed in the area run, not selected |',
    '|---|---|---|---|---|---|',
    ...checked.map((fault) => {
      const area = fault.areaCheck as AreaCheck;
      return `| ${fault.id} | ${VERDICT_WORDS[fault.verdict]} | ${VERDICT_WORDS[area.verdict]} | ${fault.testsRun} / ${area.testsRun} | ${duration(fault.seconds)} / ${duration(area.seconds)} | ${cell(listTitles(area.failedOutsideSelection)) || 'none'} |`;
    }),
    '',
  ];
}

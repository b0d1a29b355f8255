/**
 * The self-test's results as Allure results (reports/selftest/allure-results), which `npm run report`
 * renders together with the suite's own (reports/allure-results): the epic "Self-test", with
 *
 *   - one entry per fault mode (feature: its area), named by its id: the requirements it breaks (a story
 *     and links per id, as the checks have), the seams it replaces, the checks it ran with, the checks
 *     that caught it with the ids they cite, or why none did; passed when detected, failed when missed,
 *     caught only by another check or not exercised, broken when its run failed to run, skipped when the
 *     suite cannot observe it;
 *   - the clean run (failed on a false alarm), and the result with reports/selftest.md attached.
 *
 * Written through allure-js-commons' ReporterRuntime, the library allure-playwright writes with.
 */
import { rmSync } from 'node:fs';
import { LabelName, Stage, Status, type Label, type Link } from 'allure-js-commons';
import { FileSystemWriter, ReporterRuntime } from 'allure-js-commons/sdk/reporter';
import { LINK_ANNOTATION, requirementLinkAnnotations, requirementLinkTemplates, requirementStory } from '../lib/requirements/allure-links.js';
import { describeResult, type FaultResult, type Verdict } from './judge.js';
import { duration, startedBeforeStop, type SelftestSummary, type UndetectableFault } from './report.js';

export const SELFTEST_EPIC = 'Self-test';

const STATUS: Readonly<Record<Verdict, Status>> = {
  detected: Status.PASSED,
  missed: Status.FAILED,
  'caught-elsewhere': Status.FAILED,
  'not-exercised': Status.FAILED,
  error: Status.BROKEN,
};

export interface SelftestAllureInput {
  readonly summary: SelftestSummary;
  /** The selftest.md text, attached to the result entry. */
  readonly markdown: string;
  /** Fault id → its description (sandbox/src/faults/catalog.ts). */
  readonly descriptions: ReadonlyMap<string, string>;
  /** When the self-test started (ms since the epoch); each entry's times follow from its seconds. */
  readonly startedAt: number;
  /** When each fault's runs started (ms since the epoch); default: the start. */
  readonly faultStarts?: ReadonlyMap<string, number>;
}

/** Links to each requirement's source (and docs entry, when the run knows the repository), as the checks' links. */
function requirementLinks(ids: readonly string[], env: NodeJS.ProcessEnv): Link[] {
  const template = requirementLinkTemplates(env)[LINK_ANNOTATION];
  if (template === undefined) return [];
  return ids.flatMap((id) => requirementLinkAnnotations(id, env).map(({ description }) => ({ type: LINK_ANNOTATION, url: template.urlTemplate(description), name: template.nameTemplate(description) })));
}

function labels(feature: string, stories: readonly string[], extra: readonly Label[] = []): Label[] {
  return [
    { name: LabelName.EPIC, value: SELFTEST_EPIC },
    { name: LabelName.FEATURE, value: feature },
    ...stories.map((id) => ({ name: LabelName.STORY, value: requirementStory(id) })),
    { name: LabelName.PARENT_SUITE, value: SELFTEST_EPIC },
    ...extra,
  ];
}

function faultDescription(fault: FaultResult, description: string | undefined): string {
  const selection = fault.selection;
  const started = selection === undefined ? undefined : startedBeforeStop(fault, selection);
  const lines = [
    description ?? '',
    '',
    `**Breaks:** ${fault.requirements.map((id) => `\`${id}\``).join(', ')}`,
    ...(selection === undefined
      ? []
      : [
          `**Seams replaced:** ${selection.seams.map((seam) => `\`${seam}\``).join(', ')}`,
          `**Checks it can affect:** ${selection.selected} (of the ${selection.readers} whose requests read ${selection.seams.length === 1 ? 'that seam' : 'those seams'} in the clean run)${selection.everyCheck === undefined ? '' : `; every check, since ${selection.everyCheck}`}`,
          `**Checks run:** ${selection.ran}${selection.ran < selection.selected ? ' (those citing what it breaks; the others cannot change a detection)' : ''}` +
            `${started === undefined ? '' : `; ${started} started before the first confirmed detection ended the run`}`,
        ]),
    '',
    `**Verdict:** ${describeResult(fault)}`,
    '',
    ...(fault.caughtBy.length > 0 ? ['**Caught by** (failed checks citing what it breaks):', ...fault.caughtBy.map((check) => `- ${check.title} — cites ${check.cites.join(', ')}`), ''] : []),
    ...(fault.otherFailures.length > 0 ? ['**Also failed** (citing none of its requirements, so not counted):', ...fault.otherFailures.map((title) => `- ${title}`), ''] : []),
    ...(fault.note === undefined || fault.verdict === 'detected' ? [] : [`**Why:** ${fault.note}`]),
  ];
  return lines.join('\n');
}

export function writeSelftestAllureResults(input: SelftestAllureInput, resultsDir: string, env: NodeJS.ProcessEnv = process.env): void {
  // Only this run's self-test: an earlier run's entries would mix in.
  rmSync(resultsDir, { recursive: true, force: true });
  const runtime = new ReporterRuntime({ writer: new FileSystemWriter({ resultsDir }) });
  const { summary } = input;
  const write = (test: Parameters<ReporterRuntime['startTest']>[0], steps: ReadonlyArray<{ name: string; status: Status }> = [], attach?: { name: string; body: string; contentType: string }): void => {
    const uuid = runtime.startTest({ stage: Stage.FINISHED, ...test });
    for (const step of steps) {
      const stepUuid = runtime.startStep(uuid, undefined, { name: step.name, status: step.status, stage: Stage.FINISHED, start: test.start });
      if (stepUuid !== undefined) runtime.stopStep(stepUuid, { stop: test.stop });
    }
    if (attach !== undefined) runtime.writeAttachment(uuid, undefined, attach.name, Buffer.from(attach.body), { contentType: attach.contentType });
    runtime.stopTest(uuid, { stop: test.stop ?? Date.now() });
    runtime.writeTest(uuid);
  };

  const end = input.startedAt + summary.totalSeconds * 1000;
  const detected = summary.faults.filter((fault) => fault.verdict === 'detected').length;
  write(
    {
      name: `Self-test ${summary.passed ? 'passed' : 'failed'}: detection ${(summary.detectionRate * 100).toFixed(1)}% (${detected} of ${summary.faults.length} faults)`,
      fullName: 'selftest › result',
      historyId: 'selftest:result',
      testCaseId: 'selftest:result',
      labels: labels('Result', []),
      status: summary.passed ? Status.PASSED : Status.FAILED,
      statusDetails: { message: `threshold ${(summary.minDetection * 100).toFixed(1)}%; caught only by another check ${summary.caughtElsewhere}; not exercised ${summary.notExercised}; false alarms ${summary.falseAlarms}; ${duration(summary.totalSeconds)}` },
      description: 'The whole self-test, as reports/selftest.md (attached): the result, the findings, the requirement matrix, every fault run.',
      start: input.startedAt,
      stop: end,
    },
    [],
    { name: 'selftest.md', body: input.markdown, contentType: 'text/markdown' },
  );

  const clean = summary.clean;
  write(
    {
      name: 'clean run: the suite passes against the sandbox without a fault',
      fullName: 'selftest › clean run',
      historyId: 'selftest:clean-run',
      testCaseId: 'selftest:clean-run',
      labels: labels('Clean run', []),
      status: clean.failed.length === 0 && clean.errors.length === 0 && clean.testsRun > 0 ? Status.PASSED : Status.FAILED,
      statusDetails: { message: `${clean.passed} passed, ${clean.failed.length} failed (false alarms), ${clean.skipped} skipped${clean.errors.length > 0 ? `; errors: ${clean.errors.join('; ')}` : ''}` },
      description: 'Every check against the clean embedded sandbox, recording which behaviour seams its requests read. A failure here is a false alarm.',
      start: input.startedAt,
      stop: input.startedAt + clean.seconds * 1000,
    },
    clean.failed.map((title) => ({ name: `false alarm: ${title}`, status: Status.FAILED })),
  );

  for (const fault of summary.faults) {
    const start = input.faultStarts?.get(fault.id) ?? input.startedAt;
    write(
      {
        name: fault.id,
        fullName: `selftest › ${fault.id}`,
        historyId: `selftest:${fault.id}`,
        testCaseId: `selftest:${fault.id}`,
        labels: labels(`${fault.area} faults`, fault.requirements, [{ name: LabelName.TAG, value: fault.verdict }]),
        links: requirementLinks(fault.requirements, env),
        parameters: [
          { name: 'requirements', value: fault.requirements.join(', ') },
          ...(fault.selection === undefined ? [] : [{ name: 'seams', value: fault.selection.seams.join(', ') }, { name: 'checks run', value: `${fault.selection.ran} of the ${fault.selection.selected} it can affect` }]),
        ],
        status: STATUS[fault.verdict],
        statusDetails: { message: describeResult(fault) },
        description: faultDescription(fault, input.descriptions.get(fault.id)),
        start,
        stop: start + fault.seconds * 1000,
      },
      [
        ...fault.caughtBy.map((check) => ({ name: `caught by: ${check.title} (cites ${check.cites.join(', ')})`, status: Status.PASSED })),
        ...fault.otherFailures.map((title) => ({ name: `also failed, citing none of its requirements: ${title}`, status: Status.BROKEN })),
      ],
    );
  }

  for (const fault of summary.undetectable) writeUndetectable(write, fault, input, env);
}

function writeUndetectable(
  write: (test: Parameters<ReporterRuntime['startTest']>[0]) => void,
  fault: UndetectableFault,
  input: SelftestAllureInput,
  env: NodeJS.ProcessEnv,
): void {
  write({
    name: fault.id,
    fullName: `selftest › ${fault.id}`,
    historyId: `selftest:${fault.id}`,
    testCaseId: `selftest:${fault.id}`,
    labels: labels(`${fault.area} faults`, fault.requirements, [{ name: LabelName.TAG, value: 'undetectable' }]),
    links: requirementLinks(fault.requirements, env),
    status: Status.SKIPPED,
    statusDetails: { message: `not run: the suite cannot observe it (${fault.reason})` },
    description: `${input.descriptions.get(fault.id) ?? ''}\n\n**Breaks:** ${fault.requirements.join(', ')}\n\n**Not run:** ${fault.reason}`,
    start: input.startedAt,
    stop: input.startedAt,
  });
}

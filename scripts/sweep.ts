/**
 * `npm run sweep -- --users BBUser00000-BBUser29999` (see lib/sweep/options.ts USAGE): the population
 * sweep. Every selected synthetic beneficiary logs in and consents in the browser, their Patient,
 * Coverage and every ExplanationOfBenefit page are fetched and validated, and the violations are
 * aggregated by rule into reports/sweep/ (summary.md, summary.json, users.jsonl).
 *
 * Ctrl-C (or SIGTERM) stops it cleanly: the users in flight finish, the summary is written, and the
 * output says how to resume. A second Ctrl-C quits at once.
 */
import { BrowserNotFoundError } from '../lib/browser.js';
import { ConfigError } from '../lib/config.js';
import { mergeShards } from '../lib/sweep/merge.js';
import { parseSweepArguments, USAGE, type Command } from '../lib/sweep/options.js';
import { ResultsDirError } from '../lib/sweep/results-dir.js';
import { runSweep } from '../lib/sweep/run.js';
import { TargetUnavailableError } from '../lib/reporting/target-errors.js';
import type { SweepSummary } from '../lib/sweep/aggregate.js';
import { UsageError } from '../sandbox/src/cli-arguments.js';
import { FaultSelectionError } from '../sandbox/src/faults/webserver.js';

function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

function shellWord(text: string): string {
  return /^[\w./:@=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function resumeCommand(outDir: string): string {
  return `npm run sweep -- --resume --out ${shellWord(outDir)}`;
}

function printOutcome(summary: SweepSummary, outDir: string): void {
  const { totals } = summary;
  const lines = [
    `Swept ${totals.done} of ${totals.selected} users: ${totals.byStatus.ok} ok, ${totals.byStatus.violations} with violations, ` +
      `${totals.byStatus['login-failed']} login failed, ${totals.byStatus['target-unavailable']} target unavailable.`,
    `Throughput: ${summary.throughput.usersPerMinute} users/min (${summary.throughput.activeMinutes} min sweeping, ${summary.throughput.requestsPerUser} requests per user).`,
  ];
  for (const rule of summary.rules.slice(0, 10)) lines.push(`  ${rule.users} user(s), ${rule.resources} resource(s): ${rule.rule} at ${rule.element}${rule.requirement ? ` [${rule.requirement}]` : ''}`);
  if (summary.rules.length > 10) lines.push(`  … and ${summary.rules.length - 10} more rules`);
  lines.push(`Report: ${outDir}/summary.md (and summary.json, users.jsonl)`);
  if (!summary.complete) lines.push(`${totals.notDone} user(s) not swept yet. Resume with: ${resumeCommand(outDir)}`);
  note(lines.join('\n'));
}

function exitCodeOf(summary: SweepSummary): number {
  const { byStatus } = summary.totals;
  return byStatus.violations + byStatus['login-failed'] + byStatus['target-unavailable'] > 0 ? 1 : 0;
}

async function run(command: Exclude<Command, 'help'>): Promise<number> {
  if (command.kind === 'merge') {
    const { summary, warnings, shards } = mergeShards(command.shardsDir, command.outDir, command.fresh);
    note(`Merged ${shards} shard(s) from ${command.shardsDir}.`);
    for (const warning of warnings) note(`warning: ${warning}`);
    printOutcome(summary, command.outDir);
    return warnings.length > 0 ? 1 : exitCodeOf(summary);
  }
  let signals = 0;
  let requestStop: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
  const onSignal = () => {
    signals += 1;
    if (signals === 1) return requestStop();
    note(`\nQuitting at once. The users in flight were not recorded and are swept again by: ${resumeCommand(command.outDir)}`);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const outcome = await runSweep(command, {
    note,
    progressWrite: (text) => process.stderr.write(text),
    isTty: process.stderr.isTTY === true,
    columns: process.stderr.isTTY === true ? process.stderr.columns : undefined,
    isCi: Boolean(process.env.CI),
    stopRequested,
  });
  printOutcome(outcome.summary, command.outDir);
  if (outcome.interrupted && !outcome.summary.complete) return 130;
  if (outcome.suiteErrors > 0) {
    note(`The sweep itself failed on ${outcome.suiteErrors} user(s) (see above): a bug in the sweep, please report it.`);
    return 1;
  }
  if (outcome.targetStopped) return 1;
  return exitCodeOf(outcome.summary);
}

async function main(): Promise<void> {
  let command: Command;
  try {
    command = parseSweepArguments(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      note(`sweep: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw error;
  }
  if (command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  try {
    process.exitCode = await run(command);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ResultsDirError) {
      note(`sweep: ${error.message}`);
      process.exit(2);
    }
    if (error instanceof TargetUnavailableError) {
      note(`sweep: ${error.message}`);
      process.exit(1);
    }
    if (error instanceof ConfigError || error instanceof BrowserNotFoundError || error instanceof FaultSelectionError) {
      note(error.message);
      process.exit(2);
    }
    note(`sweep: failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exit(1);
  }
}

void main();

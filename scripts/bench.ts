/**
 * `npm run bench [-- --only a,b] [--baseline FILE] [--save-baseline]`: speed, memory and size figures
 * of the parts that bound a suite run, each printed beside the same figure of a baseline run
 * (bench/baseline.json by default: figures measured on a 2-core machine like CI's). Printed, never
 * asserted. Run it on an idle machine; --save-baseline writes this run's figures as the new baseline.
 *
 * Each section lives in scripts/bench/<name>.ts and is listed in SECTIONS. The host section runs with any
 * --only: it takes about a second, and the other figures mean little without it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../lib/config.js';
import { runTool } from './command-line.js';
import { parseFlags, UsageError } from '../sandbox/src/cli-arguments.js';
import { dataSection } from './bench/data.js';
import { hostSection } from './bench/host.js';
import { formatRow, type Baseline, type BenchSection, type Figure } from './bench/figures.js';
import { profilesSection } from './bench/profiles.js';
import { sandboxSection } from './bench/sandbox.js';
import { suiteSection } from './bench/suite.js';
import { sweepSection } from './bench/sweep.js';
import { validationSection } from './bench/validation.js';

const SECTIONS: readonly BenchSection[] = [hostSection, dataSection, validationSection, profilesSection, sandboxSection, suiteSection, sweepSection];
const DEFAULT_BASELINE = path.join(REPO_ROOT, 'bench', 'baseline.json');

const USAGE = `Usage: npm run bench [-- --only SECTION,SECTION] [--baseline FILE] [--save-baseline]

Prints each figure beside the baseline's (default bench/baseline.json).
  --only           sections to run: ${SECTIONS.map((section) => section.name).join(', ')} (default: all;
                   host, the machine's own speed, always runs)
  --baseline FILE  compare with this baseline file instead
  --save-baseline  write this run's figures to the baseline file (merged with its other figures)
  -h, --help       this text`;

interface BaselineFile {
  readonly measured: string;
  readonly machine: string;
  readonly figures: Baseline;
}

function readBaseline(file: string): BaselineFile | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as BaselineFile;
    if (typeof parsed.figures !== 'object' || parsed.figures === null) throw new Error('no "figures" object');
    return parsed;
  } catch (error) {
    throw new UsageError(`the baseline ${file} is not a bench baseline: ${(error as Error).message}`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, { only: { type: 'string' }, baseline: { type: 'string' }, 'save-baseline': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const names = flags.only === undefined ? SECTIONS.map((section) => section.name) : flags.only.split(',').map((name) => name.trim());
  if (!names.includes(hostSection.name)) names.unshift(hostSection.name);
  const unknown = names.filter((name) => !SECTIONS.some((section) => section.name === name));
  if (unknown.length > 0) throw new UsageError(`--only: no section ${unknown.join(', ')} (sections: ${SECTIONS.map((section) => section.name).join(', ')})`);
  const baselineFile = path.resolve(flags.baseline ?? DEFAULT_BASELINE);
  const baseline = readBaseline(baselineFile);

  console.log(`bb2-conformance benchmarks (node ${process.version}, ${new Date().toISOString()})`);
  console.log(baseline ? `baseline: ${path.relative(process.cwd(), baselineFile)} (${baseline.measured}, ${baseline.machine})` : `no baseline at ${baselineFile}`);
  const figures: Figure[] = [];
  for (const section of SECTIONS.filter((candidate) => names.includes(candidate.name))) {
    console.log(section.title);
    await section.run((figure) => {
      figures.push(figure);
      console.log(formatRow(figure, baseline?.figures));
    });
  }
  if (flags['save-baseline']) {
    const merged: Record<string, { value: number; unit: string }> = { ...baseline?.figures };
    for (const figure of figures) merged[figure.key] = { value: Number(figure.value.toPrecision(4)), unit: figure.unit };
    mkdirSync(path.dirname(baselineFile), { recursive: true });
    const machine = `${(await import('node:os')).cpus().length} cores, node ${process.version}`;
    writeFileSync(baselineFile, `${JSON.stringify({ measured: new Date().toISOString().slice(0, 10), machine, figures: merged }, null, 2)}\n`);
    console.log(`baseline written: ${baselineFile}`);
  }
  return 0;
}

await runTool(main, USAGE);

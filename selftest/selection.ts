/**
 * Which checks run for a fault mode. A fault replaces behaviour seams (sandbox/src/faults/catalog.ts);
 * in the clean run the sandbox evaluated every fault's seams beside the real ones, on the same
 * arguments, and recorded in which scopes a fault would have answered differently
 * (sandbox/src/faults/seam-recorder.ts, selftest/recording.ts). A check can see a fault only if that
 * happened in its own requests or in those of a worker fixture whose value it used: if every seam call
 * answers the same, every response it gets is the same. So each fault runs with exactly those checks; a
 * check left out could never fail because of it, hence never credit it, and a fault that changes no
 * check's answers is reported as "not exercised" without a run.
 *
 * Safe where the recording cannot name a check: a fault that diverged at start-up, between checks
 * (beforeAll/afterAll hooks) or on a request without a scope runs with every check. A serial group runs
 * whole (a later check needs the earlier ones).
 *
 * Within the selection, the checks that cite one of the fault's requirements run first: a fault they
 * catch is detected, and the others cannot change that verdict; only when they do not catch it do the
 * others run (selftest/main.ts). The crediting rule itself is selftest/judge.ts, unchanged.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GLOBAL_SETUP_SCOPE } from '../lib/check-scopes.js';
import type { FaultMode } from '../lib/embedded-sandbox.js';
import type { Catalogue } from '../lib/requirements/catalogue.js';
import type { Check } from '../lib/requirements/checks.js';
import { citedFaultRequirements } from './judge.js';
import type { SeamRecording } from './recording.js';

export interface Attribution {
  /** Check key → the fault modes that would have changed an answer its requests (or its worker fixtures') got. */
  readonly faultsByCheck: ReadonlyMap<string, ReadonlySet<string>>;
  /** Check key → the seams its requests (or its worker fixtures') read. */
  readonly seamsByCheck: ReadonlyMap<string, ReadonlySet<string>>;
  /** Fault id → the scopes where it diverged with no check to name ("(no request)", "w2:(between checks)", …). */
  readonly unattributed: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Every scope reachable from `start` through the worker fixtures used. */
function closure(start: string, uses: SeamRecording['uses']): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  for (let scope = queue.pop(); scope !== undefined; scope = queue.pop()) {
    for (const next of uses.get(scope) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

function union(into: Map<string, Set<string>>, key: string, values: Iterable<string> | undefined): void {
  into.set(key, new Set([...(into.get(key) ?? []), ...(values ?? [])]));
}

/**
 * Each check's faults and seams: its own requests' and those of every worker fixture it used,
 * transitively. A scope that is neither a check nor the runner's global setup (whose one metadata
 * request feeds no check) is a root no check can be named for: its divergences, and those of the
 * fixtures it used, are unattributed.
 */
export function attributeSeams(recording: SeamRecording): Attribution {
  const faultsByCheck = new Map<string, Set<string>>();
  const seamsByCheck = new Map<string, Set<string>>();
  const attributed = new Set<string>();
  for (const [scope, key] of recording.checkOfScope) {
    union(faultsByCheck, key, []);
    union(seamsByCheck, key, []);
    for (const reached of closure(scope, recording.uses)) {
      attributed.add(reached);
      union(faultsByCheck, key, recording.divergences.get(reached));
      union(seamsByCheck, key, recording.reads.get(reached));
    }
  }
  const scopes = new Set([...recording.reads.keys(), ...recording.divergences.keys(), ...recording.uses.keys()]);
  const roots = [...scopes].filter((scope) => !recording.checkOfScope.has(scope) && scope !== GLOBAL_SETUP_SCOPE && !attributed.has(scope));
  // A fixture some check used but something unattributable used too counts for that something as well.
  const unattributed = new Map<string, Set<string>>();
  for (const root of roots) {
    for (const reached of closure(root, recording.uses)) {
      for (const fault of recording.divergences.get(reached) ?? []) union(unattributed, fault, [reached === root ? root : `${reached} (used by ${root})`]);
    }
  }
  return { faultsByCheck, seamsByCheck, unattributed };
}

/** The seams a fault mode replaces, as the recording names them ("fhir.serveResource"). */
export function faultSeams(mode: Pick<FaultMode, 'overrides'>): string[] {
  return [...Object.keys(mode.overrides.oauth ?? {}).map((name) => `oauth.${name}`), ...Object.keys(mode.overrides.fhir ?? {}).map((name) => `fhir.${name}`)];
}

export interface Selection {
  readonly seams: readonly string[];
  /** Checks whose requests read one of the seams (whether or not the fault changed the answer). */
  readonly readers: number;
  /** The checks to run, in listing order. */
  readonly checks: readonly Check[];
  /** Set when every check runs because the fault diverged where no check can be named: where. */
  readonly everyCheck?: string;
}

/** `checks` plus every other check of the serial files among them (same project), in listing order. */
export function withWholeSerialGroups(checks: readonly Check[], listing: readonly Check[], serialFiles: ReadonlySet<string>): Check[] {
  const keys = new Set(checks.map((check) => check.key));
  const groups = new Set(checks.filter((check) => serialFiles.has(check.file)).map((check) => `${check.project}\n${check.file}`));
  return listing.filter((check) => keys.has(check.key) || groups.has(`${check.project}\n${check.file}`));
}

export function selectChecks(mode: Pick<FaultMode, 'id' | 'overrides'>, attribution: Attribution, listing: readonly Check[], serialFiles: ReadonlySet<string>): Selection {
  const seams = faultSeams(mode);
  const readers = listing.filter((check) => seams.some((seam) => attribution.seamsByCheck.get(check.key)?.has(seam))).length;
  const unattributed = [...(attribution.unattributed.get(mode.id) ?? [])];
  if (unattributed.length > 0) return { seams, readers, checks: [...listing], everyCheck: `it changed an answer in ${unattributed.join(', ')}` };
  const sees = (check: Check): boolean => attribution.faultsByCheck.get(check.key)?.has(mode.id) === true;
  return { seams, readers, checks: withWholeSerialGroups(listing.filter(sees), listing, serialFiles) };
}

export interface RunPlan {
  /** The selected checks citing a requirement the fault breaks (statically), serial groups whole: they run first. */
  readonly citing: readonly Check[];
  /** The rest of the selection: run only if the first run does not detect the fault. */
  readonly rest: readonly Check[];
}

export function citingFirst(selected: readonly Check[], listing: readonly Check[], requirements: readonly string[], catalogue: Catalogue, serialFiles: ReadonlySet<string>): RunPlan {
  const cites = selected.filter((check) => citedFaultRequirements({ ...check, violated: [] }, requirements, catalogue).length > 0);
  const citing = withWholeSerialGroups(cites, listing, serialFiles);
  const first = new Set(citing.map((check) => check.key));
  return { citing, rest: selected.filter((check) => !first.has(check.key)) };
}

/**
 * Playwright's --test-list lines for `checks`: each check's key. A title the format cannot carry (one
 * holding "›", its separator, or with spaces around it, which its parser trims) selects its whole file
 * instead: more than asked, never less.
 */
export function testListLines(checks: readonly Check[]): string[] {
  const carried = (title: string) => !title.includes('›') && title === title.trim() && title !== '';
  const lines = checks.map((check) => (check.titles.every(carried) ? check.key : `[${check.project}] › ${check.file}`));
  return [...new Set(lines)];
}

/** Spec files (relative to `testDir`) that run their tests in serial mode. */
export function serialSpecFiles(testDir: string): Set<string> {
  const serial = new Set<string>();
  const visit = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const file = path.join(directory, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (/\.(spec|setup)\.ts$/.test(entry.name) && /describe\.serial\b|mode:\s*['"]serial['"]/.test(readFileSync(file, 'utf8'))) {
        serial.add(path.relative(testDir, file).split(path.sep).join('/'));
      }
    }
  };
  visit(testDir);
  return serial;
}

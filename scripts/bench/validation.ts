/**
 * Validation speed (lib/validation) on every resource of the biggest synthetic user (BBUser13410:
 * Patient, 4 Coverages, 400 ExplanationOfBenefits), side by side with JSON.parse of the same bytes:
 * the naive approach (the unpatched schema through its root oneOf), the patched schema, then the
 * walk's families added one by one, the whole verdict (with BB2's rules and known deviations), and
 * where the time goes (each family alone over the bare walk, the costliest invariants). First, per
 * release, what a Playwright worker pays before its first verdict: a fresh process's first validation
 * with an empty validator cache, then with the cache it left (lib/validation/code-cache.ts).
 *
 * Each figure is the median CPU time (user + system) of several rounds after a warm-up (the first
 * round compiles and optimizes), with the wall time beside it: on a shared machine the wall time
 * includes other processes' load, the CPU time does not, so the ratios use CPU time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { coveragesFor, eobsFor, patientFor, syntheticUser } from '../../sandbox/src/data/index.js';
import { WALK_FAMILIES, type WalkFamily } from '../../lib/validation/fhir/engine.js';
import { createStu3Validator, fhirEngine, getStu3Validator, validateResource, checkBb2Rules } from '../../lib/validation/index.js';
import { realR4Documents } from '../../lib/validation/testdata/corpus.js';
import { getSchemaValidator } from '../../lib/validation/fhir/schema.js';
import { R4 } from '../../lib/validation/fhir/release.js';
import { BIGGEST_USER } from './data.js';
import type { BenchSection, Figure } from './figures.js';
import type { FirstValidation } from './first-validation.js';
import { time as timeRounds, type Timing } from './timing.js';

const ROUNDS = 9;
const NAIVE_SAMPLE = 25;
const R4_COPIES = 8;

/** Runs `round` once to warm up, then ROUNDS (or `rounds`) times: the median wall and CPU times. */
function time(round: () => void, rounds = ROUNDS): Timing {
  return timeRounds(round, rounds);
}

const FIRST_VALIDATION_SCRIPT = fileURLToPath(new URL('./first-validation.ts', import.meta.url));

/** The first validation in a fresh process (scripts/bench/first-validation.ts) with this validator cache folder. */
function firstValidation(release: 'stu3' | 'r4', cacheDir: string): FirstValidation {
  const child = spawnSync(process.execPath, ['--import', 'tsx', FIRST_VALIDATION_SCRIPT, release], { encoding: 'utf8', env: { ...process.env, BB2_VALIDATOR_CACHE_DIR: cacheDir } });
  if (child.status !== 0) throw new Error(`${FIRST_VALIDATION_SCRIPT} ${release} exited with ${String(child.status)}: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as FirstValidation;
}

/** Per release: a fresh process's first verdict with an empty validator cache (it compiles and writes), then with the cache it left. */
function recordFirstValidations(record: (figure: Figure) => void): void {
  for (const release of ['stu3', 'r4'] as const) {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'bb2-bench-cache-'));
    try {
      for (const cache of ['cold', 'warm'] as const) {
        const first = firstValidation(release, cacheDir);
        record({
          key: `validation.${release}-first-${cache}-ms`,
          label: `${release.toUpperCase()}: first validation in a fresh process, ${cache} cache, CPU`,
          value: first.firstCpuMs,
          unit: 'ms',
          lowerIsBetter: true,
          note: `wall ${first.firstMs.toFixed(0)} ms; import of lib/validation ${first.importCpuMs.toFixed(0)} ms CPU, ${first.importMs.toFixed(0)} ms wall`,
        });
      }
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
}

export const validationSection: BenchSection = {
  name: 'validation',
  title: `Validation (lib/validation): every resource of BBUser${BIGGEST_USER}`,
  run(record) {
    const figure = (key: string, label: string, timing: Timing, parse: Timing, extra: Partial<Figure> = {}) =>
      record({ key, label, value: timing.cpuMs, unit: 'ms', lowerIsBetter: true, note: `${(timing.cpuMs / parse.cpuMs).toFixed(2)}x JSON.parse; wall ${timing.ms.toFixed(0)} ms`, ...extra });

    recordFirstValidations(record);

    const user = syntheticUser(BIGGEST_USER);
    const texts = [patientFor(user), ...coveragesFor(user), ...eobsFor(user)].map((resource) => JSON.stringify(resource));
    const resources = texts.map((text) => JSON.parse(text) as { resourceType: string });
    const megabytes = texts.reduce((sum, text) => sum + text.length, 0) / 1024 / 1024;
    const context = { patientId: user.patientId, synthetic: true };

    let started = performance.now();
    getStu3Validator();
    record({ key: 'validation.stu3-compile-ms', label: 'STU3 schema ready (from the validator cache; compiled when stale)', value: performance.now() - started, unit: 'ms', lowerIsBetter: true });
    started = performance.now();
    const engine = fhirEngine('stu3');
    validateResource(resources[0]);
    record({ key: 'validation.engine-load-ms', label: 'definitions and invariants load (first verdict)', value: performance.now() - started, unit: 'ms', lowerIsBetter: true });

    const parse = time(() => texts.forEach((text) => JSON.parse(text)));
    record({ key: 'validation.parse-ms', label: `JSON.parse of the same bytes (${resources.length} resources, ${megabytes.toFixed(1)} MB), CPU`, value: parse.cpuMs, unit: 'ms', lowerIsBetter: true, note: `wall ${parse.ms.toFixed(0)} ms` });

    // The naive approach takes ~40 ms per EOB: measured on the first NAIVE_SAMPLE resources, scaled to all.
    const naive = createStu3Validator({ patches: [], viaRootOneOf: true });
    const sample = resources.slice(0, NAIVE_SAMPLE);
    const naiveSample = time(() => sample.forEach((resource) => naive.validate(resource)), 1);
    const scale = resources.length / sample.length;
    figure('validation.naive-ms', `naive: unpatched schema, root oneOf (${sample.length} resources, scaled)`, { ms: naiveSample.ms * scale, cpuMs: naiveSample.cpuMs * scale }, parse);

    const schema = getStu3Validator();
    // The figures measured before the engine (schema only), kept for comparison with their baseline.
    const patient = resources[0];
    const patientRounds = time(() => {
      for (let i = 0; i < 5_000; i += 1) schema.validate(patient, 'Patient');
    });
    record({ key: 'validation.patient-per-s', label: 'Patient schema validations', value: 5_000 / (patientRounds.ms / 1000), unit: '/s', lowerIsBetter: false });
    const eobs29999 = eobsFor(syntheticUser(29_999));
    const eobRounds = time(() => eobs29999.forEach((eob) => schema.validate(eob, 'ExplanationOfBenefit')));
    record({ key: 'validation.eob-per-s', label: `ExplanationOfBenefit schema validations (${eobs29999.length} of BBUser29999)`, value: eobs29999.length / (eobRounds.ms / 1000), unit: '/s', lowerIsBetter: false });

    const schemaOnly = time(() => resources.forEach((resource) => schema.validate(resource, resource.resourceType)));
    figure('validation.schema-ms', 'patched schema only', schemaOnly, parse);
    const before = time(() => resources.forEach((resource) => [...schema.validate(resource, resource.resourceType), ...checkBb2Rules(resource, context)]));
    figure('validation.before-ms', 'schema + BB2 rules (the validation before the engine)', before, parse);

    const steps: Array<[string, readonly WalkFamily[], string]> = [
      ['validation.with-invariants-ms', ['cardinality', 'references', 'invariants'], '+ cardinalities, reference targets and invariants'],
      ['validation.with-json-ms', ['cardinality', 'references', 'invariants', 'json'], '+ JSON rules'],
      ['validation.with-bindings-ms', ['cardinality', 'references', 'invariants', 'json', 'bindings'], '+ required bindings (all FHIR families)'],
    ];
    for (const [key, families, label] of steps) {
      const walk = engine.walkWith(families);
      figure(key, label, time(() => resources.forEach((resource) => [...schema.validate(resource, resource.resourceType), ...walk(resource)])), parse);
    }
    const total = time(() => resources.forEach((resource) => validateResource(resource, { expectedType: resource.resourceType, bb2: context })));
    figure('validation.total-ms', 'total: the whole verdict (FHIR + BB2 rules + known deviations)', total, parse);
    record({ key: 'validation.total-vs-before', label: 'total / (schema + BB2 rules), CPU', value: total.cpuMs / before.cpuMs, unit: 'x', lowerIsBetter: true, note: 'the bar is 5x' });
    record({ key: 'validation.total-vs-parse', label: 'total / JSON.parse, CPU', value: total.cpuMs / parse.cpuMs, unit: 'x', lowerIsBetter: true, note: 'the stretch bar is 1x' });

    console.log('  where the time goes (CPU ms of each alone; the bare walk is the traversal without checks):');
    const bare = time(() => resources.forEach((resource) => engine.walkWith([])(resource)));
    const parts: Array<[string, Timing]> = [['schema', schemaOnly], ['bare walk', bare]];
    for (const family of WALK_FAMILIES) {
      const walk = engine.walkWith([family]);
      const alone = time(() => resources.forEach((resource) => walk(resource)));
      parts.push([family, { ms: alone.ms - bare.ms, cpuMs: alone.cpuMs - bare.cpuMs }]);
    }
    parts.push(['BB2 rules', time(() => resources.forEach((resource) => checkBb2Rules(resource, context)))]);
    console.log(`    ${parts.map(([name, timing]) => `${name} ${timing.cpuMs.toFixed(0)}`).join(' · ')}`);

    engine.invariants.profile = new Map();
    const walk = engine.walkWith(['invariants']);
    resources.forEach((resource) => walk(resource));
    const profile = [...engine.invariants.profile].sort((a, b) => b[1].ms - a[1].ms);
    engine.invariants.profile = undefined;
    const native = new Set(engine.invariants.invariants.filter((invariant) => invariant.native).map((invariant) => invariant.definition.key));
    console.log('  costliest invariants (evaluations, wall ms including the timing itself; * = native):');
    console.log(`    ${profile.slice(0, 8).map(([key, entry]) => `${key}${native.has(key) ? '*' : ''} ${entry.evaluations} ${entry.ms.toFixed(1)}`).join(' · ')}`);

    // R4 (BB2 v2): the real samples, R4_COPIES times over, since there is no synthetic v2 data yet.
    const r4Texts = realR4Documents().flatMap(({ document }) => Array.from({ length: R4_COPIES }, () => JSON.stringify(document)));
    const r4Documents = r4Texts.map((text) => JSON.parse(text) as unknown);
    const r4Megabytes = r4Texts.reduce((sum, text) => sum + text.length, 0) / 1024 / 1024;
    started = performance.now();
    const r4Schema = getSchemaValidator(R4);
    validateResource(r4Documents[0], { release: 'r4' });
    record({ key: 'validation.r4-load-ms', label: 'R4 schema ready (from the validator cache) and definitions load', value: performance.now() - started, unit: 'ms', lowerIsBetter: true });
    const r4Parse = time(() => r4Texts.forEach((text) => JSON.parse(text)));
    record({ key: 'validation.r4-parse-ms', label: `R4: JSON.parse of the real samples ×${R4_COPIES} (${r4Documents.length} documents, ${r4Megabytes.toFixed(1)} MB), CPU`, value: r4Parse.cpuMs, unit: 'ms', lowerIsBetter: true, note: `wall ${r4Parse.ms.toFixed(0)} ms` });
    figure('validation.r4-schema-ms', 'R4: patched schema only', time(() => r4Documents.forEach((document) => r4Schema.validate(document))), r4Parse);
    const r4Total = time(() => r4Documents.forEach((document) => validateResource(document, { release: 'r4' })));
    figure('validation.r4-total-ms', 'R4: the whole verdict (FHIR R4 families + known deviations)', r4Total, r4Parse);
    record({ key: 'validation.r4-total-vs-parse', label: 'R4 total / JSON.parse, CPU', value: r4Total.cpuMs / r4Parse.cpuMs, unit: 'x', lowerIsBetter: true });
  },
};

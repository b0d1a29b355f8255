/**
 * The seam selection on hand-made recordings: which checks a fault runs with (its divergences in the
 * checks' own scopes and in the worker fixtures they used, transitively), the fallback to every check
 * where a divergence has no check to name, serial groups kept whole, checks citing the fault first, the
 * --test-list lines, and a layout with two projects running the same spec file (a fault of one API
 * version selects that project's checks only).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { betweenChecksScope, checkScope, fixtureScope, GLOBAL_SETUP_SCOPE, type ScopeRecord } from '../lib/check-scopes.js';
import { NO_REQUEST_SCOPE, type SeamRecord } from '../lib/embedded-sandbox.js';
import { buildCatalogue } from '../lib/requirements/catalogue.js';
import { checkKey, type Check } from '../lib/requirements/checks.js';
import { readSeamRecording, recordingFrom, RecordingError } from './recording.js';
import { attributeSeams, citingFirst, faultSeams, selectChecks, testListLines, withWholeSerialGroups } from './selection.js';

function check(project: string, file: string, title: string, requirements: string[] = [], durationMs = 1000): Check {
  const titles = ['suite', title];
  return {
    title: [file, ...titles].join(' › '),
    project,
    titles,
    key: checkKey(project, [file, ...titles]),
    file,
    line: 1,
    tags: [],
    status: 'passed',
    requirements,
    violated: [],
    durationMs,
  };
}

const source = [{ url: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2' }];
const catalogue = buildCatalogue([
  {
    file: 'requirements/test.json',
    document: { requirements: ['BB2-OAUTH-CODE-01', 'BB2-FHIR-PAGING-03'].map((id) => ({ id, title: id, text: 'text', strength: 'SHALL', area: 'oauth', sources: source })) },
  },
]);

// Two projects running the same files, as the v1/v2 layout does; the test ids differ per project.
const tokenV1 = check('v1', 'oauth/token.spec.ts', 'exchanges a code', ['BB2-OAUTH-CODE-01']);
const pagingV1 = check('v1', 'fhir/paging.spec.ts', 'follows next links', ['BB2-FHIR-PAGING-03']);
const pagingV2 = check('v2', 'fhir/paging.spec.ts', 'follows next links', ['BB2-FHIR-PAGING-03']);
const patientV2 = check('v2', 'fhir/patient.spec.ts', 'reads the patient');
const serialFirst = check('v1', 'oauth/refresh.spec.ts', 'refreshes');
const serialSecond = check('v1', 'oauth/refresh.spec.ts', 'refuses the old refresh token');
const listing = [tokenV1, pagingV1, pagingV2, patientV2, serialFirst, serialSecond];
const serialFiles = new Set(['oauth/refresh.spec.ts']);

const id = (one: Check) => `id-${one.project}-${one.titles.join('-')}`.replace(/\s+/g, '-');
const scopes: ScopeRecord[] = listing.map((one) => ({ scope: checkScope(id(one)), check: one.key }));
const seam = (scope: string, name: string): SeamRecord => ({ scope, seam: name });
const diverged = (scope: string, fault: string): SeamRecord => ({ scope, fault });

// Worker 0 (v1) logs in once (beneficiaryToken) and lists the claims (claimsEobs uses claimsBeneficiary);
// the v1 paging check reads the listing. Worker 1 (v2) has its own.
const baseRecords: SeamRecord[] = [
  seam(checkScope(id(tokenV1)), 'oauth.checkCode'),
  diverged(checkScope(id(tokenV1)), 'code-reusable'),
  seam(fixtureScope(0, 'claimsBeneficiary'), 'oauth.checkCode'),
  seam(fixtureScope(0, 'claimsEobs'), 'fhir.nextLink'),
  diverged(fixtureScope(0, 'claimsEobs'), 'next-link-points-back'),
  seam(fixtureScope(0, 'claimsBeneficiary'), 'oauth.consentScreen'),
  diverged(fixtureScope(0, 'claimsBeneficiary'), 'consent-screen-broken'),
  seam(checkScope(id(pagingV2)), 'fhir.nextLink'),
  diverged(checkScope(id(pagingV2)), 'v2-next-link-broken'),
  seam(checkScope(id(patientV2)), 'fhir.serveResource'),
  seam(checkScope(id(serialSecond)), 'oauth.refresh'),
  diverged(checkScope(id(serialSecond)), 'refresh-token-reusable'),
  // The runner's metadata probe feeds no check: never a reason to run every check.
  seam(GLOBAL_SETUP_SCOPE, 'fhir.capabilities'),
  diverged(GLOBAL_SETUP_SCOPE, 'capabilities-broken'),
];
const uses: ScopeRecord[] = [
  { scope: checkScope(id(pagingV1)), uses: fixtureScope(0, 'claimsEobs') },
  { scope: fixtureScope(0, 'claimsEobs'), uses: fixtureScope(0, 'claimsBeneficiary') },
];

const mode = (faultId: string, fhir: Record<string, unknown> = {}, oauth: Record<string, unknown> = {}) => ({ id: faultId, overrides: { fhir, oauth } }) as never;
const keys = (checks: readonly Check[]) => checks.map((one) => one.key);

describe('attribution of the seam recording to checks', () => {
  const attribution = attributeSeams(recordingFrom(baseRecords, [...scopes, ...uses]));

  it("credits a check with its own divergences and those of the worker fixtures it used, transitively", () => {
    assert.deepEqual([...(attribution.faultsByCheck.get(tokenV1.key) ?? [])], ['code-reusable']);
    assert.deepEqual([...(attribution.faultsByCheck.get(pagingV1.key) ?? [])].sort(), ['consent-screen-broken', 'next-link-points-back']);
    assert.deepEqual([...(attribution.seamsByCheck.get(pagingV1.key) ?? [])].sort(), ['fhir.nextLink', 'oauth.checkCode', 'oauth.consentScreen']);
    // The v2 check of the same file sees only its own worker's requests.
    assert.deepEqual([...(attribution.faultsByCheck.get(pagingV2.key) ?? [])], ['v2-next-link-broken']);
  });

  it('leaves the global setup out and reports nothing unattributed when every scope has its check', () => {
    assert.equal(attribution.unattributed.size, 0);
  });

  it('names the scopes where a fault diverged with no check to name: between checks, before any request, a fixture only they used', () => {
    const records = [
      ...baseRecords,
      diverged(betweenChecksScope(1), 'hook-fault'),
      diverged(NO_REQUEST_SCOPE, 'startup-fault'),
      diverged(fixtureScope(1, 'beneficiaryToken'), 'hook-fixture-fault'),
    ];
    const hooks = attributeSeams(recordingFrom(records, [...scopes, ...uses, { scope: betweenChecksScope(1), uses: fixtureScope(1, 'beneficiaryToken') }]));
    assert.deepEqual([...(hooks.unattributed.get('hook-fault') ?? [])], [betweenChecksScope(1)]);
    assert.deepEqual([...(hooks.unattributed.get('startup-fault') ?? [])], [NO_REQUEST_SCOPE]);
    // The fixture no check used is a root of its own, and is reached from the hook that set it up.
    assert.deepEqual([...(hooks.unattributed.get('hook-fixture-fault') ?? [])].sort(), [`${fixtureScope(1, 'beneficiaryToken')} (used by ${betweenChecksScope(1)})`, fixtureScope(1, 'beneficiaryToken')].sort());
  });
});

describe('the checks a fault runs with', () => {
  const attribution = attributeSeams(recordingFrom(baseRecords, [...scopes, ...uses]));

  it('names the seams a fault replaces', () => {
    assert.deepEqual(faultSeams(mode('x', { nextLink: () => '' }, { checkCode: () => true })), ['oauth.checkCode', 'fhir.nextLink']);
  });

  it('selects exactly the checks in whose scopes (or fixtures) the fault changed an answer', () => {
    const selection = selectChecks(mode('next-link-points-back', { nextLink: () => '' }), attribution, listing, serialFiles);
    assert.deepEqual(keys(selection.checks), [pagingV1.key]);
    // Two checks read the seam (v1 through its listing, v2 itself); the fault changed only v1's answers.
    assert.equal(selection.readers, 2);
    assert.equal(selection.everyCheck, undefined);
  });

  it('selects only the v2 project for a fault that breaks v2 only, although the same file runs in v1', () => {
    const selection = selectChecks(mode('v2-next-link-broken', { nextLink: () => '' }), attribution, listing, serialFiles);
    assert.deepEqual(keys(selection.checks), [pagingV2.key]);
  });

  it('runs a serial group whole when one of its checks is selected', () => {
    const selection = selectChecks(mode('refresh-token-reusable', {}, { refresh: () => true }), attribution, listing, serialFiles);
    assert.deepEqual(keys(selection.checks), [serialFirst.key, serialSecond.key]);
    assert.deepEqual(keys(withWholeSerialGroups([serialSecond, tokenV1], listing, serialFiles)), [tokenV1.key, serialFirst.key, serialSecond.key]);
  });

  it('selects nothing for a fault whose seam is read but never answers differently (not exercised)', () => {
    const selection = selectChecks(mode('serve-resource-same', { serveResource: () => ({}) }), attribution, listing, serialFiles);
    assert.deepEqual(selection.checks, []);
    assert.equal(selection.readers, 1);
  });

  it('selects nothing for a fault that diverged only in the global setup', () => {
    assert.deepEqual(selectChecks(mode('capabilities-broken', { capabilities: () => ({}) }), attribution, listing, serialFiles).checks, []);
  });

  it('runs every check when the fault diverged where no check can be named', () => {
    const unattributed = attributeSeams(recordingFrom([...baseRecords, diverged(betweenChecksScope(0), 'code-reusable')], [...scopes, ...uses]));
    const selection = selectChecks(mode('code-reusable', {}, { checkCode: () => true }), unattributed, listing, serialFiles);
    assert.deepEqual(keys(selection.checks), keys(listing));
    assert.match(selection.everyCheck ?? '', /w0:\(between checks\)/);
  });

  it('puts the checks citing the fault first (serial groups whole) and keeps the rest for later', () => {
    const plan = citingFirst([tokenV1, pagingV1, serialSecond], listing, ['BB2-FHIR-PAGING-03'], catalogue, serialFiles);
    assert.deepEqual(keys(plan.citing), [pagingV1.key]);
    assert.deepEqual(keys(plan.rest), [tokenV1.key, serialSecond.key]);
  });
});

describe('--test-list lines', () => {
  it('is each check by project, file and titles, once', () => {
    assert.deepEqual(testListLines([pagingV1, pagingV2, pagingV1]), ['[v1] › fhir/paging.spec.ts › suite › follows next links', '[v2] › fhir/paging.spec.ts › suite › follows next links']);
  });

  it('falls back to the whole file (of that project) for a title the format cannot carry', () => {
    const odd = { ...pagingV2, titles: ['suite', 'a › b'] };
    const padded = { ...tokenV1, titles: ['suite', ' padded '] };
    assert.deepEqual(testListLines([odd, padded]), ['[v2] › fhir/paging.spec.ts', '[v1] › oauth/token.spec.ts']);
  });
});

describe('reading a recording folder', () => {
  it('reads the sandboxes and workers lines, and stops on a malformed line with its file and line', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'seams-'));
    try {
      writeFileSync(path.join(directory, 'sandbox-1-a.jsonl'), `${baseRecords.map((record) => JSON.stringify(record)).join('\n')}\n`);
      writeFileSync(path.join(directory, 'worker-0.jsonl'), `${[...scopes, ...uses].map((record) => JSON.stringify(record)).join('\n')}\n`);
      const recording = readSeamRecording(directory);
      assert.deepEqual(recording.checkOfScope.get(checkScope(id(tokenV1))), tokenV1.key);
      assert.ok(recording.divergences.get(fixtureScope(0, 'claimsEobs'))?.has('next-link-points-back'));
      writeFileSync(path.join(directory, 'worker-1.jsonl'), '{"scope":"t:x"}\n');
      assert.throws(() => readSeamRecording(directory), (error: unknown) => error instanceof RecordingError && /worker-1\.jsonl:1: not a seam recording line/.test(error.message));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('refuses an empty or missing folder', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'seams-'));
    try {
      assert.throws(() => readSeamRecording(directory), /recorded no seam read/);
      assert.throws(() => readSeamRecording(path.join(directory, 'absent')), /no seam recording in/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

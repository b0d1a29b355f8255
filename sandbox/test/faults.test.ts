/**
 * The self-test's fault modes: the catalog is well formed (one existing seam each, a real change), the
 * faulty entry point refuses unknown ids, and a few representative faults visibly change what the
 * sandbox serves while the default sandbox stays clean.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { checkBb2Rules } from '../../lib/validation/bb2-rules.js';
import { validateStu3 } from '../../lib/validation/validate.js';
import { defaultFhirBehaviour } from '../src/fhir/behaviour.js';
import { defaultOAuthBehaviour } from '../src/oauth/behaviour.js';
import { FAULT_AREAS, FAULT_IDS, FAULT_MODES, faultModeOrThrow, faultRequirements, UnknownFaultError, type FaultMode } from '../src/faults/catalog.js';
import { UsageError } from '../src/cli-arguments.js';
import { parseFaultServeArguments } from '../src/faults/options.js';
import { FaultSelectionError, NORMAL_SANDBOX_COMMAND, sandboxCommand } from '../src/faults/webserver.js';
import { startSandbox, type RunningSandbox } from '../src/server.js';
import { R4_DATA, STU3_DATA, syntheticUser } from '../src/data/index.js';
import { corruptServedResources, inApiVersion, isEobOfType, isRecord, recordsIn } from '../src/faults/corrupt.js';
import { localClient, obtainToken, type ClientCredentials, type TokenResponse } from './fhir-beneficiary-flow.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('fault catalog', () => {
  it('has at least 30 modes with unique kebab-case ids, a known area, a description and catalogue ids of the requirements it breaks', () => {
    assert.ok(FAULT_MODES.length >= 30, `only ${FAULT_MODES.length} fault modes`);
    assert.equal(new Set(FAULT_IDS).size, FAULT_IDS.length, 'duplicate fault ids');
    for (const mode of FAULT_MODES) {
      assert.match(mode.id, /^[a-z0-9]+(-[a-z0-9]+)+$/, mode.id);
      assert.ok((FAULT_AREAS as readonly string[]).includes(mode.area), `${mode.id}: area ${mode.area}`);
      assert.ok(mode.description.trim().length > 20, `${mode.id}: description`);
      // Whether each id exists in requirements/*.json is checked by lib/requirements/suite-citations.test.ts.
      assert.ok(faultRequirements(mode).length > 0, `${mode.id}: names no requirement`);
      for (const id of faultRequirements(mode)) assert.match(id, /^[A-Z][A-Z0-9]*(-[A-Za-z0-9.]+)+$/, `${mode.id}: "${id}" is not a catalogue id`);
      if (mode.undetectable !== undefined) assert.ok(mode.undetectable.trim().length > 0, `${mode.id}: empty undetectable reason`);
    }
  });

  it('covers every area', () => {
    for (const area of FAULT_AREAS) assert.ok(FAULT_MODES.some((mode) => mode.area === area), `no fault in ${area}`);
  });

  it('replaces exactly one existing seam per mode, with something other than the default', () => {
    const seams = (mode: FaultMode) => [
      ...Object.entries(mode.overrides.oauth ?? {}).map(([name, value]) => ({ part: 'oauth' as const, name, value })),
      ...Object.entries(mode.overrides.fhir ?? {}).map(([name, value]) => ({ part: 'fhir' as const, name, value })),
    ];
    for (const mode of FAULT_MODES) {
      const replaced = seams(mode);
      assert.equal(replaced.length, 1, `${mode.id} replaces ${replaced.map((seam) => seam.name).join(', ') || 'nothing'}`);
      const [seam] = replaced as [(typeof replaced)[number]];
      const defaults: Record<string, unknown> = seam.part === 'oauth' ? { ...defaultOAuthBehaviour } : { ...defaultFhirBehaviour };
      assert.ok(seam.name in defaults, `${mode.id}: ${seam.part}.${seam.name} is not a seam`);
      assert.equal(typeof seam.value, typeof defaults[seam.name], `${mode.id}: ${seam.name} has the wrong kind`);
      assert.notEqual(seam.value, defaults[seam.name], `${mode.id}: ${seam.name} is the default`);
    }
  });

  it('has a fault for each deviation the self-test must cover', () => {
    // The deviations named in the self-test's brief, each mapped to the fault that implements it.
    const required = [
      'pkce-challenge-not-required', 'pkce-verifier-not-checked', 'state-not-returned', 'code-reusable',
      'token-redirect-uri-not-checked', 'refresh-token-not-rotated', 'rotated-access-token-still-valid', 'expired-access-token-accepted',
      'token-response-missing-patient', 'token-response-cacheable', 'ownership-not-enforced', 'patient-read-without-patient-scope',
      'fhir-without-token-serves-sample', 'patient-search-other-id-not-refused', 'eob-careteam-provider-missing', 'eob-money-as-string',
      'patient-birthdate-us-format', 'coverage-resource-type-lowercase', 'eob-r4-element', 'patient-gender-rif-code',
      'coverage-beneficiary-unsigned', 'eob-id-underscore', 'patient-bene-id-system-changed', 'bundle-total-page-size',
      'next-link-missing', 'next-link-points-back', 'next-link-overlaps', 'count-ignored', 'type-filter-ignored',
      'fhir-content-type-html', 'coverage-part-d-server-error', 'authorize-errors-html',
    ];
    for (const id of required) assert.ok(FAULT_IDS.includes(id), id);
  });

  it('faultModeOrThrow names every valid id for an unknown one', () => {
    assert.equal(faultModeOrThrow('code-reusable').area, 'oauth');
    assert.throws(() => faultModeOrThrow('no-such-fault'), (error: unknown) => {
      assert.ok(error instanceof UnknownFaultError);
      assert.match(error.message, /unknown fault mode "no-such-fault"/);
      for (const id of FAULT_IDS) assert.ok(error.message.includes(id), id);
      return true;
    });
  });
});

describe('faulty sandbox entry point and webServer command', () => {
  it('serve.ts exits 2 on an unknown fault id, listing the valid ids', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'sandbox/src/faults/serve.ts', '--fault', 'no-such-fault', '--port', '0'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /unknown fault mode "no-such-fault"\. Valid fault modes: .*code-reusable/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(result.stdout, '', 'nothing listens, nothing is announced');
  });

  it('reads the fault from --fault or BB2_SELFTEST_FAULT and refuses a missing one', () => {
    const fromFlag = parseFaultServeArguments(['--fault', 'count-ignored', '--port', '0'], {});
    assert.ok(typeof fromFlag === 'object');
    assert.equal(fromFlag.mode?.id, 'count-ignored');
    assert.equal(fromFlag.recordSeamsTo, undefined);
    assert.deepEqual(fromFlag.settings, { port: 0 });
    const fromEnv = parseFaultServeArguments([], { BB2_SELFTEST_FAULT: 'next-link-missing' });
    assert.ok(typeof fromEnv === 'object');
    assert.equal(fromEnv.mode?.id, 'next-link-missing');
    assert.throws(() => parseFaultServeArguments([], {}), UsageError);
    assert.throws(() => parseFaultServeArguments([], { BB2_SELFTEST_SEAMS: '' }), /no fault mode given/);
    assert.throws(() => parseFaultServeArguments(['--fault', 'x-y'], {}), UnknownFaultError);
    assert.throws(() => parseFaultServeArguments(['--fault', 'count-ignored', '--port', 'abc'], {}), /--port must be a whole number/);
  });

  it('starts a clean sandbox when it only records seams (the clean run), from --record-seams or BB2_SELFTEST_SEAMS', () => {
    const fromFlag = parseFaultServeArguments(['--record-seams', '/tmp/seams'], {});
    assert.ok(typeof fromFlag === 'object');
    assert.equal(fromFlag.mode, undefined);
    assert.equal(fromFlag.recordSeamsTo, '/tmp/seams');
    const both = parseFaultServeArguments(['--fault', 'count-ignored'], { BB2_SELFTEST_SEAMS: '/tmp/seams' });
    assert.ok(typeof both === 'object');
    assert.deepEqual([both.mode?.id, both.recordSeamsTo], ['count-ignored', '/tmp/seams']);
  });

  it('playwright.config.ts gets the normal command unless BB2_SELFTEST_FAULT names a fault or BB2_SELFTEST_SEAMS a recording folder', () => {
    assert.equal(sandboxCommand('embedded', {}), NORMAL_SANDBOX_COMMAND);
    assert.match(NORMAL_SANDBOX_COMMAND, /sandbox\/src\/main\.ts/);
    assert.equal(
      sandboxCommand('embedded', { BB2_SELFTEST_FAULT: 'code-reusable' }),
      'node sandbox/start-bundled.mjs sandbox/src/faults/serve.ts --fault code-reusable --port 0 --host 127.0.0.1 --log-level warn',
    );
    assert.throws(() => sandboxCommand('embedded', { BB2_SELFTEST_FAULT: 'code-reusable; rm -rf /' }), FaultSelectionError);
    assert.throws(() => sandboxCommand('external', { BB2_SELFTEST_FAULT: 'code-reusable' }), /external target/);
    // The clean recording run: serve.ts without a fault, the folder through the environment (no path in the shell).
    assert.equal(sandboxCommand('embedded', { BB2_SELFTEST_SEAMS: '/tmp/a folder' }), 'node sandbox/start-bundled.mjs sandbox/src/faults/serve.ts --port 0 --host 127.0.0.1 --log-level warn');
    assert.throws(() => sandboxCommand('external', { BB2_SELFTEST_SEAMS: '/tmp/seams' }), /BB2_SELFTEST_SEAMS records the seams of the embedded sandbox, but BB2_BASE_URL names an external target/);
  });
});

// ---------------------------------------------------------------------------------------------
// Observable behaviour: the default sandbox against a few faulty ones, on the same requests.

interface BundleJson {
  total: number;
  link: Array<{ relation: string; url: string }>;
  entry?: Array<{ resource: Record<string, unknown> & { id: string; resourceType: string } }>;
}

interface Running {
  readonly sandbox: RunningSandbox;
  readonly token: TokenResponse;
}

const USERNAME = 'BBUser00001'; // 50 carrier claims: five pages of ten
const started: RunningSandbox[] = [];

async function start(faultId?: string): Promise<Running> {
  const overrides = faultId === undefined ? {} : faultModeOrThrow(faultId).overrides;
  const sandbox = await startSandbox({ port: 0, logLevel: 'silent' }, overrides);
  started.push(sandbox);
  return { sandbox, token: await obtainToken(sandbox.url, localClient(sandbox), { username: USERNAME }) };
}

async function get(running: Running, pathAndQuery: string, withToken = true): Promise<Response> {
  const headers = withToken ? { Authorization: `Bearer ${running.token.access_token}` } : undefined;
  return fetch(`${running.sandbox.url}${pathAndQuery}`, { headers });
}

async function getJson<T>(running: Running, pathAndQuery: string): Promise<T> {
  const response = await get(running, pathAndQuery);
  assert.equal(response.status, 200, pathAndQuery);
  return (await response.json()) as T;
}

function startIndexOf(bundle: BundleJson, relation: string): number | undefined {
  const link = bundle.link.find((candidate) => candidate.relation === relation);
  return link === undefined ? undefined : Number(new URL(link.url).searchParams.get('startIndex'));
}

describe('fault modes change what the sandbox serves', () => {
  let clean: Running;
  before(async () => {
    clean = await start();
  });
  after(async () => {
    await Promise.all(started.splice(0).map((sandbox) => sandbox.close()));
  });

  it('resources: patient-birthdate-us-format gives a Patient the STU3 validator rejects; the default is valid', async () => {
    const patientPath = `/v1/fhir/Patient/${clean.token.patient}`;
    const good = await getJson<Record<string, unknown>>(clean, patientPath);
    assert.deepEqual(validateStu3(good, 'Patient'), []);
    const faulty = await start('patient-birthdate-us-format');
    const bad = await getJson<Record<string, unknown>>(faulty, patientPath);
    assert.match(String(bad.birthDate), /^\d{2}\/\d{2}\/\d{4}$/);
    const violations = validateStu3(bad, 'Patient');
    assert.ok(violations.some((violation) => violation.path.includes('birthDate')), JSON.stringify(violations));
    // Deterministic: the same bytes again, and the shared resource itself is untouched.
    assert.deepEqual(await getJson(faulty, patientPath), bad);
    assert.deepEqual(await getJson(clean, patientPath), good);
  });

  it('resources: eob-carrier-patient-missing breaks a BB2 rule on carrier EOBs only; the default passes', async () => {
    const search = '/v1/fhir/ExplanationOfBenefit?_count=5';
    const good = await getJson<BundleJson>(clean, search);
    assert.deepEqual(checkBb2Rules(good, { patientId: clean.token.patient, synthetic: true }), []);
    const faulty = await start('eob-carrier-patient-missing');
    const bad = await getJson<BundleJson>(faulty, search);
    const violations = checkBb2Rules(bad, { patientId: faulty.token.patient, synthetic: true });
    assert.ok(violations.length > 0 && violations.every((violation) => violation.rule.includes('ExplanationOfBenefit.patient reference')), JSON.stringify(violations));
  });

  it('paging: bundle-total-page-size and next-link-missing change total and links; the default pages correctly', async () => {
    const search = '/v1/fhir/ExplanationOfBenefit?_count=10';
    const good = await getJson<BundleJson>(clean, search);
    assert.equal(good.total, 50);
    assert.equal(startIndexOf(good, 'next'), 10);
    const wrongTotal = await getJson<BundleJson>(await start('bundle-total-page-size'), search);
    assert.equal(wrongTotal.total, 10);
    const noNext = await getJson<BundleJson>(await start('next-link-missing'), search);
    assert.equal(noNext.total, 50);
    assert.equal(startIndexOf(noNext, 'next'), undefined);
    const overlapping = await getJson<BundleJson>(await start('next-link-overlaps'), search);
    assert.equal(startIndexOf(overlapping, 'next'), 9);
  });

  it('access: fhir-without-token-serves-sample answers without a token; the default says 401', async () => {
    assert.equal((await get(clean, '/v1/fhir/Patient', false)).status, 401);
    const faulty = await start('fhir-without-token-serves-sample');
    const response = await get(faulty, '/v1/fhir/Patient', false);
    assert.equal(response.status, 200);
    const bundle = (await response.json()) as BundleJson;
    assert.equal(bundle.entry?.[0]?.resource.id, '-20140000008325');
  });

  it('access: expired-access-token-accepted keeps serving a token past its lifetime; the default says 401', async () => {
    const lifetime = { port: 0, logLevel: 'silent' as const, tokenLifetimeSeconds: 1 };
    const clients = async (overrides: Parameters<typeof startSandbox>[1]) => {
      const sandbox = await startSandbox(lifetime, overrides);
      started.push(sandbox);
      const token = await obtainToken(sandbox.url, localClient(sandbox), { username: USERNAME });
      return { sandbox, token };
    };
    const strict = await clients({});
    const lenient = await clients(faultModeOrThrow('expired-access-token-accepted').overrides);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    assert.equal((await get(strict, '/v1/fhir/Coverage')).status, 401);
    assert.equal((await get(lenient, '/v1/fhir/Coverage')).status, 200);
  });

  it('oauth: token-response-cacheable drops Cache-Control from the token response; the default has no-store', async () => {
    // The token response is consumed by obtainToken; fetch one more through a refresh to see its headers.
    const refresh = async (running: Running) => {
      const { client } = running.sandbox.context.settings;
      return fetch(`${running.sandbox.url}/v1/o/token/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: String(running.token.refresh_token),
          client_id: client.id,
          client_secret: client.secret,
        }),
      });
    };
    const good = await refresh(clean);
    assert.equal(good.status, 200);
    assert.equal(good.headers.get('cache-control'), 'no-store');
    const bad = await refresh(await start('token-response-cacheable'));
    assert.equal(bad.status, 200);
    assert.equal(bad.headers.get('cache-control'), null);
    clean = await start(); // the clean sandbox's tokens were rotated away
  });

  it('oauth: authorize-redirect-uri-not-checked sends a code to an unregistered redirect_uri; the default stops at 400', async () => {
    const { client } = clean.sandbox.context.settings;
    const unregistered: ClientCredentials = { id: client.id, secret: client.secret, redirectUri: 'http://localhost:8000/not-registered' };
    await assert.rejects(obtainToken(clean.sandbox.url, unregistered, { username: USERNAME }), /authorization chain: 400 at \/v1\/o\/authorize\/[0-9a-f-]{36}\//);
    const faulty = await start('authorize-redirect-uri-not-checked');
    const token = await obtainToken(faulty.sandbox.url, unregistered, { username: USERNAME });
    assert.equal(typeof token.access_token, 'string');
  });

  it('oauth: client-secret-not-checked issues tokens for a wrong secret; the default says 401', async () => {
    const { client } = clean.sandbox.context.settings;
    const wrongSecret: ClientCredentials = { id: client.id, secret: 'not-the-secret', redirectUri: client.redirectUris[0] as string };
    await assert.rejects(obtainToken(clean.sandbox.url, wrongSecret, { username: 'BBUser00002' }), /token exchange failed with 401/);
    const faulty = await start('client-secret-not-checked');
    const token = await obtainToken(faulty.sandbox.url, wrongSecret, { username: USERNAME });
    assert.equal(typeof token.access_token, 'string');
  });

  it('http: coverage-part-d-server-error answers 500 JSON without a stack; authorize-errors-html answers HTML', async () => {
    const crashing = await start('coverage-part-d-server-error');
    const searched = await get(crashing, '/v1/fhir/Coverage');
    assert.equal(searched.status, 500);
    assert.deepEqual(await searched.json(), { error: 'Server Error (500)' });
    assert.equal((await get(crashing, `/v1/fhir/Coverage/part-a-${crashing.token.patient}`)).status, 200);
    assert.equal((await get(clean, '/v1/fhir/Coverage')).status, 200);

    const authorize = (url: string) => fetch(`${url}/v1/o/authorize/?client_id=${clean.sandbox.context.settings.client.id}&response_type=code`, { redirect: 'manual' });
    const good = await authorize(clean.sandbox.url);
    assert.equal(good.status, 400);
    assert.equal(good.headers.get('content-type'), 'application/json');
    const html = await start('authorize-errors-html');
    const bad = await authorize(html.sandbox.url);
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await bad.text(), /Missing Required Parameter\(s\): code_challenge, code_challenge_method, state/);
  });
});

// ---------------------------------------------------------------------------------------------
// v2: the seams serve both API versions, so a fault breaks v2 as it breaks v1, unless it is narrowed.

describe('fault seams reach the v2 API', () => {
  let clean: Running;
  before(async () => {
    clean = await start();
  });
  after(async () => {
    await Promise.all(started.splice(0).map((sandbox) => sandbox.close()));
  });

  it('paging: next-link-overlaps breaks v2 paging as it breaks v1', async () => {
    const faulty = await start('next-link-overlaps');
    for (const version of [1, 2]) {
      const search = `/v${version}/fhir/ExplanationOfBenefit?_count=10`;
      assert.equal(startIndexOf(await getJson<BundleJson>(clean, search), 'next'), 10, search);
      const bad = await getJson<BundleJson>(faulty, search);
      assert.equal(startIndexOf(bad, 'next'), 9, search);
      assert.equal(new URL(bad.link.find((link) => link.relation === 'next')?.url ?? '').pathname, `/v${version}/fhir/ExplanationOfBenefit`);
    }
  });

  it('http: malformed-id-not-found answers 404 for a malformed id on v2 too', async () => {
    const faulty = await start('malformed-id-not-found');
    for (const version of [1, 2]) {
      assert.equal((await get(clean, `/v${version}/fhir/ExplanationOfBenefit/junk`)).status, 400);
      assert.equal((await get(faulty, `/v${version}/fhir/ExplanationOfBenefit/junk`)).status, 404);
    }
  });

  it('resources: a version-agnostic fault changes the R4 Patient too; the two STU3-only faults leave v2 alone', async () => {
    const usDate = await start('patient-birthdate-us-format');
    const r4 = await getJson<Record<string, unknown>>(usDate, `/v2/fhir/Patient/${usDate.token.patient}`);
    assert.match(String(r4.birthDate), /^\d{2}\/\d{2}\/\d{4}$/);
    const r4Element = await start('eob-r4-element');
    const carrier = async (running: Running, version: 1 | 2) =>
      (await getJson<BundleJson>(running, `/v${version}/fhir/ExplanationOfBenefit?type=carrier&_count=1`)).entry?.[0]?.resource;
    assert.equal((await carrier(r4Element, 1))?.use, 'claim');
    assert.deepEqual(await carrier(r4Element, 2), await carrier(clean, 2));
    const metadata = await start('metadata-fhir-version-r4');
    assert.equal(((await (await get(metadata, '/v1/fhir/metadata', false)).json()) as { fhirVersion: string }).fhirVersion, '4.0.1');
    // Everything but the start time, HAPI's random id and the base URL is the same as the clean sandbox's.
    const statement = async (running: Running) => {
      const text = await (await get(running, '/v2/fhir/metadata', false)).text();
      const { id: _id, date: _date, ...rest } = JSON.parse(text.replaceAll(running.sandbox.url, 'BASE')) as Record<string, unknown>;
      return rest;
    };
    assert.deepEqual(await statement(metadata), await statement(clean));
  });

  it('corrupt helpers work on R4 resources, and inApiVersion narrows a fault to one version', () => {
    const user = syntheticUser(29_999);
    const r4Carrier = R4_DATA.eobsFor(user).find((eob) => eob.id.startsWith('carrier-'));
    const v1Carrier = STU3_DATA.eobsFor(user).find((eob) => eob.id.startsWith('carrier-'));
    assert.ok(r4Carrier && v1Carrier);
    const dropProfile = corruptServedResources(inApiVersion(2, isEobOfType('carrier')), (eob) => {
      if (isRecord(eob.meta)) delete eob.meta.profile;
      recordsIn(eob.careTeam).forEach((member) => delete member.role);
    });
    const served = dropProfile(r4Carrier, 2) as unknown as Record<string, unknown>;
    assert.deepEqual(served.meta, { lastUpdated: (r4Carrier.meta as { lastUpdated: string }).lastUpdated });
    assert.ok(recordsIn(served.careTeam).every((member) => member.role === undefined));
    assert.ok(Array.isArray((r4Carrier.meta as { profile?: unknown }).profile), 'the shared resource is untouched');
    assert.equal(dropProfile(v1Carrier, 1), v1Carrier, 'v1 resources are served as they are');
    assert.equal(dropProfile(r4Carrier, 1), r4Carrier, 'and so is anything served by v1');
  });
});

/**
 * The embedded sandbox's v2 FHIR API (R4) over HTTP, with tokens from the /v2/o/ authorization chain.
 * v2 shares every rule with v1 (fhir-api.test.ts covers them in depth), so this file checks what v2
 * adds (the R4 resources and CapabilityStatement, v2 links, the R4 Coverage id pattern, `created` at
 * request time) and that the shared rules answer exactly as on v1: the same claims in the same order,
 * the same paging, the same error bodies, one rate-limit budget per token across both versions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CLAIM_TYPES, claimCountsForUser, eobServiceDates, R4_DATA, STU3_DATA, findUserByUsername, type SyntheticUser } from '../src/data/index.js';
import { startSandbox, type RunningSandbox } from '../src/server.js';
import { localClient, obtainToken, type TokenResponse } from './fhir-beneficiary-flow.js';

interface BundleJson {
  resourceType: string;
  total: number;
  link: Array<{ relation: string; url: string }>;
  entry?: Array<{ resource: { resourceType: string; id: string; [key: string]: unknown } }>;
}

const C4BB = 'http://hl7.org/fhir/us/carin-bb/StructureDefinition/';

let sandbox: RunningSandbox;
let full: TokenResponse; // BBUser29999 through /v2/o/
let noDemographics: TokenResponse;
let other: TokenResponse;

function user(username: string): SyntheticUser {
  const found = findUserByUsername(username);
  assert.ok(found, username);
  return found;
}

/** GET with the token's Bearer header; `null` sends none. */
async function get(path: string, token: TokenResponse | null = full, init: RequestInit = {}): Promise<{ response: Response; body: unknown }> {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('Authorization', `Bearer ${token.access_token}`);
  const response = await fetch(`${sandbox.url}${path}`, { ...init, headers });
  return { response, body: (await response.json()) as unknown };
}

async function bundle(path: string, token: TokenResponse = full): Promise<BundleJson> {
  const { response, body } = await get(path, token);
  assert.equal(response.status, 200, `${path}: ${JSON.stringify(body).slice(0, 300)}`);
  return body as BundleJson;
}

/** Drops what differs on every response (the Bundle's id and timestamp) and moves v1 links to v2. */
function comparable(result: BundleJson, version: 1 | 2): unknown {
  return {
    total: result.total,
    link: result.link.map((link) => ({ relation: link.relation, url: version === 1 ? link.url.replace('/v1/fhir/', '/v2/fhir/') : link.url })),
    ids: (result.entry ?? []).map((entry) => entry.resource.id),
  };
}

before(async () => {
  sandbox = await startSandbox({ port: 0, logLevel: 'silent' });
  const client = localClient(sandbox);
  full = await obtainToken(sandbox.url, client, { username: 'BBUser29999', version: 2 });
  noDemographics = await obtainToken(sandbox.url, client, { username: 'BBUser00005', shareDemographics: false, version: 2 });
  other = await obtainToken(sandbox.url, client, { username: 'BBUser00001', version: 2 });
});

after(async () => {
  await sandbox.close();
});

describe('GET /v2/fhir/metadata', () => {
  it("serves BFD's R4 statement with BB2's edits, without a token", async () => {
    const { response, body } = await get('/v2/fhir/metadata', null);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    const statement = body as Record<string, unknown>;
    assert.equal(statement.resourceType, 'CapabilityStatement');
    assert.equal(statement.fhirVersion, '4.0.1');
    assert.deepEqual(statement.implementation, { description: 'gov.cms.bfd:bfd-server-war', url: `${sandbox.url}/v2/fhir` });
    const rest = (statement.rest as Array<{ resource: Array<{ type: string }>; security: unknown }>)[0];
    assert.ok(rest);
    assert.deepEqual(rest.resource.map((resource) => resource.type), ['Coverage', 'ExplanationOfBenefit', 'Patient']);
    const v1 = (await get('/v1/fhir/metadata', null)).body as { rest: Array<{ security: unknown }> };
    assert.deepEqual(rest.security, v1.rest[0]?.security, 'the same security block (v2 OAuth URIs) as v1');
  });
});

describe('v2 resources', () => {
  it('Patient: read and search give the C4BB Patient with the MBI, other ids 404', async () => {
    const { response, body } = await get(`/v2/fhir/Patient/${full.patient}`);
    assert.equal(response.status, 200);
    const patient = body as { id: string; meta: { profile: string[] }; identifier: Array<{ system: string; value: string }> };
    assert.equal(patient.id, full.patient);
    assert.deepEqual(patient.meta.profile, [`${C4BB}C4BB-Patient`]);
    assert.deepEqual(patient.identifier.map((identifier) => identifier.system), ['https://bluebutton.cms.gov/resources/variables/bene_id', 'http://hl7.org/fhir/sid/us-mbi']);
    assert.equal(patient.identifier[1]?.value, user('BBUser29999').mbi);
    assert.deepEqual(body, R4_DATA.patientFor(user('BBUser29999')));
    const search = await bundle('/v2/fhir/Patient/');
    assert.deepEqual(search.entry?.map((entry) => entry.resource), [body]);
    assert.equal(new URL(search.link[0]?.url ?? '').pathname, '/v2/fhir/Patient');
    assert.equal((await get(`/v2/fhir/Patient/${other.patient}`)).response.status, 404);
    assert.equal((await get(`/v2/fhir/Patient?_id=${other.patient}`)).response.status, 404);
  });

  it('Coverage: the four C4BB parts; the v2 id pattern lets "parta" through to a 404 where v1 says 400', async () => {
    const result = await bundle('/v2/fhir/Coverage/');
    assert.equal(result.total, 4);
    assert.deepEqual(result.entry?.map((entry) => entry.resource), R4_DATA.coveragesFor(user('BBUser29999')));
    for (const entry of result.entry ?? []) assert.deepEqual((entry.resource.meta as { profile: string[] }).profile, [`${C4BB}C4BB-Coverage`]);
    assert.equal(new URL(result.link.at(-1)?.url ?? '').pathname, '/v2/fhir/Coverage/');
    assert.equal((await get(`/v2/fhir/Coverage/part-b-${full.patient}`)).response.status, 200);
    assert.equal((await get(`/v2/fhir/Coverage/part-b-${other.patient}`)).response.status, 404);
    const malformed = await get('/v2/fhir/Coverage/part-d___--20140000008325');
    assert.equal(malformed.response.status, 400);
    assert.match((malformed.body as { detail: string }).detail, /does not match expected patterns: \{alphaNumericString\}\?-/);
    assert.equal((await get(`/v2/fhir/Coverage/parta-${full.patient}`)).response.status, 404);
    assert.equal((await get(`/v1/fhir/Coverage/parta-${full.patient}`)).response.status, 400);
  });

  it('ExplanationOfBenefit read: the R4 EOB with its C4BB profile, `created` stamped at the time of the request', async () => {
    const stored = R4_DATA.eobsFor(user('BBUser29999'));
    for (const type of CLAIM_TYPES) {
      const eob = stored.find((candidate) => candidate.id.startsWith(`${type}-`));
      assert.ok(eob, type);
      const before = Math.floor(Date.now() / 1000) * 1000;
      const { response, body } = await get(`/v2/fhir/ExplanationOfBenefit/${eob.id}`);
      const after = Date.now();
      assert.equal(response.status, 200, eob.id);
      const served = body as Record<string, unknown>;
      const created = Date.parse(String(served.created));
      assert.match(String(served.created), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
      assert.ok(created >= before && created <= after, `created ${String(served.created)} is the time of the request`);
      assert.deepEqual({ ...served, created: eob.created }, eob, 'otherwise the stored resource, key order included');
      assert.deepEqual(Object.keys(served), Object.keys(eob));
    }
    assert.equal((await get(`/v2/fhir/ExplanationOfBenefit/${R4_DATA.eobsFor(user('BBUser00001'))[0]?.id}`)).response.status, 404);
  });
});

describe('v2 answers as v1 does', () => {
  // BB2's v1 and v2 accept the same tokens (§4.1), so one token asks both.
  it('the same EOBs in the same order on every page, with the same links under /v2/fhir', async () => {
    const total = STU3_DATA.eobsFor(user('BBUser29999')).length;
    for (const query of ['', '?_count=50', '?_count=7&startIndex=140', '?type=pde,carrier&_count=20&startIndex=20', '?service-date=ge2020-01-01&_lastUpdated=lt2026-01-01']) {
      const v1 = await bundle(`/v1/fhir/ExplanationOfBenefit/${query}`);
      const v2 = await bundle(`/v2/fhir/ExplanationOfBenefit/${query}`);
      assert.deepEqual(comparable(v2, 2), comparable(v1, 1), query);
    }
    assert.equal((await bundle('/v2/fhir/ExplanationOfBenefit/')).total, total);
  });

  it('a paging walk over v2 visits every EOB once, in BFD order, the R4 rendering of each v1 claim', async () => {
    const walked: string[] = [];
    let next: string | undefined = `${sandbox.url}/v2/fhir/ExplanationOfBenefit/?_count=50`;
    while (next !== undefined) {
      const response: Response = await fetch(next, { headers: { Authorization: `Bearer ${full.access_token}` } });
      assert.equal(response.status, 200);
      const page = (await response.json()) as BundleJson;
      for (const entry of page.entry ?? []) {
        walked.push(entry.resource.id);
        assert.equal((entry.resource.meta as { profile: string[] }).profile.length, 1);
      }
      next = page.link.find((link) => link.relation === 'next')?.url;
      if (next !== undefined) assert.equal(new URL(next).pathname, '/v2/fhir/ExplanationOfBenefit');
    }
    assert.deepEqual(walked, STU3_DATA.eobsFor(user('BBUser29999')).map((eob) => eob.id));
    const counts = claimCountsForUser(user('BBUser29999'));
    for (const type of CLAIM_TYPES) assert.equal(walked.filter((id) => id.startsWith(`${type}-`)).length, counts[type], type);
  });

  it('filters by service date with the same semantics', async () => {
    const ends = R4_DATA.eobsFor(user('BBUser29999')).map((eob) => eobServiceDates(eob).end).sort();
    const pivot = ends[Math.floor(ends.length / 2)] as string;
    assert.equal((await bundle(`/v2/fhir/ExplanationOfBenefit/?service-date=ge${pivot}`)).total, ends.filter((end) => end >= pivot).length);
  });

  it('the same errors, with the same bodies', async () => {
    const cases: Array<[path: string, token: TokenResponse | null]> = [
      ['/ExplanationOfBenefit/?_count=51', other],
      ['/ExplanationOfBenefit/?_count=0', other],
      ['/ExplanationOfBenefit/?startIndex=x', other],
      ['/ExplanationOfBenefit/?startIndex=100000', other],
      ['/ExplanationOfBenefit/?type=claim', other],
      ['/ExplanationOfBenefit/?service-date=2020-01-01', other],
      ['/ExplanationOfBenefit/?_lastUpdated=ge2020-02-30', other],
      ['/ExplanationOfBenefit/junk', other],
      ['/ExplanationOfBenefit/carrier--1', other],
      [`/ExplanationOfBenefit/?access_token=${other.access_token}`, other],
      [`/Patient/${full.patient}`, other],
      ['/Patient/', null],
      ['/Coverage/', { ...other, access_token: 'NotARealToken0000000000000000' }],
    ];
    for (const [path, token] of cases) {
      const v1 = await get(`/v1/fhir${path}`, token);
      const v2 = await get(`/v2/fhir${path}`, token);
      assert.ok(v1.response.status >= 400, path);
      assert.equal(v2.response.status, v1.response.status, path);
      assert.deepEqual(v2.body, v1.body, path);
      assert.equal(v2.response.headers.get('www-authenticate'), v1.response.headers.get('www-authenticate'), path);
    }
  });

  it('Personal Information withheld: Patient and userinfo 403, Coverage and EOB 200', async () => {
    for (const path of [`/v2/fhir/Patient/${noDemographics.patient}`, '/v2/fhir/Patient', '/v2/connect/userinfo']) {
      const { response, body } = await get(path, noDemographics);
      assert.equal(response.status, 403, path);
      assert.deepEqual(body, { detail: 'You do not have permission to perform this action.' });
    }
    assert.equal((await bundle('/v2/fhir/Coverage/', noDemographics)).total, 4);
  });

  it('v2 userinfo is the v1 profile', async () => {
    const v2 = await get('/v2/connect/userinfo', other);
    const v1 = await get('/v1/connect/userinfo', other);
    assert.equal(v2.response.status, 200);
    assert.deepEqual(v2.body, v1.body);
    assert.equal((v2.body as { patient: string }).patient, other.patient);
  });
});

describe('rate limit', () => {
  it('one budget per token across v1 and v2', async () => {
    const limited = await startSandbox({ port: 0, logLevel: 'silent', rateLimit: { limit: 4, windowSeconds: 60 } });
    try {
      const token = await obtainToken(limited.url, localClient(limited), { username: 'BBUser00003', version: 2 });
      const call = (version: 1 | 2) => fetch(`${limited.url}/v${version}/fhir/Coverage/`, { headers: { Authorization: `Bearer ${token.access_token}` } });
      const remaining: string[] = [];
      for (const version of [2, 1, 2, 1] as const) {
        const response = await call(version);
        assert.equal(response.status, 200);
        remaining.push(response.headers.get('x-ratelimit-remaining') ?? '');
      }
      assert.deepEqual(remaining, ['3', '2', '1', '0']);
      const refused = await call(2);
      assert.equal(refused.status, 429);
      assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
      assert.match(((await refused.json()) as { detail: string }).detail, /^Request was throttled\. Expected available in \d+ seconds?\.$/);
    } finally {
      await limited.close();
    }
  });
});

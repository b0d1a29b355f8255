/**
 * The embedded sandbox's v1 FHIR API over HTTP, with tokens obtained through the real authorization
 * chain (login + consent, fhir-beneficiary-flow.ts). Expectations come from the BB2-FHIR-* requirements (requirements/bb2.json) and
 * from the data module (what each beneficiary has), never from the API's own answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateStu3 } from '../../lib/validation/validate.js';
import {
  CLAIM_TYPES,
  claimCountsForUser,
  eobServiceDates,
  eobsFor,
  findUserByUsername,
  syntheticUser,
  type SyntheticUser,
} from '../src/data/index.js';
import { startSandbox, type RunningSandbox } from '../src/server.js';
import { localClient, obtainToken, type TokenResponse } from './fhir-beneficiary-flow.js';

interface BundleJson {
  resourceType: string;
  total: number;
  type: string;
  link: Array<{ relation: string; url: string }>;
  entry?: Array<{ resource: { resourceType: string; id: string; [key: string]: unknown }; fullUrl?: string }>;
}

const EOB_TYPE_SYSTEM = 'https://bluebutton.cms.gov/resources/codesystem/eob-type';

function user(username: string): SyntheticUser {
  const found = findUserByUsername(username);
  assert.ok(found, username);
  return found;
}

let sandbox: RunningSandbox;
let full: TokenResponse; // BBUser29999: every claim type, all scopes
let noDemographics: TokenResponse; // Personal Information unticked
let eobOnly: TokenResponse; // scope limited to EOB
let other: TokenResponse; // a second beneficiary, for cross-beneficiary reads

async function api(path: string, token: TokenResponse | string | undefined, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token !== undefined) headers.set('Authorization', `Bearer ${typeof token === 'string' ? token : token.access_token}`);
  return fetch(`${sandbox.url}${path}`, { ...init, headers });
}

async function json<T>(path: string, token: TokenResponse | string | undefined, init: RequestInit = {}): Promise<{ response: Response; body: T }> {
  const response = await api(path, token, init);
  return { response, body: (await response.json()) as T };
}

async function bundle(path: string, token: TokenResponse = full): Promise<BundleJson> {
  const { response, body } = await json<BundleJson>(path, token);
  assert.equal(response.status, 200, `${path}: ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

async function expectError(path: string, token: TokenResponse | string | undefined, status: number, detail: string | RegExp): Promise<Response> {
  const { response, body } = await json<{ detail: string }>(path, token);
  assert.equal(response.status, status, `${path} -> ${JSON.stringify(body)}`);
  if (typeof detail === 'string') assert.deepEqual(body, { detail });
  else assert.match(body.detail, detail);
  return response;
}

function linkOf(result: BundleJson, relation: string): URL | undefined {
  const link = result.link.find((candidate) => candidate.relation === relation);
  return link === undefined ? undefined : new URL(link.url);
}

before(async () => {
  // Compile the STU3 schema before any connection is open: compiling blocks this process (client and
  // server) for seconds on a busy machine, long enough for the server to drop an idle keep-alive socket
  // that fetch then reuses for the next POST (ECONNRESET; fetch retries only idempotent requests).
  validateStu3({ resourceType: 'Patient' }, 'Patient');
  sandbox = await startSandbox({ port: 0, logLevel: 'silent' });
  const client = localClient(sandbox);
  // One token per beneficiary: a new consent revokes the pair's earlier tokens (BB2-OAUTH-CONSENT-02).
  full = await obtainToken(sandbox.url, client, { username: 'BBUser29999' });
  noDemographics = await obtainToken(sandbox.url, client, { username: 'BBUser00005', shareDemographics: false });
  eobOnly = await obtainToken(sandbox.url, client, { username: 'BBUser00006', scope: 'patient/ExplanationOfBenefit.rs' });
  other = await obtainToken(sandbox.url, client, { username: 'BBUser00001' });
});

after(async () => {
  await sandbox.close();
});

describe('GET /v1/fhir/metadata', () => {
  it('serves a valid STU3 CapabilityStatement, built as BB2 does, without a token', async () => {
    const { response, body } = await json<Record<string, unknown>>('/v1/fhir/metadata', undefined);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.deepEqual(validateStu3(body, 'CapabilityStatement'), []);
    assert.equal(body.fhirVersion, '3.0.2');
    assert.deepEqual(body.format, ['application/json', 'application/fhir+json']);
    const rest = (body.rest as Array<Record<string, unknown>>)[0] ?? {};
    const resources = rest.resource as Array<{ type: string; interaction: unknown }>;
    assert.deepEqual(resources.map((resource) => resource.type).sort(), ['Coverage', 'ExplanationOfBenefit', 'Patient']);
    for (const resource of resources) assert.deepEqual(resource.interaction, [{ code: 'read' }, { code: 'search-type' }]);
    const security = rest.security as { cors: boolean; extension: Array<{ url: string; extension: Array<{ url: string; valueUri: string }> }> };
    assert.equal(security.cors, true);
    assert.deepEqual(security.extension[0]?.extension, [
      { url: 'token', valueUri: `${sandbox.url}/v2/o/token` },
      { url: 'authorize', valueUri: `${sandbox.url}/v2/o/authorize` },
      { url: 'revoke', valueUri: `${sandbox.url}/v2/o/revoke_token` },
    ]);
    assert.equal(response.headers.get('x-ratelimit-limit'), 'None', 'no throttle runs for metadata');
  });
  it('answers other methods with 405', async () => {
    const response = await api('/v1/fhir/metadata', undefined, { method: 'POST' });
    assert.equal(response.status, 405);
    assert.deepEqual(await response.json(), { detail: 'Method "POST" not allowed.' });
  });
});

describe('GET /v2/fhir/metadata (what the OpenID configuration names as fhir_metadata_uri)', () => {
  it('serves BFD\'s R4 CapabilityStatement with BB2\'s edits, without a token', async () => {
    const discovery = await json<{ fhir_metadata_uri: string }>('/.well-known/openid-configuration', undefined);
    assert.equal(discovery.body.fhir_metadata_uri, `${sandbox.url}/v2/fhir/metadata`);
    const { response, body } = await json<Record<string, unknown>>('/v2/fhir/metadata', undefined);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(body.resourceType, 'CapabilityStatement');
    assert.equal(body.fhirVersion, '4.0.1');
    assert.match(String(body.id), /^[0-9a-f-]{36}$/, 'the placeholder id is filled');
    assert.ok(!JSON.stringify(body).includes('IGNORED_FIELD'), 'every placeholder is filled');
    assert.deepEqual((body.implementation as { url: string }).url, `${sandbox.url}/v2/fhir`);
    const rest = (body.rest as Array<Record<string, unknown>>)[0] ?? {};
    const resources = rest.resource as Array<{ type: string; interaction: unknown }>;
    assert.deepEqual(resources.map((resource) => resource.type).sort(), ['Coverage', 'ExplanationOfBenefit', 'Patient'], 'Claim and ClaimResponse are filtered out');
    for (const resource of resources) assert.deepEqual(resource.interaction, [{ code: 'read' }, { code: 'search-type' }]);
    assert.equal((rest.security as { cors: boolean }).cors, true);
  });

  it('is not served when the metadataServed seam says so (fault fhir-metadata-uri-not-served)', async () => {
    const without = await startSandbox({ port: 0, logLevel: 'silent' }, { fhir: { metadataServed: (version) => version !== 2 } });
    try {
      assert.equal((await fetch(`${without.url}/v2/fhir/metadata`)).status, 404);
      assert.equal((await fetch(`${without.url}/v1/fhir/metadata`)).status, 200);
    } finally {
      await without.close();
    }
  });
});

describe('authentication and permissions', () => {
  it('401 without a token, with realm only', async () => {
    const response = await expectError('/v1/fhir/Patient', undefined, 401, 'Authentication credentials were not provided.');
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="api"');
    assert.equal(response.headers.get('x-ratelimit-remaining'), 'None');
  });
  it('401 for an unknown token, naming invalid_token', async () => {
    const response = await expectError('/v1/fhir/ExplanationOfBenefit', 'NotARealToken0000000000000000', 401, 'Authentication credentials were not provided.');
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="api", error="invalid_token", error_description="The access token is invalid."');
  });
  it('401 for an expired token, naming the expiry', async () => {
    // Lifetimes count in whole seconds from the second of issue (oidc-provider), so a 1-second token can be
    // expired by the first request; 2 seconds leave it at least one second of life.
    const shortLived = await startSandbox({ port: 0, logLevel: 'silent', tokenLifetimeSeconds: 2 });
    try {
      const token = await obtainToken(shortLived.url, localClient(shortLived), { username: 'BBUser00002' });
      const fresh = await fetch(`${shortLived.url}/v1/fhir/Coverage/`, { headers: { Authorization: `Bearer ${token.access_token}` } });
      assert.equal(fresh.status, 200);
      await new Promise((resolve) => setTimeout(resolve, 3100));
      const expired = await fetch(`${shortLived.url}/v1/fhir/Coverage/`, { headers: { Authorization: `Bearer ${token.access_token}` } });
      assert.equal(expired.status, 401);
      assert.deepEqual(await expired.json(), { detail: 'Authentication credentials were not provided.' });
      assert.match(expired.headers.get('www-authenticate') ?? '', /error="invalid_token", error_description="The access token (has expired|is invalid)\."$/);
    } finally {
      await shortLived.close();
    }
  });
  it('a clock moved past the lifetime (StartOptions.clock) expires the token at once, naming the expiry', async () => {
    let offsetMs = 0;
    const clocked = await startSandbox({ port: 0, logLevel: 'silent' }, {}, { clock: () => Date.now() + offsetMs });
    try {
      const token = await obtainToken(clocked.url, localClient(clocked), { username: 'BBUser00002' });
      const read = () => fetch(`${clocked.url}/v1/fhir/Coverage/`, { headers: { Authorization: `Bearer ${token.access_token}` } });
      const lifetimeSeconds = Number(token.expires_in);
      assert.ok(lifetimeSeconds > 2, `expires_in ${String(token.expires_in)}`);
      offsetMs = (lifetimeSeconds - 2) * 1000;
      assert.equal((await read()).status, 200);
      offsetMs = (lifetimeSeconds + 1) * 1000;
      const expired = await read();
      assert.equal(expired.status, 401);
      assert.equal(expired.headers.get('www-authenticate'), 'Bearer realm="api", error="invalid_token", error_description="The access token has expired."');
    } finally {
      await clocked.close();
    }
  });
  it('403 on Patient when Personal Information was withheld; Coverage and EOB still work', async () => {
    await expectError(`/v1/fhir/Patient/${noDemographics.patient}`, noDemographics, 403, 'You do not have permission to perform this action.');
    await expectError('/v1/fhir/Patient', noDemographics, 403, 'You do not have permission to perform this action.');
    assert.equal((await bundle('/v1/fhir/Coverage/', noDemographics)).total, 4);
    assert.ok((await bundle('/v1/fhir/ExplanationOfBenefit/', noDemographics)).total >= 0);
  });
  it('403 for a resource type outside the token scope', async () => {
    await expectError('/v1/fhir/Coverage/', eobOnly, 403, 'You do not have permission to perform this action.');
    await expectError(`/v1/fhir/Patient/${eobOnly.patient}`, eobOnly, 403, 'You do not have permission to perform this action.');
    await bundle('/v1/fhir/ExplanationOfBenefit/', eobOnly);
  });
  it('400 for a token in the query string, even next to a valid header', async () => {
    await expectError(
      `/v1/fhir/ExplanationOfBenefit/?access_token=${full.access_token}`,
      full,
      400,
      'Using the access token in the query parameters is not supported. Use the Authorization header instead',
    );
  });
  it('only GET is granted by BB2 scopes: other methods get 401 without a token, 403 with one', async () => {
    assert.equal((await api('/v1/fhir/Patient/', undefined, { method: 'POST' })).status, 401);
    const withToken = await api('/v1/fhir/Patient/', full, { method: 'POST', body: '{}' });
    assert.equal(withToken.status, 403);
  });
  it('leaves other resource types and API versions to the HTML 404 page', async () => {
    for (const path of ['/v1/fhir/Observation', '/v1/fhir/Observation/1', '/v2/fhir/Observation', '/v3/fhir/Patient/']) {
      const response = await api(path, full);
      assert.equal(response.status, 404, path);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    }
  });
});

describe('content types', () => {
  it('application/json by default and for */*, application/fhir+json when asked', async () => {
    assert.equal((await api('/v1/fhir/Coverage/', full)).headers.get('content-type'), 'application/json');
    assert.equal((await api('/v1/fhir/Coverage/', full, { headers: { Accept: '*/*' } })).headers.get('content-type'), 'application/json');
    const fhir = await api('/v1/fhir/Coverage/', full, { headers: { Accept: 'application/fhir+json' } });
    assert.equal(fhir.headers.get('content-type'), 'application/fhir+json');
    assert.equal(((await fhir.json()) as BundleJson).resourceType, 'Bundle');
  });
  it('errors carry the negotiated type; an unsatisfiable Accept is 406', async () => {
    const denied = await api('/v1/fhir/Coverage/', undefined, { headers: { Accept: 'application/fhir+json' } });
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('content-type'), 'application/fhir+json');
    const refused = await api('/v1/fhir/Coverage/', full, { headers: { Accept: 'application/xml' } });
    assert.equal(refused.status, 406);
    assert.deepEqual(await refused.json(), { detail: 'Could not satisfy the request Accept header.' });
  });
});

describe('Patient', () => {
  it('reads the own Patient, valid STU3, and 404s any other id', async () => {
    const { response, body } = await json<{ resourceType: string; id: string }>(`/v1/fhir/Patient/${full.patient}`, full);
    assert.equal(response.status, 200);
    assert.equal(body.id, full.patient);
    assert.deepEqual(validateStu3(body, 'Patient'), []);
    await expectError(`/v1/fhir/Patient/${other.patient}`, full, 404, 'Not found.');
    await expectError('/v1/fhir/Patient/-99140000008326', full, 404, 'Not found.');
  });
  it('searches the own Patient whatever the query names, and 404s a foreign _id', async () => {
    for (const query of ['', '?_id=' + full.patient, '?identifier=https://bluebutton.cms.gov/resources/identifier/mbi-hash|abc']) {
      const result = await bundle(`/v1/fhir/Patient/${query}`);
      assert.equal(result.total, 1);
      assert.equal(result.entry?.[0]?.resource.id, full.patient);
      assert.equal(linkOf(result, 'first')?.searchParams.get('_id'), full.patient);
    }
    assert.deepEqual(validateStu3(await bundle('/v1/fhir/Patient'), 'Bundle'), []);
    await expectError(`/v1/fhir/Patient?_id=${other.patient}`, full, 404, 'Not found.');
  });
});

describe('Coverage', () => {
  it('searches the four parts of the token beneficiary, whatever beneficiary is asked for', async () => {
    for (const path of ['/v1/fhir/Coverage/', `/v1/fhir/Coverage?beneficiary=Patient/${other.patient}`]) {
      const result = await bundle(path);
      assert.equal(result.total, 4);
      assert.deepEqual(
        result.entry?.map((entry) => entry.resource.id),
        ['part-a', 'part-b', 'part-c', 'part-d'].map((part) => `${part}-${full.patient}`),
      );
      assert.equal(linkOf(result, 'self')?.searchParams.get('beneficiary'), `Patient/${full.patient}`);
    }
    assert.deepEqual(validateStu3(await bundle('/v1/fhir/Coverage/'), 'Bundle'), []);
  });
  it("reads own Coverage; another beneficiary's or unknown is 404; a malformed id is BFD's 400", async () => {
    const { response } = await json(`/v1/fhir/Coverage/part-a-${full.patient}`, full);
    assert.equal(response.status, 200);
    await expectError(`/v1/fhir/Coverage/part-a-${other.patient}`, full, 404, 'Not found.');
    await expectError(`/v1/fhir/Coverage/part-e-${full.patient}`, full, 404, 'Not found.');
    await expectError('/v1/fhir/Coverage/part-a-99999999999999', full, 404, 'Not found.');
    await expectError(
      '/v1/fhir/Coverage/part-d___--20140000008325',
      full,
      400,
      "An error occurred contacting the upstream server:Coverage ID pattern: 'part-d___--20140000008325' does not match expected pattern: {alphaNumericString}-{singleCharacter}-{idNumber}",
    );
  });
});

describe('ExplanationOfBenefit', () => {
  const fullUser = () => user('BBUser29999');

  it('searches 10 per page by default with the total across pages, in BFD order, valid STU3', async () => {
    const expected = eobsFor(fullUser()).map((eob) => eob.id);
    const result = await bundle('/v1/fhir/ExplanationOfBenefit/');
    assert.equal(result.type, 'searchset');
    assert.equal(result.total, expected.length);
    assert.deepEqual(result.entry?.map((entry) => entry.resource.id), expected.slice(0, 10));
    assert.deepEqual(validateStu3(result, 'Bundle'), []);
    assert.deepEqual(
      result.link.map((link) => link.relation),
      ['first', 'next', 'last', 'self'],
    );
    const first = linkOf(result, 'first');
    assert.equal(first?.pathname, '/v1/fhir/ExplanationOfBenefit');
    assert.equal(first?.searchParams.get('_format'), 'application/fhir+json');
    assert.equal(first?.searchParams.get('patient'), full.patient);
    assert.equal(linkOf(result, 'self')?.pathname, '/v1/fhir/ExplanationOfBenefit/');
  });
  it('filters by each claim type, case-insensitively and with the eob-type system', async () => {
    const counts = claimCountsForUser(fullUser());
    for (const type of CLAIM_TYPES) {
      const result = await bundle(`/v1/fhir/ExplanationOfBenefit/?type=${type}&_count=50`);
      assert.equal(result.total, counts[type], type);
      assert.ok(counts[type] > 0, `BBUser29999 has ${type} claims`);
      for (const entry of result.entry ?? []) assert.ok(entry.resource.id.startsWith(`${type}-`), entry.resource.id);
      const coded = result.entry?.[0]?.resource.type as { coding: Array<{ system: string; code: string }> };
      assert.ok(coded.coding.some((coding) => coding.system === EOB_TYPE_SYSTEM && coding.code === type.toUpperCase()));
    }
    const mixed = await bundle(`/v1/fhir/ExplanationOfBenefit/?type=CARRIER,${encodeURIComponent(`${EOB_TYPE_SYSTEM}|pde`)}`);
    assert.equal(mixed.total, counts.carrier + counts.pde);
    assert.equal(linkOf(mixed, 'next')?.searchParams.get('type'), `CARRIER,${EOB_TYPE_SYSTEM}|pde`);
    await expectError('/v1/fhir/ExplanationOfBenefit/?type=carrier,INVALID-TYPE,dme,', full, 400, 'the type parameter value is not valid');
  });
  it('filters by service-date (end date) with each operator, repeatable', async () => {
    const eobs = eobsFor(fullUser());
    const ends = eobs.map((eob) => eobServiceDates(eob).end).sort();
    const pivot = ends[Math.floor(ends.length / 2)] as string;
    const countWhere = (test: (end: string) => boolean) => ends.filter(test).length;
    const expectations: Array<[string, number]> = [
      [`ge${pivot}`, countWhere((end) => end >= pivot)],
      [`gt${pivot}`, countWhere((end) => end > pivot)],
      [`le${pivot}`, countWhere((end) => end <= pivot)],
      [`lt${pivot}`, countWhere((end) => end < pivot)],
    ];
    for (const [value, count] of expectations) {
      assert.equal((await bundle(`/v1/fhir/ExplanationOfBenefit/?service-date=${value}`)).total, count, value);
    }
    const year = pivot.slice(0, 4);
    const inYear = await bundle(`/v1/fhir/ExplanationOfBenefit/?service-date=ge${year}&service-date=lt${Number(year) + 1}&_count=50`);
    assert.equal(inYear.total, countWhere((end) => end.startsWith(year)));
    assert.deepEqual(linkOf(inYear, 'self')?.searchParams.getAll('service-date'), [`ge${year}`, `lt${Number(year) + 1}`]);
    await expectError(`/v1/fhir/ExplanationOfBenefit/?service-date=${pivot}`, full, 400, 'the service-date operator is not valid');
    await expectError('/v1/fhir/ExplanationOfBenefit/?service-date=ge2020-02-30', full, 400, /^An error occurred contacting the upstream server:/);
  });
  it('filters by _lastUpdated, and an empty result is a Bundle without entries', async () => {
    const all = eobsFor(fullUser()).length;
    assert.equal((await bundle('/v1/fhir/ExplanationOfBenefit/?_lastUpdated=gt2000-01-01')).total, all);
    const none = await bundle('/v1/fhir/ExplanationOfBenefit/?_lastUpdated=lt2000-01-01&_lastUpdated=gt1990');
    assert.equal(none.total, 0);
    assert.equal(none.entry, undefined);
    assert.deepEqual(none.link.map((link) => link.relation), ['first', 'last', 'self']);
    assert.equal((await bundle('/v1/fhir/Coverage/?_lastUpdated=lt2000-01-01')).total, 0);
    await expectError('/v1/fhir/ExplanationOfBenefit/?_lastUpdated=zz2020-11-22T14:00:00-05:00', full, 400, 'the _lastUpdated operator is not valid');
  });
  it('applies BB2 and BFD paging rules and errors', async () => {
    const total = eobsFor(fullUser()).length;
    assert.equal((await bundle('/v1/fhir/ExplanationOfBenefit/?count=3')).entry?.length, 3, 'count is renamed _count');
    await expectError('/v1/fhir/ExplanationOfBenefit/?_count=51', full, 400, 'value must be at most 50');
    await expectError('/v1/fhir/ExplanationOfBenefit/?_count=ten', full, 400, 'expected int');
    await expectError('/v1/fhir/ExplanationOfBenefit/?_count=0', full, 400, "An error occurred contacting the upstream server:Invalid pageSize '0'");
    await expectError('/v1/fhir/ExplanationOfBenefit/?startIndex=x', full, 400, 'expected int');
    await expectError(
      `/v1/fhir/ExplanationOfBenefit/?startIndex=${total}`,
      full,
      400,
      `An error occurred contacting the upstream server:Value for startIndex (${total}) must be less than than result size (${total})`,
    );
    const lastPage = await bundle(`/v1/fhir/ExplanationOfBenefit/?startIndex=${total - 1}`);
    assert.equal(lastPage.entry?.length, 1);
    assert.deepEqual(lastPage.link.map((link) => link.relation), ['first', 'previous', 'last', 'self']);
  });
  it('drops unknown parameters and always searches the token beneficiary', async () => {
    const result = await bundle(`/v1/fhir/ExplanationOfBenefit/?patient=${other.patient}&excludeSAMHSA=true&foo=bar&_count=5`);
    for (const entry of result.entry ?? []) assert.equal((entry.resource.patient as { reference: string }).reference, `Patient/${full.patient}`);
    for (const link of result.link) {
      const url = new URL(link.url);
      assert.equal(url.searchParams.get('patient'), full.patient);
      assert.equal(url.searchParams.has('foo') || url.searchParams.has('excludeSAMHSA'), false);
    }
  });
  it("reads own EOBs; another beneficiary's or unknown is 404; a malformed id is BFD's 400", async () => {
    const own = eobsFor(fullUser())[0];
    assert.ok(own);
    const { response, body } = await json<{ id: string }>(`/v1/fhir/ExplanationOfBenefit/${own.id}`, full);
    assert.equal(response.status, 200);
    assert.equal(body.id, own.id);
    const foreign = eobsFor(user('BBUser00001'))[0];
    assert.ok(foreign);
    await expectError(`/v1/fhir/ExplanationOfBenefit/${foreign.id}`, full, 404, 'Not found.');
    await expectError('/v1/fhir/ExplanationOfBenefit/carrier--1', full, 404, 'Not found.');
    await expectError('/v1/fhir/ExplanationOfBenefit/foo--1', full, 404, 'Not found.');
    await expectError(
      '/v1/fhir/ExplanationOfBenefit/junk',
      full,
      400,
      "An error occurred contacting the upstream server:ExplanationOfBenefit ID pattern: 'junk' does not match expected pattern: {alphaString}-{idNumber}",
    );
  });
});

describe('paging walk over the beneficiary with the most claims', () => {
  /** Follows `next` links from the first page of 50, checking every page's links; returns the ids seen. */
  async function walk(token: TokenResponse, claims: number): Promise<{ ids: string[]; pages: number; ms: number }> {
    const ids: string[] = [];
    const started = performance.now();
    let next: string | undefined = `${sandbox.url}/v1/fhir/ExplanationOfBenefit/?_count=50`;
    let pages = 0;
    while (next !== undefined) {
      const response: Response = await fetch(next, { headers: { Authorization: `Bearer ${token.access_token}` } });
      assert.equal(response.status, 200);
      const page = (await response.json()) as BundleJson;
      const start = pages * 50;
      assert.equal(page.total, claims, 'total is the same on every page');
      assert.equal(linkOf(page, 'first')?.searchParams.get('startIndex'), '0');
      assert.equal(linkOf(page, 'last')?.searchParams.get('startIndex'), String(Math.floor((claims - 1) / 50) * 50));
      assert.equal(linkOf(page, 'previous')?.searchParams.get('startIndex'), start > 0 ? String(start - 50) : undefined);
      assert.equal(linkOf(page, 'next')?.searchParams.get('startIndex'), start + 50 < claims ? String(start + 50) : undefined);
      for (const relation of ['first', 'next', 'previous', 'last']) {
        const link = linkOf(page, relation);
        if (link) assert.equal(link.searchParams.get('_count'), '50');
      }
      ids.push(...(page.entry ?? []).map((entry) => entry.resource.id));
      next = page.link.find((link) => link.relation === 'next')?.url;
      pages += 1;
    }
    return { ids, pages, ms: performance.now() - started };
  }

  it('visits every EOB exactly once, 50 per page, with correct links on every page', async () => {
    let biggest = syntheticUser(0);
    let most = -1;
    // Every 7th user is enough to find one with hundreds of claims, and keeps this synchronous scan short:
    // it runs in the sandbox's own process, and a long block would race the keep-alive sockets.
    for (let number = 0; number <= 29_999; number += 7) {
      const counts = claimCountsForUser(syntheticUser(number));
      const claims = CLAIM_TYPES.reduce((sum, type) => sum + counts[type], 0);
      if (claims > most) [biggest, most] = [syntheticUser(number), claims];
    }
    assert.ok(most > 100, `the biggest user has ${most} claims`);
    const token = await obtainToken(sandbox.url, localClient(sandbox), { username: biggest.username });

    // First walk: the sandbox builds the EOBs on the first page request.
    const cold = await walk(token, most);
    const warm = await walk(token, most);
    const expected = eobsFor(biggest).map((eob) => eob.id);
    assert.equal(new Set(cold.ids).size, cold.ids.length, 'no EOB twice');
    assert.deepEqual(cold.ids, expected, 'every EOB, in BFD order');
    assert.deepEqual(warm.ids, expected);
    console.log(
      `# walk: ${biggest.username}, ${most} EOBs, ${cold.pages} pages of 50: ${cold.ms.toFixed(0)} ms cold, ${warm.ms.toFixed(0)} ms warm`,
    );
  });
});

describe('rate limit', () => {
  it('counts down per token and answers 429 with Retry-After once the budget is spent', async () => {
    const limited = await startSandbox({ port: 0, logLevel: 'silent', rateLimit: { limit: 5, windowSeconds: 60 } });
    try {
      const client = localClient(limited);
      const token = await obtainToken(limited.url, client, { username: 'BBUser00003' });
      const second = await obtainToken(limited.url, client, { username: 'BBUser00004' });
      const call = (t: TokenResponse) => fetch(`${limited.url}/v1/fhir/Coverage/`, { headers: { Authorization: `Bearer ${t.access_token}` } });
      for (let remaining = 4; remaining >= 0; remaining -= 1) {
        const response = await call(token);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('x-ratelimit-limit'), '5');
        assert.equal(response.headers.get('x-ratelimit-remaining'), String(remaining));
        assert.ok(Number(response.headers.get('x-ratelimit-reset')) <= 60);
      }
      const refused = await call(token);
      assert.equal(refused.status, 429);
      const retryAfter = refused.headers.get('retry-after') ?? '';
      assert.match(retryAfter, /^\d+$/);
      assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 60);
      assert.deepEqual(await refused.json(), { detail: `Request was throttled. Expected available in ${retryAfter} second${retryAfter === '1' ? '' : 's'}.` });
      assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
      assert.equal((await call(second)).status, 200, 'another token has its own budget');
    } finally {
      await limited.close();
    }
  });
});

/**
 * Unit tests of the FHIR rules that need no server: content negotiation, date semantics, the
 * throttle's arithmetic, BFD paging links, query validation and the CapabilityStatement edits.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { defaultFhirBehaviour as rules } from '../src/fhir/behaviour.js';
import { filterCapabilityStatement, loadBfdCapabilityStatement, pythonJsonDumps } from '../src/fhir/capability.js';
import { parseFhirDate, satisfies, dayInterval } from '../src/fhir/dates.js';
import { negotiateMediaType } from '../src/fhir/negotiation.js';
import { claimTypesOf, isValidTypeList, offsetPageLinks, parsePythonInt } from '../src/fhir/search.js';
import { pythonFloat, TokenRateThrottle } from '../src/fhir/throttle.js';
import { isFailure } from '../src/fhir/types.js';

describe('content negotiation (DRF, renderers JSON then FHIR JSON)', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['application/*', 'application/json'],
    ['application/fhir+json', 'application/fhir+json'],
    ['application/json', 'application/json'],
    ['application/fhir+json, application/json', 'application/json'],
    // q-values do not count in DRF; only specificity and renderer order do.
    ['application/json;q=0.1, application/fhir+json', 'application/json;q=0.1'],
    ['application/fhir+json; charset=utf-8, application/json', 'application/fhir+json; charset=utf-8'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/json;q=0.8'],
  ];
  for (const [accept, expected] of cases) {
    it(`Accept ${JSON.stringify(accept)} -> ${expected}`, () => {
      assert.deepEqual(negotiateMediaType(accept, null), { ok: true, mediaType: expected });
    });
  }
  it('refuses an Accept it cannot satisfy with 406, and an empty Accept too', () => {
    assert.deepEqual(negotiateMediaType('application/xml', null), { ok: false, status: 406, detail: 'Could not satisfy the request Accept header.' });
    assert.equal(negotiateMediaType('', null).ok, false);
  });
  it('answers ?format= other than json with 404', () => {
    assert.equal(negotiateMediaType(undefined, 'json').ok, true);
    assert.deepEqual(negotiateMediaType(undefined, 'xml'), { ok: false, status: 404, detail: 'Not found.' });
  });
});

describe('FHIR dates', () => {
  it('parses each precision into the interval it covers', () => {
    assert.deepEqual(parseFhirDate('2020'), { start: Date.UTC(2020, 0, 1), end: Date.UTC(2021, 0, 1) });
    assert.deepEqual(parseFhirDate('2020-02'), { start: Date.UTC(2020, 1, 1), end: Date.UTC(2020, 2, 1) });
    assert.deepEqual(parseFhirDate('2020-02-29'), { start: Date.UTC(2020, 1, 29), end: Date.UTC(2020, 2, 1) });
    assert.deepEqual(parseFhirDate('2019-11-22T14:00:00-05:00'), { start: Date.UTC(2019, 10, 22, 19), end: Date.UTC(2019, 10, 22, 19, 0, 1) });
  });
  it('rejects impossible and malformed dates', () => {
    for (const bad of ['2019-02-29', '2020-13-01', '2020-00-10', '20-01-01', '2020-1-1', 'yesterday', '2020-01-01T25:00:00Z', '']) {
      assert.equal(parseFhirDate(bad), undefined, bad);
    }
  });
  it('compares days as FHIR search does', () => {
    const day = dayInterval('2020-06-15');
    assert.ok(day);
    const test = (prefix: 'gt' | 'ge' | 'lt' | 'le', value: string) => {
      const interval = parseFhirDate(value);
      assert.ok(interval);
      return satisfies(day, { prefix, value: interval });
    };
    assert.equal(test('gt', '2020-06-14'), true);
    assert.equal(test('gt', '2020-06-15'), false);
    assert.equal(test('ge', '2020-06-15'), true);
    assert.equal(test('lt', '2020-06-15'), false);
    assert.equal(test('lt', '2020-06-16'), true);
    assert.equal(test('le', '2020-06-15'), true);
    assert.equal(test('le', '2020-06-14'), false);
    assert.equal(test('ge', '2020'), true);
    assert.equal(test('gt', '2020'), false);
    assert.equal(test('lt', '2021'), true);
  });
});

describe('per-token throttle (DRF SimpleRateThrottle)', () => {
  it('counts down, refuses with a wait, and recovers when the window moves', () => {
    let now = 1000;
    const throttle = new TokenRateThrottle({ limit: 2, windowSeconds: 60 }, () => now);
    const first = throttle.hit('a');
    assert.deepEqual([first.allowed, first.remaining, first.resetSeconds], [true, 1, 60]);
    now += 10;
    assert.deepEqual([throttle.hit('a').allowed, throttle.hit('a').allowed], [true, false]);
    const refused = throttle.hit('a');
    assert.equal(refused.remaining, 0);
    assert.equal(refused.resetSeconds, 50);
    assert.equal(refused.waitSeconds, 50);
    assert.equal(throttle.hit('b').allowed, true, 'another token has its own budget');
    now += 50;
    assert.equal(throttle.hit('a').allowed, true, 'the first request left the window');
  });
  it('prints seconds as Python floats', () => {
    assert.equal(pythonFloat(86400), '86400.0');
    assert.equal(pythonFloat(59.25), '59.25');
  });
  it('makes the 429 body and Retry-After as DRF does', () => {
    const refusal = rules.enforceRateLimit({ allowed: false, limit: 5, remaining: 0, resetSeconds: 41.2, waitSeconds: 41.2 });
    assert.deepEqual(refusal, { status: 429, detail: 'Request was throttled. Expected available in 42 seconds.', headers: { 'Retry-After': '42' } });
    const soon = rules.enforceRateLimit({ allowed: false, limit: 5, remaining: 0, resetSeconds: 0.4, waitSeconds: 0.4 });
    assert.equal(soon?.detail, 'Request was throttled. Expected available in 1 second.');
  });
});

describe('BFD paging links', () => {
  const base = {
    baseUrl: 'https://sandbox.example',
    version: 1 as const,
    resourceType: 'ExplanationOfBenefit' as const,
    forwarded: [
      ['_count', '10'],
      ['_format', 'application/fhir+json'],
      ['patient', '-20140000010000'],
    ] as const,
    count: 10,
  };
  it('gives first, next, last and a sorted self link on the first page', () => {
    const links = offsetPageLinks({ ...base, startIndex: 0, total: 146 });
    assert.deepEqual(links, [
      { relation: 'first', url: 'https://sandbox.example/v1/fhir/ExplanationOfBenefit?_format=application%2Ffhir%2Bjson&startIndex=0&_count=10&patient=-20140000010000' },
      { relation: 'next', url: 'https://sandbox.example/v1/fhir/ExplanationOfBenefit?_format=application%2Ffhir%2Bjson&startIndex=10&_count=10&patient=-20140000010000' },
      { relation: 'last', url: 'https://sandbox.example/v1/fhir/ExplanationOfBenefit?_format=application%2Ffhir%2Bjson&startIndex=140&_count=10&patient=-20140000010000' },
      { relation: 'self', url: 'https://sandbox.example/v1/fhir/ExplanationOfBenefit/?_count=10&_format=application%2Ffhir%2Bjson&patient=-20140000010000' },
    ]);
  });
  it('gives previous but no next on the last page, and last=0 for an empty result', () => {
    const onLast = offsetPageLinks({ ...base, startIndex: 140, total: 146 }).map((link) => link.relation);
    assert.deepEqual(onLast, ['first', 'previous', 'last', 'self']);
    const empty = offsetPageLinks({ ...base, startIndex: 0, total: 0 });
    assert.deepEqual(empty.map((link) => link.relation), ['first', 'last', 'self']);
    assert.match(empty[1]?.url ?? '', /startIndex=0&/);
  });
  it('points v2 links into /v2/fhir, with the same parameters', () => {
    const v1 = offsetPageLinks({ ...base, startIndex: 10, total: 146 });
    const v2 = offsetPageLinks({ ...base, version: 2, startIndex: 10, total: 146 });
    assert.deepEqual(
      v2,
      v1.map((link) => ({ ...link, url: link.url.replace('/v1/fhir/', '/v2/fhir/') })),
    );
    // The real sandbox's v2 capture (BBUser29999, page 1): first/next/last without the slash, self with it.
    assert.ok(v2.every((link) => link.url.startsWith('https://sandbox.example/v2/fhir/ExplanationOfBenefit')));
  });
});

describe('query validation (BB2 voluptuous rules)', () => {
  it('reads _count as Python int() does, 0..50, default 10', () => {
    assert.equal(rules.pageSize(undefined), 10);
    assert.equal(rules.pageSize(' 7 '), 7);
    assert.equal(rules.pageSize('0'), 0);
    assert.deepEqual(rules.pageSize('51'), { status: 400, detail: 'value must be at most 50' });
    assert.deepEqual(rules.pageSize('-1'), { status: 400, detail: 'value must be at least 0' });
    assert.deepEqual(rules.pageSize('5.0'), { status: 400, detail: 'expected int' });
    assert.deepEqual(rules.pageSize('ten'), { status: 400, detail: 'expected int' });
    assert.equal(parsePythonInt('1_000'), 1000);
  });
  it('renames count to _count, which wins, and keeps the last of repeated values', () => {
    const raw = rules.readSearchQuery('ExplanationOfBenefit', new URLSearchParams('_count=3&count=4&startIndex=1&startIndex=2&_lastUpdated=gt2020&_lastUpdated=lt2021'));
    assert.equal(raw.count, '4');
    assert.equal(raw.startIndex, '2');
    assert.deepEqual(raw.lastUpdated, ['gt2020', 'lt2021']);
  });
  it('accepts type lists as BB2 does and refuses anything else', () => {
    for (const good of ['pde', 'CARRIER,Dme', 'carrier, pde', 'https://bluebutton.cms.gov/resources/codesystem/eob-type|snf,hha', 'https://bluebutton.cms.gov/resources/codesystem/eob-type|']) {
      assert.equal(isValidTypeList(good), true, good);
    }
    for (const bad of ['', 'claim', 'carrier,INVALID-TYPE,dme,', 'http://example.org|carrier']) {
      assert.equal(isValidTypeList(bad), false, bad);
    }
    assert.deepEqual([...claimTypesOf('CARRIER,https://bluebutton.cms.gov/resources/codesystem/eob-type|pde')].sort(), ['carrier', 'pde']);
    assert.equal(claimTypesOf('https://bluebutton.cms.gov/resources/codesystem/eob-type|').size, 8);
  });
  it('checks date operators and then, as BFD, the dates', () => {
    assert.deepEqual(rules.checkDateOperators('service-date', ['ge2020-01-01', 'eq2020-01-01']), { status: 400, detail: 'the service-date operator is not valid' });
    assert.equal(rules.checkDateOperators('_lastUpdated', ['lt2019-11-22T14:00:00-05:00']), undefined);
    const parsed = rules.parseDateConditions(['gt2020-13-01']);
    assert.ok(isFailure(parsed));
    assert.equal(parsed.status, 400);
    assert.match(parsed.detail, /^An error occurred contacting the upstream server:/);
  });
  it('checks read ids with BFD v1 patterns', () => {
    assert.equal(rules.checkResourceId('Coverage', 'part-a--20140000008325', 1), undefined);
    assert.deepEqual(rules.checkResourceId('Coverage', 'part-d___--20140000008325', 1), {
      status: 400,
      detail:
        "An error occurred contacting the upstream server:Coverage ID pattern: 'part-d___--20140000008325' does not match expected pattern: {alphaNumericString}-{singleCharacter}-{idNumber}",
    });
    assert.deepEqual(rules.checkResourceId('Coverage', 'part-e--20140000008325', 1), { status: 404, detail: 'Not found.' });
    assert.equal(rules.checkResourceId('Coverage', 'parta--20140000008325', 1)?.status, 400);
    assert.equal(rules.checkResourceId('ExplanationOfBenefit', 'carrier--22639159481', 1), undefined);
    assert.equal(rules.checkResourceId('ExplanationOfBenefit', 'junk', 1)?.status, 400);
  });
  it('checks read ids with BFD v2 patterns: the Coverage pattern and message differ, the EOB one does not', () => {
    assert.equal(rules.checkResourceId('Coverage', 'part-a--20140000008325', 2), undefined);
    assert.deepEqual(rules.checkResourceId('Coverage', 'part-d___--20140000008325', 2), {
      status: 400,
      detail:
        "An error occurred contacting the upstream server:Coverage ID pattern: 'part-d___--20140000008325' does not match expected patterns: {alphaNumericString}?-{alphaNumericString}-{idNumber} or {alphaNumericString}?-{alphaNumericString}?-{alphaNumericString}-{idNumber}",
    });
    // R4CoverageResourceProvider's pattern makes the dash optional: "parta" is well formed, and unknown.
    assert.deepEqual(rules.checkResourceId('Coverage', 'parta--20140000008325', 2), { status: 404, detail: 'Not found.' });
    assert.deepEqual(rules.checkResourceId('Coverage', 'part-e--20140000008325', 2), { status: 404, detail: 'Not found.' });
    assert.deepEqual(rules.checkResourceId('ExplanationOfBenefit', 'junk', 2), rules.checkResourceId('ExplanationOfBenefit', 'junk', 1));
  });
  it('slices pages as BFD does, with its errors', () => {
    assert.deepEqual(rules.pageWindow(25, 20, 10), { start: 20, end: 25 });
    assert.deepEqual(rules.pageWindow(25, 25, 10), {
      status: 400,
      detail: 'An error occurred contacting the upstream server:Value for startIndex (25) must be less than than result size (25)',
    });
    assert.deepEqual(rules.pageWindow(0, 5, 10), { start: 5, end: 0 }, 'an empty result has no startIndex check');
    const zeroCount = rules.pageWindow(3, 0, 0);
    assert.ok(isFailure(zeroCount));
    assert.equal(zeroCount.detail, "An error occurred contacting the upstream server:Invalid pageSize '0'");
  });
});

describe('CapabilityStatement', () => {
  const startedAt = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  const statement = filterCapabilityStatement(loadBfdCapabilityStatement(1, 'https://sandbox.example', startedAt), 'https://sandbox.example');
  const v2 = filterCapabilityStatement(loadBfdCapabilityStatement(2, 'https://sandbox.example', startedAt), 'https://sandbox.example');
  it('keeps only the three resource types, each with read and search-type', () => {
    const rest = (statement.rest as Array<{ resource: Array<{ type: string; interaction: unknown }> }>)[0];
    assert.ok(rest);
    assert.deepEqual(rest.resource.map((resource) => resource.type), ['Coverage', 'ExplanationOfBenefit', 'Patient']);
    for (const resource of rest.resource) assert.deepEqual(resource.interaction, [{ code: 'read' }, { code: 'search-type' }]);
  });
  it('fills BFD placeholders and sets format and the security block with v2 OAuth URIs', () => {
    assert.equal(statement.date, '2026-01-02T03:04:05+00:00');
    assert.doesNotMatch(JSON.stringify(statement), /IGNORED_FIELD/);
    assert.deepEqual(statement.format, ['application/json', 'application/fhir+json']);
    const rest = (statement.rest as Array<Record<string, unknown>>)[0] ?? {};
    assert.deepEqual(Object.keys(rest), ['mode', 'resource', 'security']);
    assert.match(JSON.stringify(rest.security), /"valueUri":"https:\/\/sandbox\.example\/v2\/o\/revoke_token"/);
  });
  it('v1 is byte for byte what it was before v2 existed', () => {
    // sha256 prefix of the served v1 body for this start time and base URL, taken at commit 9c73d3f.
    const body = pythonJsonDumps(filterCapabilityStatement(loadBfdCapabilityStatement(1, 'http://127.0.0.1:8300', new Date('2026-01-02T03:04:05Z')), 'http://127.0.0.1:8300'));
    assert.equal(createHash('sha256').update(body).digest('hex').slice(0, 16), '6850f72116ffac18');
  });
  it('v2 is BFD R4 statement with the same edits: fhirVersion 4.0.1, no Claim or ClaimResponse, v2 URLs', () => {
    assert.equal(v2.fhirVersion, '4.0.1');
    assert.equal(statement.fhirVersion, '3.0.2');
    const rest = (v2.rest as Array<{ resource: Array<{ type: string; interaction: unknown }>; security: unknown }>)[0];
    assert.ok(rest);
    assert.deepEqual(rest.resource.map((resource) => resource.type), ['Coverage', 'ExplanationOfBenefit', 'Patient']);
    for (const resource of rest.resource) assert.deepEqual(resource.interaction, [{ code: 'read' }, { code: 'search-type' }]);
    assert.deepEqual(rest.security, (statement.rest as Array<{ security: unknown }>)[0]?.security, 'the same security block as v1');
    assert.deepEqual(v2.format, ['application/json', 'application/fhir+json']);
    assert.deepEqual(v2.implementation, { description: 'gov.cms.bfd:bfd-server-war', url: 'https://sandbox.example/v2/fhir' });
    assert.equal(v2.date, '2026-01-02T03:04:05+00:00');
    assert.match(String(v2.id), /^[0-9a-f-]{36}$/);
    assert.ok(!JSON.stringify(v2).includes('IGNORED_FIELD'), 'no BFD placeholder left');
  });
  it("is written as Python's json.dumps", () => {
    assert.equal(pythonJsonDumps({ a: [1, 'x’'], b: null }), '{"a": [1, "x\\u2019"], "b": null}');
  });
});

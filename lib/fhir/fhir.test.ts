/**
 * Unit tests of the FHIR helpers: date prefixes, BB2-FHIR-PAGING-03 link expectations, and the paging walker against
 * a small local server whose pages can be made wrong in one way at a time.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { Secret } from '../oauth/secret.js';
import { claimTypeOfId, eobTypeCodes, serviceEndDate } from './bundle.js';
import { createFhirClient, type FhirClient } from './client.js';
import { satisfiesDateSearch, timeRangeOf, utcDay, DATE_PREFIXES } from './dates.js';
import { expectedPageLinks, pageLinkProblems, pageRequestOf, walkSearch } from './paging.js';

describe('FHIR date prefixes', () => {
  it('compares days as <, <=, >, >=', () => {
    assert.equal(satisfiesDateSearch('2020-05-01', 'lt', '2020-05-01'), false);
    assert.equal(satisfiesDateSearch('2020-05-01', 'le', '2020-05-01'), true);
    assert.equal(satisfiesDateSearch('2020-05-01', 'gt', '2020-05-01'), false);
    assert.equal(satisfiesDateSearch('2020-05-01', 'ge', '2020-05-01'), true);
    assert.equal(satisfiesDateSearch('2020-04-30', 'lt', '2020-05-01'), true);
    assert.equal(satisfiesDateSearch('2020-05-02', 'gt', '2020-05-01'), true);
  });

  it('compares an instant with the whole day of a date value', () => {
    assert.equal(satisfiesDateSearch('2020-05-01T23:59:59.999+00:00', 'le', '2020-05-01'), true);
    assert.equal(satisfiesDateSearch('2020-05-01T23:59:59.999+00:00', 'gt', '2020-05-01'), false);
    assert.equal(satisfiesDateSearch('2020-05-02T00:00:00.000+00:00', 'gt', '2020-05-01'), true);
    assert.equal(satisfiesDateSearch('2020-05-01T00:00:00.000+00:00', 'lt', '2020-05-01'), false);
    assert.equal(satisfiesDateSearch('2020-04-30T23:00:00.000-02:00', 'ge', '2020-05-01'), true, 'the zone counts: that is 01:00 UTC');
  });

  it('splits every target into lt/ge and le/gt halves with nothing left over', () => {
    const targets = ['2019-12-31', '2020-05-01', '2020-05-02', '2020-05-01T12:00:00Z', '2020-05-02T00:00:00.000+00:00'];
    for (const target of targets) {
      assert.notEqual(satisfiesDateSearch(target, 'lt', '2020-05-01'), satisfiesDateSearch(target, 'ge', '2020-05-01'), target);
      assert.notEqual(satisfiesDateSearch(target, 'le', '2020-05-01'), satisfiesDateSearch(target, 'gt', '2020-05-01'), target);
    }
  });

  it('refuses to judge what it cannot read', () => {
    for (const prefix of DATE_PREFIXES) {
      assert.equal(satisfiesDateSearch('2020-02-30', prefix, '2020-01-01'), undefined);
      assert.equal(satisfiesDateSearch('2020-01-01T10:00:00', prefix, '2020-01-01'), undefined, 'an instant needs a zone');
      assert.equal(satisfiesDateSearch('2020-01-01', prefix, 'yesterday'), undefined);
    }
    assert.equal(timeRangeOf(''), undefined);
    assert.equal(utcDay('2021-01-21T04:14:19.898+00:00'), '2021-01-21');
  });
});

describe('EOB helpers', () => {
  it('reads the claim type from the id and the eob-type coding', () => {
    assert.equal(claimTypeOfId('carrier--10114937820'), 'carrier');
    assert.equal(claimTypeOfId('PDE--1'), 'pde');
    assert.equal(claimTypeOfId('claim--1'), undefined);
    assert.equal(claimTypeOfId('carrier'), undefined);
    const eob = { type: { coding: [{ system: 'https://bluebutton.cms.gov/resources/codesystem/eob-type', code: 'CARRIER' }, { system: 'other', code: 'X' }] } };
    assert.deepEqual(eobTypeCodes(eob), ['carrier']);
  });

  it('takes the service date from billablePeriod.end, else the first item servicedDate', () => {
    assert.equal(serviceEndDate({ billablePeriod: { start: '2020-01-01', end: '2020-01-03' } }), '2020-01-03');
    assert.equal(serviceEndDate({ item: [{ sequence: 1 }, { servicedDate: '2020-02-02' }] }), '2020-02-02');
    assert.equal(serviceEndDate({}), undefined);
  });
});

describe('paging links (BB2-FHIR-PAGING-03)', () => {
  it('gives the startIndex of each link for first, middle, last and empty pages', () => {
    assert.deepEqual(expectedPageLinks({ startIndex: 0, count: 10, total: 146 }), { first: 0, next: 10, previous: undefined, last: 140 });
    assert.deepEqual(expectedPageLinks({ startIndex: 20, count: 10, total: 146 }), { first: 0, next: 30, previous: 10, last: 140 });
    assert.deepEqual(expectedPageLinks({ startIndex: 140, count: 10, total: 146 }), { first: 0, next: undefined, previous: 130, last: 140 });
    assert.deepEqual(expectedPageLinks({ startIndex: 5, count: 10, total: 146 }), { first: 0, next: 15, previous: 0, last: 140 });
    assert.deepEqual(expectedPageLinks({ startIndex: 0, count: 50, total: 50 }), { first: 0, next: undefined, previous: undefined, last: 0 });
    assert.deepEqual(expectedPageLinks({ startIndex: 0, count: 10, total: 0 }), { first: 0, next: undefined, previous: undefined, last: 0 });
  });

  it('reads the page a URL asks for; count wins over _count', () => {
    assert.deepEqual(pageRequestOf(new URLSearchParams('')), { startIndex: 0, count: 10 });
    assert.deepEqual(pageRequestOf(new URLSearchParams('startIndex=20&_count=5')), { startIndex: 20, count: 5 });
    assert.deepEqual(pageRequestOf(new URLSearchParams('_count=5&count=3')), { startIndex: 0, count: 3 });
  });

  const resourceUrl = 'https://host.example/v1/fhir/ExplanationOfBenefit';
  const link = (relation: string, query: string) => ({ relation, url: `${resourceUrl}?${query}` });
  const goodLinks = () => [
    link('first', '_format=json&startIndex=0&_count=10&type=carrier&patient=-1'),
    link('next', '_format=json&startIndex=30&_count=10&type=carrier&patient=-1'),
    link('previous', '_format=json&startIndex=10&_count=10&type=carrier&patient=-1'),
    link('last', '_format=json&startIndex=140&_count=10&type=carrier&patient=-1'),
    { relation: 'self', url: `${resourceUrl}/?_count=10&patient=-1&startIndex=20&type=carrier` },
  ];
  const context = { startIndex: 20, count: 10, total: 146, resourceUrl, searchParams: new URLSearchParams('type=carrier&_count=10&startIndex=20') };
  const bundleWith = (links: unknown[]) => ({ resourceType: 'Bundle', type: 'searchset', total: 146, link: links });

  it('accepts links as BB2-FHIR-PAGING-03 describes them', () => {
    assert.deepEqual(pageLinkProblems(bundleWith(goodLinks()), context), []);
  });

  it('accepts a self link without startIndex', () => {
    const links = goodLinks().map((one) => (one.relation === 'self' ? { relation: 'self', url: `${resourceUrl}/?_count=10&patient=-1&type=carrier` } : one));
    assert.deepEqual(pageLinkProblems(bundleWith(links), context), []);
  });

  it('reports each kind of wrong link', () => {
    const cases: Array<[string, unknown[], RegExp]> = [
      ['next missing', goodLinks().filter((one) => one.relation !== 'next'), /"next" link missing/],
      ['previous wrong', goodLinks().map((one) => (one.relation === 'previous' ? link('previous', 'startIndex=0&_count=10&type=carrier') : one)), /"previous" link has startIndex=0, expected 10/],
      ['last wrong', goodLinks().map((one) => (one.relation === 'last' ? link('last', 'startIndex=146&_count=10&type=carrier') : one)), /"last" link has startIndex=146, expected 140/],
      ['_count wrong', goodLinks().map((one) => (one.relation === 'first' ? link('first', 'startIndex=0&_count=50&type=carrier') : one)), /"first" link has _count=50/],
      ['filter lost', goodLinks().map((one) => (one.relation === 'next' ? link('next', 'startIndex=30&_count=10') : one)), /"next" link carries type=\[\], but the search has type=\["carrier"\]/],
      ['foreign origin', goodLinks().map((one) => (one.relation === 'next' ? { relation: 'next', url: 'https://elsewhere.example/v1/fhir/ExplanationOfBenefit?startIndex=30&_count=10&type=carrier' } : one)), /"next" link https:\/\/elsewhere.example.* is not a URL of/],
      ['self missing', goodLinks().filter((one) => one.relation !== 'self'), /"self" link missing/],
      ['self at another page', goodLinks().map((one) => (one.relation === 'self' ? { relation: 'self', url: `${resourceUrl}/?_count=10&startIndex=0&type=carrier` } : one)), /"self" link has startIndex=0, expected 20 or none/],
      ['two next links', [...goodLinks(), link('next', 'startIndex=30&_count=10&type=carrier')], /2 "next" links/],
    ];
    for (const [name, links, expected] of cases) {
      const problems = pageLinkProblems(bundleWith(links), context);
      assert.ok(problems.some((problem) => expected.test(problem)), `${name}: ${JSON.stringify(problems)}`);
    }
    const onLastPage = { ...context, startIndex: 140 };
    const lastPageLinks = goodLinks().map((one) => (one.relation === 'previous' ? link('previous', 'startIndex=130&_count=10&type=carrier') : one));
    assert.ok(pageLinkProblems(bundleWith(lastPageLinks), onLastPage).some((problem) => /"next" link present/.test(problem)));
  });
});

/** A searchset server over `size` Patient resources, with one fault at a time. */
type Fault = 'none' | 'total-plus-one' | 'repeat-first-entry' | 'next-loops' | 'next-elsewhere' | 'page-3-fails' | 'invalid-resource';

interface FakeServer {
  readonly base: string;
  fault: Fault;
  size: number;
  readonly requests: Array<{ url: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

/** A Patient that is valid STU3 and follows BB2's rules (synthetic negative id, bene_id identifier); `broken` gives it a number for a gender. */
function fakePatient(index: number, broken: boolean): Record<string, unknown> {
  const id = `-1999000000${String(index + 1).padStart(4, '0')}`;
  return {
    resourceType: 'Patient',
    id,
    identifier: [{ system: 'https://bluebutton.cms.gov/resources/variables/bene_id', value: id }],
    ...(broken ? { gender: 5 } : {}),
  };
}

async function startFakeServer(): Promise<FakeServer> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/fhir`;
  const state: FakeServer = {
    base,
    fault: 'none',
    size: 23,
    requests: [],
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    state.requests.push({ url: url.toString(), authorization: req.headers.authorization });
    const startIndex = Number(url.searchParams.get('startIndex') ?? 0);
    const count = Number(url.searchParams.get('_count') ?? 10);
    if (state.fault === 'page-3-fails' && startIndex === 2 * count) {
      res.writeHead(502, { 'Content-Type': 'application/json' }).end(JSON.stringify({ detail: 'An error occurred contacting the upstream server' }));
      return;
    }
    const total = state.size;
    const page = (index: number) => `${base}/Patient?startIndex=${index}&_count=${count}`;
    const links = [{ relation: 'first', url: page(0) }];
    if (startIndex + count < total) {
      const next = state.fault === 'next-loops' ? page(0) : state.fault === 'next-elsewhere' ? `http://localhost:1/v1/fhir/Patient?startIndex=${startIndex + count}&_count=${count}` : page(startIndex + count);
      links.push({ relation: 'next', url: next });
    }
    if (startIndex > 0) links.push({ relation: 'previous', url: page(Math.max(0, startIndex - count)) });
    links.push({ relation: 'last', url: page(Math.floor((total - 1) / count) * count) });
    links.push({ relation: 'self', url: `${base}/Patient/?_count=${count}&startIndex=${startIndex}` });
    const ids = Array.from({ length: Math.max(0, Math.min(count, total - startIndex)) }, (_, offset) => startIndex + offset);
    if (state.fault === 'repeat-first-entry' && startIndex > 0) ids[0] = 0;
    const entry = ids.map((id) => ({ resource: fakePatient(id, state.fault === 'invalid-resource' && id === 12) }));
    const bundle = { resourceType: 'Bundle', type: 'searchset', total: state.fault === 'total-plus-one' ? total + 1 : total, link: links, entry };
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(bundle));
  });
  return state;
}

describe('walkSearch', () => {
  let server: FakeServer;
  let context: APIRequestContext;
  let client: FhirClient;

  before(async () => {
    server = await startFakeServer();
    context = await playwrightRequest.newContext();
    client = createFhirClient(context, server.base, new Secret('fake-access-token-0000', 'access token'));
  });
  after(async () => {
    await context.dispose();
    await server.close();
  });

  const walk = async (fault: Fault, params: Record<string, string> = { _count: '10' }, validate = false) => {
    server.fault = fault;
    server.requests.length = 0;
    return walkSearch(client, 'Patient', params, { validate });
  };

  it('walks from the first page to the last with no problems on a correct server', async () => {
    const result = await walk('none');
    assert.equal(result.stopped, undefined);
    assert.equal(result.pages.length, 3);
    assert.equal(result.total, 23);
    assert.equal(result.resources.length, 23);
    assert.deepEqual(result.pagingProblems, []);
    assert.deepEqual(result.duplicates, []);
    assert.deepEqual(result.pages.map((page) => page.request.startIndex), [0, 10, 20]);
  });

  it('sends the token in the Authorization header only, never in a URL', async () => {
    await walk('none');
    assert.ok(server.requests.every((request) => request.authorization === 'Bearer fake-access-token-0000'));
    assert.ok(server.requests.every((request) => !request.url.includes('fake-access-token')));
  });

  it('reports a Bundle.total that does not match the entries', async () => {
    const result = await walk('total-plus-one');
    assert.ok(result.pagingProblems.some((problem) => /page 3 \(startIndex=20, _count=10\): 3 entries, expected 4 of total 24/.test(problem)), result.pagingProblems.join('\n'));
    assert.equal(result.pagingProblems.length, 1, result.pagingProblems.join('\n'));
  });

  it('reports a resource served twice', async () => {
    const result = await walk('repeat-first-entry');
    assert.deepEqual(result.duplicates, ['Patient/-19990000000001 on page 2, first seen on page 1', 'Patient/-19990000000001 on page 3, first seen on page 1']);
  });

  it('stops on a next link that loops', async () => {
    const result = await walk('next-loops');
    assert.match(result.stopped ?? '', /^page 1 .*"next" link goes back \(to startIndex=0\)/);
    assert.equal(server.requests.length, 1);
  });

  it('does not follow a next link to another origin', async () => {
    const result = await walk('next-elsewhere');
    assert.match(result.stopped ?? '', /not followed, the token would go there/);
    assert.equal(server.requests.length, 1);
  });

  it('stops on an error page and says which', async () => {
    const result = await walk('page-3-fails');
    assert.match(result.stopped ?? '', /^page 3 \(startIndex=20, _count=10\) answered HTTP 502/);
    assert.equal(result.resources.length, 20);
  });

  it('validates every page and names the page of a violation', async () => {
    assert.deepEqual((await walk('none', { _count: '10' }, true)).violations, []);
    // One wrong element on one resource: every violation found is on page 2's third entry.
    const result = await walk('invalid-resource', { _count: '10' }, true);
    assert.ok(result.violations.length > 0);
    assert.ok(result.violations.every((violation) => violation.path.startsWith('page 2 (startIndex=10, _count=10) › entry[2]')), JSON.stringify(result.violations));
  });

  it('uses the default page size of 10 when no _count is sent', async () => {
    server.size = 12;
    const result = await walk('none', {});
    server.size = 23;
    assert.deepEqual(result.pages.map((page) => page.request), [{ startIndex: 0, count: 10 }, { startIndex: 10, count: 10 }]);
    assert.deepEqual(result.pagingProblems, []);
  });
});

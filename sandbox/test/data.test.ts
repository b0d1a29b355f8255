/**
 * The embedded sandbox's synthetic data: determinism, ids and references, claim counts, ordering,
 * dates, shape against the vendored CMS templates, and STU3 validity (lib/validation's patched schema).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, pbkdf2Sync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { checkBb2Rules, validateStu3 } from '../../lib/validation/index.js';
import { claimCountsFor, planClaims } from '../src/data/claim-plan.js';
import { buildCoverages } from '../src/data/coverage.js';
import { buildEob } from '../src/data/eob.js';
import {
  CLAIM_TYPES,
  claimCountsForUser,
  coveragesFor,
  eobClaimType,
  eobServiceDates,
  eobsFor,
  findCoverage,
  findEob,
  patientFor,
  syntheticUser,
  usersWithAllClaimTypes,
  type ClaimType,
  type ExplanationOfBenefit,
  type FhirResource,
} from '../src/data/index.js';
import { LeastRecentlyUsed } from '../src/data/lru.js';
import { buildPatient } from '../src/data/patient.js';
import { npiWithCheckDigit, profileFor } from '../src/data/profile.js';
import { LAST_USER_NUMBER, USER_COUNT } from '../src/data/users.js';

/** Users spread over the whole range (every `step`th), plus the ones with special roles. */
const SPECIAL_USERS = [0, 1, 9_338, 9_999, 10_000, 10_001, 28_324, 29_999];
function spreadUsers(step: number): number[] {
  return [...new Set([...SPECIAL_USERS, ...Array.from({ length: Math.ceil(USER_COUNT / step) }, (_, index) => index * step)])];
}
/** 316 users for the schema check; 110 for the content checks, which rebuild every EOB they look at. */
const SCHEMA_USERS = spreadUsers(97);
const SAMPLE_USERS = spreadUsers(293);
const SPREAD_USERS = SAMPLE_USERS.filter((number) => !SPECIAL_USERS.includes(number));

const EOB_TYPE_CODES: Record<ClaimType, string | undefined> = {
  carrier: '71',
  dme: '82',
  hha: '10',
  hospice: '50',
  inpatient: '60',
  outpatient: '40',
  pde: undefined,
  snf: '20',
};

function allResources(number: number): FhirResource[] {
  const user = syntheticUser(number);
  return [patientFor(user), ...coveragesFor(user), ...eobsFor(user)];
}

function totalClaims(counts: Record<ClaimType, number>): number {
  return CLAIM_TYPES.reduce((sum, type) => sum + counts[type], 0);
}

/** Every date-like string in a resource (yyyy-mm-dd prefix), with its key. */
function datesIn(node: unknown, key = '', out: { key: string; value: string }[] = []): { key: string; value: string }[] {
  if (typeof node === 'string' && /^\d{4}-\d{2}-\d{2}/.test(node)) out.push({ key, value: node.slice(0, 10) });
  else if (Array.isArray(node)) node.forEach((item) => datesIn(item, key, out));
  else if (node !== null && typeof node === 'object') for (const [name, value] of Object.entries(node)) datesIn(value, name, out);
  return out;
}

function codings(eob: ExplanationOfBenefit): { system?: string; code?: string }[] {
  const type = eob.type as { coding?: { system?: string; code?: string }[] } | undefined;
  return type?.coding ?? [];
}

describe('synthetic data: determinism', () => {
  it('rebuilding a user from scratch gives the same bytes as the cached API', () => {
    for (const number of [0, 10_000, 13_410, 28_324, 29_999]) {
      const user = syntheticUser(number);
      const profile = profileFor(user);
      const plan = planClaims(number, profile);
      assert.equal(JSON.stringify(buildPatient(user, profile, plan)), JSON.stringify(patientFor(user)));
      assert.equal(JSON.stringify(buildCoverages(user, profile)), JSON.stringify(coveragesFor(user)));
      assert.equal(JSON.stringify(plan.map((claim) => buildEob(user, profile, claim))), JSON.stringify(eobsFor(user)));
    }
  });

  it('a separate process produces byte-identical resources', () => {
    const users = [0, 4_242, 17_000, 29_999];
    const digest = (numbers: number[]) => createHash('sha256').update(JSON.stringify(numbers.map(allResources))).digest('hex');
    const script = `
      import { createHash } from 'node:crypto';
      import { syntheticUser, patientFor, coveragesFor, eobsFor } from './sandbox/src/data/index.ts';
      const all = (n) => { const u = syntheticUser(n); return [patientFor(u), ...coveragesFor(u), ...eobsFor(u)]; };
      process.stdout.write(createHash('sha256').update(JSON.stringify(${JSON.stringify(users)}.map(all))).digest('hex'));`;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../../', import.meta.url),
      encoding: 'utf8',
    });
    assert.equal(output, digest(users));
  });

  it('different users get different data', () => {
    const [a, b] = [patientFor(syntheticUser(20_000)), patientFor(syntheticUser(20_001))];
    assert.notEqual(JSON.stringify({ ...a, id: '' }), JSON.stringify({ ...b, id: '' }));
    assert.notDeepEqual(
      eobsFor(syntheticUser(20_000)).map(eobServiceDates),
      eobsFor(syntheticUser(20_001)).map(eobServiceDates),
    );
  });

  it('hands out frozen resources, so callers cannot corrupt the cache', () => {
    const user = syntheticUser(29_999);
    const [eob] = eobsFor(user);
    assert.ok(eob);
    assert.throws(() => {
      (eob as unknown as Record<string, unknown>).id = 'changed';
    }, TypeError);
    const patient = patientFor(user) as unknown as { name: { family: string }[] };
    assert.throws(() => {
      (patient.name[0] as { family: string }).family = 'changed';
    }, TypeError);
    const list = coveragesFor(user);
    list.pop();
    assert.equal(coveragesFor(user).length, 4, 'the returned array is a copy');
  });
});

describe('synthetic data: ids and references', () => {
  it('Patient, Coverage and EOB ids follow BB2 formats and point at the user', () => {
    for (const number of SAMPLE_USERS) {
      const user = syntheticUser(number);
      const patient = patientFor(user);
      assert.equal(patient.id, user.patientId);
      const coverages = coveragesFor(user);
      assert.deepEqual(
        coverages.map((coverage) => coverage.id),
        ['a', 'b', 'c', 'd'].map((part) => `part-${part}-${user.patientId}`),
      );
      for (const coverage of coverages) assert.deepEqual(coverage.beneficiary, { reference: `Patient/${user.patientId}` });
      const ids = new Set<string>();
      for (const eob of eobsFor(user)) {
        const match = /^([a-z]+)-(-\d{10})$/.exec(eob.id);
        assert.ok(match, `EOB id ${eob.id}`);
        const [, type = '', claimId] = match;
        assert.ok((CLAIM_TYPES as readonly string[]).includes(type), eob.id);
        assert.deepEqual(eob.patient, { reference: `Patient/${user.patientId}` });
        assert.ok(!ids.has(eob.id), `duplicate ${eob.id}`);
        ids.add(eob.id);
        const identifiers = eob.identifier as { system: string; value: string }[];
        const claimIdentifier = identifiers.find((identifier) => /\/(clm_id|pde_id)$/.test(identifier.system));
        assert.equal(claimIdentifier?.value, claimId);
        const typeCodings = codings(eob);
        assert.ok(typeCodings.some((coding) => coding.system === 'https://bluebutton.cms.gov/resources/codesystem/eob-type' && coding.code === type.toUpperCase()));
        const nchCode = typeCodings.find((coding) => coding.system === 'https://bluebutton.cms.gov/resources/variables/nch_clm_type_cd')?.code;
        assert.equal(nchCode, EOB_TYPE_CODES[type as ClaimType], `${eob.id} nch_clm_type_cd`);
        const coverageRefs = JSON.stringify(eob.insurance).match(/Coverage\/[^"]+/g) ?? [];
        for (const reference of coverageRefs) assert.match(reference, new RegExp(`^Coverage/part-[abcd]-${user.patientId}$`));
        const contained = JSON.stringify(eob.contained ?? []).match(/Patient\/[^"]+/g) ?? [];
        for (const reference of contained) assert.equal(reference, `Patient/${user.patientId}`);
      }
    }
  });

  it('findEob finds every EOB of a user, with its owner, identical to the search result', () => {
    for (const number of [1, 10_000, 28_324, 29_999]) {
      const user = syntheticUser(number);
      for (const eob of eobsFor(user)) {
        const found = findEob(eob.id);
        assert.equal(found?.user.number, number);
        assert.equal(JSON.stringify(found?.resource), JSON.stringify(eob));
      }
    }
  });

  it('findEob of an uncached user builds just the one claim, identical to the full build', () => {
    const user = syntheticUser(13_410);
    const someId = eobsFor(user)[123]?.id ?? '';
    const expected = JSON.stringify(findEob(someId)?.resource);
    // Fill the cache with other users so 13410 drops out, then read again.
    for (let number = 20_000; number < 20_100; number += 1) patientFor(syntheticUser(number));
    assert.equal(JSON.stringify(findEob(someId)?.resource), expected);
  });

  it('findEob returns undefined for ids that are not ours', () => {
    const eob = eobsFor(syntheticUser(29_999))[0];
    assert.ok(eob);
    const claimId = eob.id.slice(eob.id.indexOf('-') + 1);
    const otherType = CLAIM_TYPES.find((type) => !eob.id.startsWith(`${type}-`)) ?? 'carrier';
    const lead = Number(claimId[1]);
    const unknown = [
      '',
      'abc',
      `${otherType}-${claimId}`, // right claim id, wrong type
      `${eob.id}0`,
      `carrier--${lead === 9 ? 1 : lead + 1}${claimId.slice(2)}`, // wrong leading digit for the owner
      'carrier--9300000001', // user number 30000: out of range
      'carrier--22639159481', // a real sandbox id (11 digits)
      'carrier-9991831999', // BFD's positive test id
      'patient--5299990019',
      `Carrier-${claimId}`,
    ];
    for (const id of unknown) assert.equal(findEob(id), undefined, id);
    // A well-formed id of the right owner but a suffix the user does not have.
    const owned = new Set(eobsFor(syntheticUser(29_999)).map((candidate) => candidate.id.slice(candidate.id.indexOf('-') + 1)));
    const absent = Array.from({ length: 10_000 }, (_, suffix) => `${claimId.slice(0, 7)}${String(suffix).padStart(4, '0')}`).find((id) => !owned.has(id));
    assert.ok(absent);
    for (const type of CLAIM_TYPES) assert.equal(findEob(`${type}-${absent}`), undefined);
  });

  it('findCoverage finds the four parts with their owner and nothing else', () => {
    const user = syntheticUser(4_321);
    for (const coverage of coveragesFor(user)) {
      const found = findCoverage(coverage.id);
      assert.equal(found?.user.number, 4_321);
      assert.equal(JSON.stringify(found?.resource), JSON.stringify(coverage));
    }
    assert.equal(JSON.stringify(findCoverage('part-b--20000000000042')?.resource), JSON.stringify(coveragesFor(syntheticUser(10_041))[1]));
    for (const id of ['part-a-99999999999999', 'part-e--19990000004322', 'part-a--20140000010001', 'part-a-19990000004322', 'part-a--19990000004322x', 'Coverage/part-a--19990000004322', '']) {
      assert.equal(findCoverage(id), undefined, id);
    }
  });
});

describe('synthetic data: claim counts and ordering', () => {
  const counts = Array.from({ length: USER_COUNT }, (_, number) => claimCountsFor(number, profileFor(syntheticUser(number))));

  it('spreads from 0 to several hundred claims', () => {
    const totals = counts.map(totalClaims);
    assert.equal(Math.min(...totals), 0);
    assert.ok(Math.max(...totals) >= 200, `max ${Math.max(...totals)}`);
    const deep = totals.filter((total) => total >= 200).length;
    assert.ok(deep >= 100 && deep <= 1_000, `${deep} users with 200+ claims`);
    const typical = totals.filter((total) => total >= 5 && total <= 60).length;
    assert.ok(typical > USER_COUNT * 0.7, `${typical} users with 5-60 claims`);
  });

  it('uses the published counts for BBUser00000..10000', () => {
    const csv = readFileSync(new URL('../src/data/templates/claim-counts.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);
    assert.equal(csv.length, 10_001);
    for (const line of csv) {
      const [user, carrier, , inpatient] = line.split(',').map(Number);
      const actual = counts[user as number];
      assert.ok(actual);
      assert.deepEqual([actual.carrier, actual.inpatient, totalClaims(actual)], [carrier, inpatient, (carrier ?? 0) + (inpatient ?? 0)], `user ${user}`);
    }
    assert.equal(counts[0]?.carrier, 14); // BBUser00000 in the CMS CSV
  });

  it('BBUser29999 has 146 EOBs, as the real sandbox reports', () => {
    assert.equal(eobsFor(syntheticUser(29_999)).length, 146);
    assert.equal(totalClaims(claimCountsForUser(syntheticUser(29_999))), 146);
  });

  it('every claim type occurs, and usersWithAllClaimTypes really have all 8', () => {
    for (const type of CLAIM_TYPES) assert.ok(counts.some((userCounts) => userCounts[type] > 0), type);
    const users = usersWithAllClaimTypes();
    assert.ok(users.length >= 3 && users.includes(29_999), String(users));
    for (const number of users) {
      const types = new Set(eobsFor(syntheticUser(number)).map(eobClaimType));
      assert.deepEqual([...types].sort(), [...CLAIM_TYPES]);
    }
  });

  it('eobsFor matches the counts, in BFD order (claim id as a string, then type)', () => {
    for (const number of [0, 13_410, 28_324, 29_999, ...SPREAD_USERS.slice(0, 40)]) {
      const user = syntheticUser(number);
      const eobs = eobsFor(user);
      const expected = claimCountsForUser(user);
      for (const type of CLAIM_TYPES) assert.equal(eobs.filter((eob) => eobClaimType(eob) === type).length, expected[type], `${number} ${type}`);
      const keys = eobs.map((eob) => ({ claimId: eob.id.slice(eob.id.indexOf('-') + 1), type: eobClaimType(eob) }));
      const sorted = [...keys].sort((a, b) => (a.claimId === b.claimId ? (a.type < b.type ? -1 : 1) : a.claimId < b.claimId ? -1 : 1));
      assert.deepEqual(keys, sorted, `order for ${number}`);
    }
    assert.deepEqual(
      CLAIM_TYPES.map((type) => claimCountsForUser(syntheticUser(28_324))[type]),
      [25, 0, 0, 0, 2, 6, 5, 0],
      'BB2 integration tests: -20140000008325 has 25 carrier, 2 inpatient, 6 outpatient, 5 pde',
    );
  });
});

describe('synthetic data: content', () => {
  it('never contains BFD test placeholders or the BFD test beneficiary', () => {
    for (const number of SAMPLE_USERS) {
      const text = JSON.stringify(allResources(number));
      for (const forbidden of ['IGNORED_FIELD', 'localhost', 'Fake', '567834']) assert.ok(!text.includes(forbidden), `${forbidden} in user ${number}`);
    }
  });

  it('trims addresses to state and postal code', () => {
    for (const number of SAMPLE_USERS) {
      const address = patientFor(syntheticUser(number)).address as Record<string, unknown>[];
      assert.equal(address.length, 1);
      assert.deepEqual(Object.keys(address[0] ?? {}), ['state', 'postalCode']);
      assert.match(String(address[0]?.postalCode), /^\d{5}$/);
    }
  });

  it('carries bene_id and the PBKDF2 MBI/HICN hashes (BB2 default salt, 2 iterations)', () => {
    const salt = Buffer.from('6E6F747468657265616C706570706572', 'hex');
    const hash = (value: string) => pbkdf2Sync(value, salt, 2, 32, 'sha256').toString('hex');
    for (const number of [0, 15_000, 29_999]) {
      const user = syntheticUser(number);
      const identifiers = patientFor(user).identifier as { system: string; value: string }[];
      const bySystem = new Map(identifiers.map((identifier) => [identifier.system.split('/').pop(), identifier.value]));
      assert.equal(bySystem.get('bene_id'), user.patientId);
      assert.equal(bySystem.get('mbi-hash'), hash(user.mbi));
      assert.equal(bySystem.get('hicn-hash'), hash(user.hicn));
    }
  });

  it('gives most beneficiaries an age of 65-95', () => {
    const births = SAMPLE_USERS.map((number) => Number(String(patientFor(syntheticUser(number)).birthDate).slice(0, 4)));
    const medicareAge = births.filter((year) => year >= 1931 && year <= 1961).length;
    assert.ok(medicareAge >= births.length * 0.85, `${medicareAge}/${births.length}`);
  });

  it('dates services 2015..2026 and never dates anything on or after 2026-11-01', () => {
    for (const number of SAMPLE_USERS) {
      for (const resource of allResources(number)) {
        const lastUpdated = String((resource.meta as { lastUpdated?: string }).lastUpdated);
        assert.ok(lastUpdated < '2026-11-01', `${resource.id} lastUpdated ${lastUpdated}`);
        if (resource.resourceType !== 'ExplanationOfBenefit') continue;
        const { start, end } = eobServiceDates(resource as ExplanationOfBenefit);
        assert.ok(start >= '2015-01-01' && start <= end, `${resource.id} ${start}..${end}`);
        for (const date of datesIn(resource)) assert.ok(date.value <= lastUpdated.slice(0, 10), `${resource.id} ${date.key} ${date.value} after lastUpdated ${lastUpdated}`);
      }
    }
  });

  it('eobServiceDates reads billablePeriod and rejects an EOB without one', () => {
    const eob = eobsFor(syntheticUser(29_999))[0];
    assert.ok(eob);
    const period = eob.billablePeriod as { start: string; end: string };
    assert.deepEqual(eobServiceDates(eob), { start: period.start, end: period.end });
    assert.throws(() => eobServiceDates({ resourceType: 'ExplanationOfBenefit', id: 'carrier--1' }), /no billablePeriod/);
  });

  it('keeps the element structure of the vendored CMS templates', () => {
    const templateOf = (name: string) => JSON.parse(readFileSync(new URL(`../src/data/templates/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
    const urls = (resource: Record<string, unknown>) => ((resource.extension as { url: string }[] | undefined) ?? []).map((extension) => extension.url.replace(/\/\d{4}-\d+$/, ''));
    for (const type of CLAIM_TYPES) {
      const template = templateOf(`eob-${type}`);
      const eob = eobsFor(syntheticUser(29_999)).find((candidate) => eobClaimType(candidate) === type);
      assert.ok(eob, type);
      assert.deepEqual(Object.keys(eob), Object.keys(template), `${type} top-level elements`);
      assert.deepEqual(urls(eob), urls(template), `${type} extensions`);
      assert.ok(JSON.stringify(eob.extension ?? []).includes('"valueMoney"') || type === 'pde', `${type} valueMoney extensions`);
    }
    const patient = patientFor(syntheticUser(29_999));
    const patientTemplate = templateOf('patient');
    assert.deepEqual(urls(patient), urls(patientTemplate));
    assert.deepEqual(
      Object.keys(patient).filter((key) => key !== 'deceasedDateTime'),
      Object.keys(patientTemplate).filter((key) => key !== 'deceasedDateTime'),
    );
    for (const coverage of coveragesFor(syntheticUser(29_999))) {
      const template = templateOf(`coverage-${coverage.id.slice(0, 6)}`);
      assert.deepEqual(Object.keys(coverage), Object.keys(template));
      assert.deepEqual(urls(coverage), urls(template));
    }
  });

  it('makes check-digit-valid NPIs', () => {
    assert.equal(npiWithCheckDigit('123456789'), '1234567893'); // the CMS example NPI
    const npis = JSON.stringify(eobsFor(syntheticUser(29_999))).match(/"system":"http:\/\/hl7.org\/fhir\/sid\/us-npi","(?:value|code)":"(\d+)"/g) ?? [];
    assert.ok(npis.length > 100);
    for (const match of npis) {
      const npi = /"(\d{10})"$/.exec(match)?.[1];
      assert.ok(npi, match);
      assert.equal(npiWithCheckDigit(npi.slice(0, 9)), npi);
    }
  });
});

describe('synthetic data: STU3 validity', () => {
  it(`Patient, Coverage and EOBs of ${SCHEMA_USERS.length} users across the range pass the STU3 schema and BB2 rules`, () => {
    let checked = 0;
    for (const number of SCHEMA_USERS) {
      const user = syntheticUser(number);
      for (const resource of allResources(number)) {
        const violations = [...validateStu3(resource, resource.resourceType), ...checkBb2Rules(resource, { patientId: user.patientId, synthetic: true })];
        assert.deepEqual(violations, [], `${resource.resourceType}/${resource.id}`);
        checked += 1;
      }
    }
    assert.ok(checked > 5_000, `${checked} resources checked`);
  });

  it('the validator used above does reject a broken EOB (control)', () => {
    const broken = structuredClone(eobsFor(syntheticUser(29_999))[0]) as Record<string, unknown>;
    broken.billablePeriod = { start: '06/01/2020' };
    (broken.item as Record<string, unknown>[])[0] = { sequence: 'one' };
    assert.ok(validateStu3(broken, 'ExplanationOfBenefit').length >= 2);
  });
});

describe('synthetic data: cache', () => {
  it('LRU evicts by entry count and by total weight, never the entry just used', () => {
    const cache = new LeastRecentlyUsed<string, number>(3, 10, (value) => value);
    cache.set('a', 1);
    cache.set('b', 1);
    cache.set('c', 1);
    cache.get('a');
    cache.set('d', 1);
    assert.deepEqual(['a', 'b', 'c', 'd'].map((key) => cache.get(key) !== undefined), [true, false, true, true]);
    cache.set('e', 9);
    assert.equal(cache.get('e'), 9);
    assert.ok(cache.size <= 2, `size ${cache.size}`);
  });

  it('user numbers stop at BBUser29999', () => {
    assert.equal(LAST_USER_NUMBER, 29_999);
    assert.throws(() => syntheticUser(30_000), RangeError);
  });
});

/**
 * The R4 (BB2 v2) rendering of the synthetic data: the same records as v1 (same claims, ids, dates,
 * amounts, codes and providers), BFD's v2 shapes per claim type (compared with the vendored BFD v2
 * goldens in templates/r4/), the C4BB profile URLs exactly as BFD emits them, determinism, and v1
 * left byte for byte as it was.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { planClaims } from '../src/data/claim-plan.js';
import {
  CLAIM_TYPES,
  eobClaimType,
  eobServiceDates,
  R4_DATA,
  STU3_DATA,
  syntheticUser,
  usersWithAllClaimTypes,
  type ClaimType,
  type ExplanationOfBenefit,
  type FhirResource,
} from '../src/data/index.js';
import { isJsonObject, type Json, type JsonObject } from '../src/data/json.js';
import { profileFor } from '../src/data/profile.js';
import { indexClaimValues, type ScopeValues } from '../src/data/r4/claim-values.js';
import { buildR4Coverage } from '../src/data/r4/coverage.js';
import { buildR4Eob } from '../src/data/r4/eob.js';
import { buildR4Patient } from '../src/data/r4/patient.js';
import { COVERAGE_PARTS } from '../src/data/templates.js';
import { USER_COUNT } from '../src/data/users.js';

const C4BB = 'http://hl7.org/fhir/us/carin-bb/StructureDefinition/';
const VARIABLES = 'https://bluebutton.cms.gov/resources/variables/';
const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';

/**
 * The profile BFD gives each claim type in v2, as its golden responses show it (BFD
 * endpoint-responses/v2/eobRead*.json): DME and hospice get the Inpatient-Institutional profile and
 * HHA the Professional-NonClinician one, which is not what the C4BB IG would choose for them.
 */
const EOB_PROFILES: Readonly<Record<ClaimType, string>> = {
  carrier: 'C4BB-ExplanationOfBenefit-Professional-NonClinician',
  dme: 'C4BB-ExplanationOfBenefit-Inpatient-Institutional',
  hha: 'C4BB-ExplanationOfBenefit-Professional-NonClinician',
  hospice: 'C4BB-ExplanationOfBenefit-Inpatient-Institutional',
  inpatient: 'C4BB-ExplanationOfBenefit-Inpatient-Institutional',
  outpatient: 'C4BB-ExplanationOfBenefit-Outpatient-Institutional',
  pde: 'C4BB-ExplanationOfBenefit-Pharmacy',
  snf: 'C4BB-ExplanationOfBenefit-Inpatient-Institutional',
};

const SPECIAL_USERS = [0, 1, 9_338, 9_999, 10_000, 10_001, 13_410, 28_324, 29_999];
/** About 75 users spread over the whole range, plus the special ones. */
const SPREAD_USERS = [...new Set([...SPECIAL_USERS, ...Array.from({ length: Math.ceil(USER_COUNT / 409) }, (_, index) => index * 409 + 3)])];

function templateOf(name: string): JsonObject {
  return JSON.parse(readFileSync(new URL(`../src/data/templates/r4/${name}.json`, import.meta.url), 'utf8')) as JsonObject;
}

/**
 * The element structure of a resource: every path, arrays as [], without `display` (BFD drops or
 * adds a code's text with the code) and without the per-line `id`s.
 */
function skeleton(node: Json, path = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => skeleton(item, `${path}[]`, out));
  else if (isJsonObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'display') continue;
      out.add(`${path}.${key}`);
      skeleton(value, `${path}.${key}`, out);
    }
  }
  return out;
}

function difference(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
  return [...a].filter((item) => !b.has(item));
}

/** Every value of `key` in objects whose `filterKey` holds `filterValue` (e.g. every identifier system). */
function collect(node: Json, key: string, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => collect(item, key, out));
  else if (isJsonObject(node)) {
    const value = node[key];
    if (typeof value === 'string') out.push(value);
    Object.values(node).forEach((child) => collect(child, key, out));
  }
  return out;
}

function identifierSystems(resource: Json): string[] {
  const systems = new Set<string>();
  const walk = (node: Json, inIdentifier: boolean) => {
    if (Array.isArray(node)) node.forEach((item) => walk(item, inIdentifier));
    else if (isJsonObject(node)) {
      if (inIdentifier && typeof node.system === 'string') systems.add(node.system);
      for (const [key, value] of Object.entries(node)) walk(value, key === 'identifier' || key === 'valueIdentifier');
    }
  };
  walk(resource, false);
  return [...systems].sort();
}

function npis(resource: Json): string[] {
  const found: string[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isJsonObject(node)) {
      const value = node.value ?? node.code;
      const typedNpi = isJsonObject(node.type) && JSON.stringify(node.type).includes('"code":"npi"');
      if ((node.system === NPI_SYSTEM || typedNpi) && typeof value === 'string' && /^\d{10}$/.test(value)) found.push(value);
      Object.values(node).forEach(walk);
    }
  };
  walk(resource);
  return [...new Set(found)].sort();
}

function firstOfType(resources: readonly ExplanationOfBenefit[], type: ClaimType): ExplanationOfBenefit {
  const eob = resources.find((candidate) => eobClaimType(candidate) === type);
  assert.ok(eob, type);
  return eob;
}

/** A scope's keyed values as plain data, for comparing v1 with v2. */
function keyed(values: ScopeValues): Record<string, unknown> {
  return { amounts: Object.fromEntries(values.amounts), quantities: Object.fromEntries(values.quantities), dates: Object.fromEntries(values.dates) };
}

function shared(v1: Record<string, unknown>, v2: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] {
  const pick = (source: Record<string, unknown>, other: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(source).map(([kind, map]) => [kind, Object.fromEntries(Object.entries(map as object).filter(([key]) => key in (other[kind] as object)))]));
  return [pick(v1, v2), pick(v2, v1)];
}

describe('v1 stays as it was', () => {
  it('v1 resources of a spread of users are byte for byte the ones before v2 existed', () => {
    // sha256 prefixes of JSON.stringify([Patient, ...Coverage, ...EOBs]) per user, taken at commit 9c73d3f.
    const before: Record<number, string> = {
      0: 'a8b76e3256f5e5dc', 1: 'b9a6c5237149aa2a', 1499: 'ef7903135672c785', 2998: '6cf109828ffd33fb', 4497: 'cdd8d791afa47eb4',
      5996: 'ec928eae62be93b6', 7495: '22b88bb86cc16f73', 8994: 'feec4113895495a8', 9338: 'd25558d2e25596bc', 9999: '798392c8e56e5ddf',
      10000: 'b042894ad050402b', 10001: '274c53dd0accb05c', 10493: 'd262a3023a25f389', 11992: 'f8a00e92193946c4', 13410: 'a8e328a76e0b6c4b',
      13491: 'efdc5908e6fa890f', 14990: '2648eeaab1e3dae8', 16489: '8ae188c9fa4fdd2d', 17988: 'b62dabae68795fc5', 19487: '8f46d7f3b62673e6',
      20986: 'e7a919283fdf4231', 22485: '28fd25bb44966970', 23984: 'a48099ff5db7a8ac', 25483: '78c393fe00d86761', 26982: '109b199edc09f528',
      28324: '35882549b67a90a2', 28481: '78712f886c739a00', 29980: 'e1ef6847771d939d', 29999: '3b0bbd8c9a892483',
    };
    for (const [number, digest] of Object.entries(before)) {
      const user = syntheticUser(Number(number));
      const resources = [STU3_DATA.patientFor(user), ...STU3_DATA.coveragesFor(user), ...STU3_DATA.eobsFor(user)];
      assert.equal(createHash('sha256').update(JSON.stringify(resources)).digest('hex').slice(0, 16), digest, `BBUser${number}`);
    }
  });
});

describe('R4 data: determinism', () => {
  it('rebuilding from scratch gives the same bytes as the cached API', () => {
    for (const number of [0, 10_000, 28_324, 29_999]) {
      const user = syntheticUser(number);
      const profile = profileFor(user);
      const plan = planClaims(number, profile);
      assert.equal(JSON.stringify(buildR4Patient(user, profile, plan)), JSON.stringify(R4_DATA.patientFor(user)));
      assert.equal(JSON.stringify(COVERAGE_PARTS.map((part) => buildR4Coverage(user, profile, part))), JSON.stringify(R4_DATA.coveragesFor(user)));
      assert.equal(JSON.stringify(plan.map((claim) => buildR4Eob(user, profile, claim))), JSON.stringify(R4_DATA.eobsFor(user)));
    }
  });

  it('a separate process produces byte-identical resources', () => {
    const users = [3, 17_000, 29_999];
    const all = (number: number) => {
      const user = syntheticUser(number);
      return [R4_DATA.patientFor(user), ...R4_DATA.coveragesFor(user), ...R4_DATA.eobsFor(user)];
    };
    const script = `
      import { createHash } from 'node:crypto';
      import { syntheticUser, R4_DATA } from './sandbox/src/data/index.ts';
      const all = (n) => { const u = syntheticUser(n); return [R4_DATA.patientFor(u), ...R4_DATA.coveragesFor(u), ...R4_DATA.eobsFor(u)]; };
      process.stdout.write(createHash('sha256').update(JSON.stringify(${JSON.stringify(users)}.map(all))).digest('hex'));`;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: new URL('../../', import.meta.url), encoding: 'utf8' });
    assert.equal(output, createHash('sha256').update(JSON.stringify(users.map(all))).digest('hex'));
  });

  it('findEob and findCoverage give what the searches give, and nothing for ids that are not ours', () => {
    const user = syntheticUser(13_410);
    const someId = R4_DATA.eobsFor(user)[200]?.id ?? '';
    assert.equal(JSON.stringify(R4_DATA.findEob(someId)?.resource), JSON.stringify(R4_DATA.eobsFor(user)[200]));
    for (let number = 20_000; number < 20_070; number += 1) R4_DATA.patientFor(syntheticUser(number)); // 13410 drops out of the cache
    assert.equal(JSON.stringify(R4_DATA.findEob(someId)?.resource), JSON.stringify(R4_DATA.eobsFor(user)[200]));
    assert.equal(R4_DATA.findEob('carrier-9991831999'), undefined);
    for (const coverage of R4_DATA.coveragesFor(user)) assert.equal(JSON.stringify(R4_DATA.findCoverage(coverage.id)?.resource), JSON.stringify(coverage));
    assert.equal(R4_DATA.findCoverage('part-e--20000000003411'), undefined);
  });
});

describe('R4 data: the same records as v1', () => {
  it('the same patient: id, name, birth date, sex, address, deceased, reference year, lastUpdated', () => {
    for (const number of SPREAD_USERS) {
      const user = syntheticUser(number);
      const v1 = STU3_DATA.patientFor(user);
      const v2 = R4_DATA.patientFor(user);
      for (const key of ['id', 'name', 'gender', 'birthDate', 'address']) assert.deepEqual(v2[key], v1[key], `${number} ${key}`);
      assert.deepEqual((v2.meta as JsonObject).lastUpdated, (v1.meta as JsonObject).lastUpdated);
      assert.equal(v2.deceasedDateTime, v1.deceasedDateTime, `${number} deceased`);
      if (v1.deceasedDateTime === undefined) assert.equal(v2.deceasedBoolean, false);
      const extensionsOf = (patient: FhirResource) => JSON.stringify((patient.extension as JsonObject[]).filter((extension) => !String(extension.url).endsWith('us-core-race')));
      assert.equal(extensionsOf(v2), extensionsOf(v1), `${number} extensions`);
    }
  });

  it('the same coverage: ids, status, enrollment extensions and entitlement start', () => {
    for (const number of SPREAD_USERS) {
      const user = syntheticUser(number);
      const v1 = STU3_DATA.coveragesFor(user);
      const v2 = R4_DATA.coveragesFor(user);
      assert.deepEqual(v2.map((coverage) => coverage.id), v1.map((coverage) => coverage.id));
      v2.forEach((coverage, index) => {
        const original = v1[index] as FhirResource;
        assert.equal(coverage.status, original.status);
        assert.deepEqual(coverage.extension, original.extension, `${coverage.id} extensions`);
        assert.deepEqual(coverage.period, original.period, `${coverage.id} period`);
        assert.deepEqual(coverage.beneficiary, original.beneficiary);
        assert.equal(coverage.subscriberId, user.mbi);
      });
    }
  });

  it('the same claims: count, ids, order, types, dates, amounts, codes, providers and lines', () => {
    let compared = 0;
    for (const number of SPREAD_USERS) {
      const user = syntheticUser(number);
      const v1 = STU3_DATA.eobsFor(user);
      const v2 = R4_DATA.eobsFor(user);
      assert.deepEqual(v2.map((eob) => eob.id), v1.map((eob) => eob.id), `BBUser${number} claims`);
      v2.forEach((eob, index) => {
        const original = v1[index] as ExplanationOfBenefit;
        const id = eob.id;
        assert.deepEqual(eobServiceDates(eob), eobServiceDates(original), `${id} billablePeriod`);
        assert.equal((eob.meta as JsonObject).lastUpdated, (original.meta as JsonObject).lastUpdated, `${id} lastUpdated`);
        assert.deepEqual(eob.patient, original.patient);
        const claimTypeSystems = [`${VARIABLES}nch_clm_type_cd`, 'https://bluebutton.cms.gov/resources/codesystem/eob-type'];
        const codes = (resource: FhirResource) =>
          (resource.type as { coding: JsonObject[] }).coding.filter((coding) => claimTypeSystems.includes(String(coding.system))).map((coding) => coding.code);
        assert.deepEqual(codes(eob), codes(original), `${id} type codes`);
        assert.deepEqual(identifierValues(eob), identifierValues(original), `${id} claim identifiers`);
        const [claim1, claim2] = shared(keyed(indexClaimValues(original).claim), keyed(indexClaimValues(eob).claim));
        assert.deepEqual(claim2, claim1, `${id} claim-level amounts, quantities and dates by variable`);
        const lines1 = indexClaimValues(original).lines;
        const lines2 = indexClaimValues(eob).lines;
        assert.equal(lines2.length, lines1.length, `${id} lines`);
        lines2.forEach((line, lineIndex) => {
          const [a, b] = shared(keyed(lines1[lineIndex] as ScopeValues), keyed(line));
          assert.deepEqual(b, a, `${id} line ${lineIndex + 1} amounts by variable`);
          assert.deepEqual(serviceCodes(line), serviceCodes(lines1[lineIndex] as ScopeValues), `${id} line ${lineIndex + 1} service codes`);
        });
        assert.deepEqual(amountOf(eob.payment), amountOf(original.payment), `${id} payment`);
        if (isJsonObject(original.totalCost)) assert.equal(totalCharge(eob), original.totalCost.value, `${id} total charge`);
        assert.deepEqual(diagnosisCodes(eob), diagnosisCodes(original), `${id} diagnoses`);
        assert.deepEqual(procedureCodes(eob), procedureCodes(original), `${id} procedures`);
        const providers = profileFor(user).providerNpis;
        for (const npi of npis(eob)) assert.ok(providers.includes(npi), `${id} NPI ${npi} is one of the beneficiary's providers`);
        assert.deepEqual(difference(new Set(npis(original)), new Set(npis(eob))), [], `${id} names every provider v1 names`);
        compared += 1;
      });
    }
    assert.ok(compared > 2_000, `${compared} claims compared`);
  });
});

function identifierValues(eob: FhirResource): Record<string, string> {
  const values: Record<string, string> = {};
  for (const identifier of eob.identifier as JsonObject[]) {
    const system = String(identifier.system);
    if (/(clm_id|pde_id|claim-group)$/.test(system)) values[system] = String(identifier.value);
  }
  return values;
}

function serviceCodes(line: ScopeValues): Record<string, unknown> {
  const systems = ['https://bluebutton.cms.gov/resources/codesystem/hcpcs', 'http://hl7.org/fhir/sid/ndc', `${VARIABLES}rev_cntr`];
  return Object.fromEntries(systems.map((system) => [system, line.codings.get(system)?.[0]?.code]));
}

function amountOf(payment: Json | undefined): unknown {
  return isJsonObject(payment) ? { amount: isJsonObject(payment.amount) ? payment.amount.value : undefined, date: payment.date } : undefined;
}

function totalCharge(eob: FhirResource): unknown {
  const total = (eob.total as JsonObject[] | undefined)?.find((entry) => JSON.stringify(entry.category).includes(`${VARIABLES}clm_tot_chrg_amt`));
  return isJsonObject(total?.amount) ? total.amount.value : undefined;
}

function diagnosisCodes(eob: FhirResource): unknown[] {
  return ((eob.diagnosis as JsonObject[] | undefined) ?? [])
    .filter((diagnosis) => diagnosis.diagnosisCodeableConcept !== undefined)
    .map((diagnosis) => collect(diagnosis.diagnosisCodeableConcept ?? null, 'code')[0]);
}

function procedureCodes(eob: FhirResource): unknown[] {
  return ((eob.procedure as JsonObject[] | undefined) ?? []).map((procedure) => [collect(procedure.procedureCodeableConcept ?? null, 'code')[0], procedure.date]);
}

describe("R4 data: BFD's v2 shapes", () => {
  const users = usersWithAllClaimTypes();

  it('every EOB of each claim type has the structure, profile and identifier systems of its BFD v2 golden', () => {
    for (const type of CLAIM_TYPES) {
      const template = templateOf(`eob-${type}`);
      const templateSkeleton = skeleton(template);
      for (const number of users) {
        for (const eob of R4_DATA.eobsFor(syntheticUser(number)).filter((candidate) => eobClaimType(candidate) === type)) {
          assert.deepEqual((eob.meta as JsonObject).profile, [`${C4BB}${EOB_PROFILES[type]}`], `${eob.id} profile`);
          assert.deepEqual((eob.meta as JsonObject).profile, (template.meta as JsonObject).profile, `${eob.id} profile as in the golden`);
          assert.deepEqual(Object.keys(eob), Object.keys(template), `${eob.id} top-level elements, in order`);
          const built = skeleton(eob as JsonObject);
          assert.deepEqual(difference(built, templateSkeleton), [], `${eob.id} has elements its golden lacks`);
          assert.deepEqual(difference(templateSkeleton, built), [], `${eob.id} lacks elements of its golden`);
          assert.deepEqual(identifierSystems(eob as JsonObject), identifierSystems(template), `${eob.id} identifier systems`);
          assert.deepEqual(collect(eob.supportingInfo ?? [], 'code').filter((code) => !/^\d|^[A-Z]/.test(code)).length > 0 || type === 'pde' || eob.supportingInfo === undefined, true);
          for (const key of ['careTeam', 'supportingInfo', 'total', 'benefitBalance']) {
            const categories = (resource: Json) => JSON.stringify(((isJsonObject(resource) ? resource[key] : undefined) as JsonObject[] | undefined)?.map((entry) => entry.role ?? entry.category) ?? null);
            assert.equal(categories(eob as JsonObject), categories(template), `${eob.id} ${key} roles and categories`);
          }
        }
      }
    }
  });

  it('EOB lines keep the golden line, one per v1 line, numbered from 1', () => {
    for (const number of users) {
      const user = syntheticUser(number);
      for (const eob of R4_DATA.eobsFor(user)) {
        const items = eob.item as JsonObject[];
        assert.deepEqual(items.map((item) => item.sequence), items.map((_, index) => index + 1), eob.id);
        const diagnosisSequences = new Set(((eob.diagnosis as JsonObject[] | undefined) ?? []).map((diagnosis) => diagnosis.sequence));
        for (const item of items) for (const sequence of (item.diagnosisSequence as number[] | undefined) ?? []) assert.ok(diagnosisSequences.has(sequence), `${eob.id} line points at diagnosis ${sequence}`);
        const careTeam = new Set(((eob.careTeam as JsonObject[] | undefined) ?? []).map((member) => member.sequence));
        for (const item of items) for (const sequence of (item.careTeamSequence as number[] | undefined) ?? []) assert.ok(careTeam.has(sequence), `${eob.id} line points at care team ${sequence}`);
      }
    }
  });

  it('Patient: the C4BB profile, bene_id typed MB then the current MBI as us-mbi with its currency, the trimmed address', () => {
    const template = templateOf('patient');
    for (const number of SPREAD_USERS) {
      const user = syntheticUser(number);
      const patient = R4_DATA.patientFor(user);
      assert.deepEqual((patient.meta as JsonObject).profile, [`${C4BB}C4BB-Patient`]);
      assert.deepEqual(
        Object.keys(patient),
        Object.keys(template).map((key) => (key === 'deceasedDateTime' && patient.deceasedBoolean !== undefined ? 'deceasedBoolean' : key)),
      );
      const [beneId, mbi, ...rest] = patient.identifier as JsonObject[];
      assert.deepEqual(rest, []);
      assert.deepEqual(beneId, {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MB', display: 'Member Number' }] },
        system: `${VARIABLES}bene_id`,
        value: user.patientId,
      });
      assert.equal(mbi?.system, 'http://hl7.org/fhir/sid/us-mbi');
      assert.equal(mbi?.value, user.mbi);
      assert.match(String(mbi?.value), /^[1-9]S[A-Z0-9]{9}$/);
      assert.deepEqual(collect((mbi?.type ?? null) as Json, 'code').sort(), ['MC', 'current']);
      assert.deepEqual(Object.keys(mbi?.period ?? {}), ['start']);
      assert.deepEqual((patient.address as JsonObject[]).map((address) => Object.keys(address)), [['state', 'postalCode']]);
      assert.deepEqual(identifierSystems(patient as JsonObject), ['http://hl7.org/fhir/sid/us-mbi', `${VARIABLES}bene_id`]);
      const urls = (resource: Json) => ((isJsonObject(resource) ? resource.extension : []) as JsonObject[]).map((extension) => extension.url);
      assert.deepEqual(urls(patient as JsonObject), urls(template));
    }
  });

  it('Coverage: the C4BB profile, the golden structure, class plan "Part A".."Part D", payor CMS', () => {
    for (const number of SPREAD_USERS) {
      const coverages = R4_DATA.coveragesFor(syntheticUser(number));
      coverages.forEach((coverage, index) => {
        const part = COVERAGE_PARTS[index] as string;
        const template = templateOf(`coverage-${part}`);
        assert.deepEqual((coverage.meta as JsonObject).profile, [`${C4BB}C4BB-Coverage`]);
        assert.deepEqual(Object.keys(coverage).filter((key) => key !== 'period'), Object.keys(template).filter((key) => key !== 'period'), coverage.id);
        assert.deepEqual(coverage.class, template.class, `${coverage.id} classes`);
        assert.deepEqual((coverage.class as JsonObject[]).map((entry) => entry.value), ['Medicare', `Part ${part.slice(-1).toUpperCase()}`]);
        assert.deepEqual(coverage.payor, [{ identifier: { value: 'Centers for Medicare and Medicaid Services' } }]);
        assert.deepEqual(coverage.relationship, template.relationship);
        assert.equal(coverage.period !== undefined, part === 'part-a' || part === 'part-b', `${coverage.id} period`);
      });
    }
  });

  it('carries no BFD test placeholder, test beneficiary, fixture name or NPI-lookup text', () => {
    for (const number of SPREAD_USERS) {
      const user = syntheticUser(number);
      const text = JSON.stringify([R4_DATA.patientFor(user), ...R4_DATA.coveragesFor(user), ...R4_DATA.eobsFor(user)]);
      for (const forbidden of ['IGNORED_FIELD', 'localhost', 'Fake', '567834', 'nucc.org', 'DR. ']) assert.ok(!text.includes(forbidden), `${forbidden} in BBUser${number}`);
    }
  });

  it('dates nothing after the resource was last updated, and nothing on or after 2026-11-01', () => {
    const datesIn = (node: Json, key = '', out: Array<{ key: string; value: string }> = []) => {
      if (typeof node === 'string' && /^\d{4}-\d{2}-\d{2}/.test(node)) out.push({ key, value: node.slice(0, 10) });
      else if (Array.isArray(node)) node.forEach((item) => datesIn(item, key, out));
      else if (isJsonObject(node)) for (const [name, value] of Object.entries(node)) datesIn(value, name, out);
      return out;
    };
    for (const number of SPREAD_USERS) {
      for (const eob of R4_DATA.eobsFor(syntheticUser(number))) {
        const lastUpdated = String((eob.meta as JsonObject).lastUpdated);
        assert.ok(lastUpdated < '2026-11-01', `${eob.id} ${lastUpdated}`);
        for (const date of datesIn(eob as JsonObject)) assert.ok(date.value <= lastUpdated.slice(0, 10), `${eob.id} ${date.key} ${date.value} after lastUpdated ${lastUpdated}`);
      }
    }
  });

  it('the comparisons above do see a broken EOB (control)', () => {
    const eob = structuredClone(firstOfType(R4_DATA.eobsFor(syntheticUser(29_999)), 'carrier')) as JsonObject;
    const original = firstOfType(STU3_DATA.eobsFor(syntheticUser(29_999)), 'carrier');
    const template = skeleton(templateOf('eob-carrier'));
    for (const member of eob.careTeam as JsonObject[]) delete member.role;
    (eob.insurance as JsonObject[]).push({ focal: false, coverage: { reference: 'Coverage/x' }, preAuthRef: ['x'] });
    assert.ok(difference(template, skeleton(eob)).includes('.careTeam[].role'), 'a missing element is seen');
    assert.deepEqual(difference(skeleton(eob), template), ['.insurance[].preAuthRef'], 'an extra element is seen');
    const line = ((eob.item as JsonObject[])[0]?.adjudication as JsonObject[]).find((entry) => isJsonObject(entry.amount));
    assert.ok(line && isJsonObject(line.amount));
    line.amount.value = Number(line.amount.value) + 1;
    const [a, b] = shared(keyed(indexClaimValues(original).lines[0] as ScopeValues), keyed(indexClaimValues(eob).lines[0] as ScopeValues));
    assert.notDeepEqual(b, a, 'a changed line amount is seen');
    assert.deepEqual(difference(new Set(npis(original)), new Set(npis({ ...eob, careTeam: [] }))).length > 0, true, 'a missing provider is seen');
  });

  it('hands out frozen resources', () => {
    const eob = firstOfType(R4_DATA.eobsFor(syntheticUser(29_999)), 'pde');
    assert.throws(() => {
      (eob as unknown as Record<string, unknown>).id = 'changed';
    }, TypeError);
  });
});

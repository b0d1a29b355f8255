/**
 * The BB2 v2 profile facts file is read strictly (a mistake names its field), and the BB2 layer puts
 * each violation at its place in a Bundle and names the profile BB2 serves.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BB2_V2_PROFILES_PATH, createBb2V2ProfileChecker, parseBb2V2ProfileFacts, validateBb2V2Profiles } from './bb2-v2.js';
import { loadR4Sample } from './r4-samples.js';

const facts = (): Record<string, unknown> => JSON.parse(readFileSync(BB2_V2_PROFILES_PATH, 'utf8')) as Record<string, unknown>;

describe('schemas/bb2-v2-profiles.json', () => {
  it('parses', () => {
    const parsed = parseBb2V2ProfileFacts(facts());
    assert.deepEqual(Object.keys(parsed.claimTypeProfiles).sort(), ['carrier', 'dme', 'hha', 'hospice', 'inpatient', 'outpatient', 'pde', 'snf']);
  });

  it('a deviation without evidence, a bad regular expression or an unknown field is an error naming it', () => {
    const broken = facts();
    const deviations = broken.deviations as Record<string, unknown>[];
    deviations[0]!.evidence = [];
    (deviations[1]!.match as Record<string, unknown>[])[0]!.resourceId = '^(dme';
    deviations[2]!.severity = 'low';
    assert.throws(
      () => parseBb2V2ProfileFacts(broken, 'facts.json'),
      (error: Error) =>
        error.message.startsWith('facts.json is not a valid BB2 v2 profile facts file:') &&
        error.message.includes('deviations.0.evidence') &&
        error.message.includes('deviations.1.match.0.resourceId: a valid regular expression') &&
        error.message.includes('deviations.2: Unrecognized key'),
    );
  });

  it('a profile the suite does not hold is refused when the checker is built', () => {
    const broken = facts();
    (broken.resourceProfiles as Record<string, { profile: string }>).Patient!.profile = 'http://example.org/StructureDefinition/Patient';
    assert.throws(() => createBb2V2ProfileChecker(parseBb2V2ProfileFacts(broken)), /http:\/\/example\.org\/StructureDefinition\/Patient is not a vendored profile/);
  });
});

describe('BB2 v2 profile checks', () => {
  it('knows the profile for each resource and claim type', () => {
    const checker = createBb2V2ProfileChecker();
    assert.equal(checker.expectedProfile({ resourceType: 'ExplanationOfBenefit', id: 'hha-2925555555' }), 'http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-ExplanationOfBenefit-Professional-NonClinician');
    assert.equal(checker.expectedProfile({ resourceType: 'Coverage', id: 'part-a-1' }), 'http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-Coverage');
    assert.equal(checker.expectedProfile({ resourceType: 'ExplanationOfBenefit', id: 'unknowntype-1' }), undefined);
  });

  it('places violations of Bundle entries and their contained resources under entry[n].resource', () => {
    const bundle = structuredClone(loadR4Sample('bfd-endpoint-responses-v2/eobByPatientIdPaged.json'));
    const entries = bundle.entry as { resource: Record<string, unknown> }[];
    const inpatient = entries.findIndex((entry) => String(entry.resource.id).startsWith('inpatient-'));
    delete (entries[inpatient]!.resource.contained as Record<string, unknown>[])[0]!.name;
    const violation = validateBb2V2Profiles(bundle, { deviations: 'current' }).find((candidate) => candidate.ruleId === 'profile:us-core-organization:Organization.name:cardinality');
    assert.equal(violation?.path, `entry[${inpatient}].resource.contained[0].name`);
    assert.equal(violation?.resourceType, 'Organization');
    assert.equal(violation?.id, 'provider-org');
  });

  it('a resource that claims no profile is checked against the one BB2 serves, and told so', () => {
    const coverage = structuredClone(loadR4Sample('bfd-endpoint-responses-v2/coverageRead.json'));
    delete (coverage.meta as Record<string, unknown>).profile;
    delete coverage.relationship;
    const errors = validateBb2V2Profiles(coverage, { deviations: 'current' }).filter((violation) => violation.severity !== 'warning');
    assert.deepEqual(errors.map((violation) => violation.ruleId).sort(), ['bb2-v2:claimed-profile', 'profile:C4BB-Coverage:Coverage.meta.profile:cardinality', 'profile:C4BB-Coverage:Coverage.relationship:cardinality']);
    assert.match(errors.find((violation) => violation.ruleId === 'bb2-v2:claimed-profile')?.message ?? '', /Coverage part-a-567834 claims no profile; BB2 v2 serves a Coverage with http:\/\/hl7\.org\/fhir\/us\/carin-bb\/StructureDefinition\/C4BB-Coverage/);
  });
});

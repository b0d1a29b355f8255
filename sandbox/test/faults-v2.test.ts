/**
 * The v2 fault modes (ids `v2-…`): each breaks the v2 API only, and the v2 resources it serves fail the
 * verdict the suite's v2 checks use (R4 + C4BB profiles + BB2's v2 rules, today's shapes only) with one
 * of the requirements the fault names. The self-test proves the same end to end; this proves it in seconds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateResource } from '../../lib/validation/validate.js';
import { R4_DATA, STU3_DATA, syntheticUser } from '../src/data/index.js';
import { FAULT_MODES, faultRequirements } from '../src/faults/catalog.js';
import type { FhirResource } from '../src/fhir/types.js';

const V2_FAULTS = FAULT_MODES.filter((mode) => mode.id.startsWith('v2-'));
/** BBUser29999: claims of every type. */
const user = syntheticUser(29999);
const resourcesOf = (data: typeof R4_DATA): FhirResource[] => [data.patientFor(user), ...data.coveragesFor(user), ...data.eobsFor(user)];

describe('v2 fault modes', () => {
  it('there are at least 10, profile-level and R4-specific among them, each detectable', () => {
    assert.ok(V2_FAULTS.length >= 10, `${V2_FAULTS.length} v2 fault modes`);
    const requirements = V2_FAULTS.flatMap(faultRequirements);
    for (const family of ['C4BB-', 'USCORE-', 'BB2-FHIR-V2PROFILE-', 'FHIR-R4-SCHEMA-', 'FHIR-R4-BINDING-', 'FHIR-R4-per-']) {
      assert.ok(requirements.some((id) => id.startsWith(family)), family);
    }
    for (const mode of V2_FAULTS) assert.equal(mode.undetectable, undefined, mode.id);
  });

  const r4 = resourcesOf(R4_DATA);
  const stu3 = resourcesOf(STU3_DATA);
  const patientId = R4_DATA.patientFor(user).id;

  for (const mode of V2_FAULTS.filter((candidate) => candidate.overrides.fhir?.serveResource)) {
    it(`${mode.id}: v2 resources fail with ${faultRequirements(mode).join(' or ')}; v1 is served untouched`, () => {
      const serve = mode.overrides.fhir?.serveResource;
      assert.ok(serve);
      for (const resource of stu3) assert.equal(serve(resource, 1), resource, `v1 ${resource.resourceType}/${resource.id}`);
      let changed = 0;
      for (const resource of r4) {
        const served: FhirResource = serve(resource, 2);
        if (served === resource) continue;
        changed += 1;
        const verdict = validateResource(served, { release: 'r4', expectedType: resource.resourceType, bb2: { patientId, synthetic: true }, v2ProfileDeviations: 'current' });
        const broken = new Set(verdict.violations.map((violation) => violation.requirement));
        assert.ok(
          faultRequirements(mode).some((id) => broken.has(id)),
          `${resource.resourceType}/${resource.id}: ${[...broken].join(', ') || 'no violation'}`,
        );
      }
      assert.ok(changed > 0, `${mode.id} changed none of BBUser29999's v2 resources`);
    });
  }

  it('v2-metadata-fhir-version-stu3 and v2-paging-links-to-v1 change v2 only', () => {
    const byId = (id: string) => FAULT_MODES.find((mode) => mode.id === id);
    const statement = { resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', rest: [] };
    const capability = byId('v2-metadata-fhir-version-stu3')?.overrides.fhir?.capabilityStatement;
    assert.ok(capability);
    assert.equal(capability(statement, 'http://localhost', 2).fhirVersion, '3.0.2');
    assert.notEqual(capability({ ...statement, fhirVersion: '3.0.2' }, 'http://localhost', 1).fhirVersion, '4.0.1');

    const pageLinks = byId('v2-paging-links-to-v1')?.overrides.fhir?.pageLinks;
    assert.ok(pageLinks);
    const input = { baseUrl: 'http://localhost:8700', resourceType: 'ExplanationOfBenefit', forwarded: [], startIndex: 0, count: 10, total: 25 } as const;
    for (const link of pageLinks({ ...input, version: 2 })) assert.match(new URL(link.url).pathname, /^\/v1\/fhir\//, link.relation);
    for (const link of pageLinks({ ...input, version: 1 })) assert.match(new URL(link.url).pathname, /^\/v1\/fhir\//, link.relation);
  });
});

/**
 * The fault modes that break a FHIR rule of the catalogue (requirement FHIR-STU3-…): the resources
 * they serve break exactly that rule in the validator's verdict, and the untouched resources do not.
 * The self-test proves the same end to end; this proves it in a second.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateResource } from '../../lib/validation/validate.js';
import { coveragesFor, eobsFor, patientFor, syntheticUser } from '../src/data/index.js';
import { FAULT_MODES, faultRequirements } from '../src/faults/catalog.js';
import type { FhirResource } from '../src/fhir/types.js';

/** Each with the one FHIR rule it breaks; faults the suite cannot see (undetectable) are the sweep's business. */
const FHIR_RULE_FAULTS = FAULT_MODES.filter((mode) => mode.undetectable === undefined)
  .map((mode) => ({ mode, requirement: faultRequirements(mode)[0] ?? '' }))
  .filter(({ requirement }) => requirement.startsWith('FHIR-STU3-'));

describe('fault modes that break a FHIR STU3 rule', () => {
  it('there is one per family at least: invariant, JSON rule, required binding', () => {
    const families = new Set(FHIR_RULE_FAULTS.map(({ requirement }) => /^FHIR-STU3-(JSON|BINDING|SCHEMA)-/.exec(requirement)?.[1] ?? 'invariant'));
    for (const family of ['invariant', 'JSON', 'BINDING']) assert.ok(families.has(family), family);
  });

  const user = syntheticUser(42);
  const resources = [patientFor(user), ...coveragesFor(user), ...eobsFor(user)] as FhirResource[];

  for (const { mode, requirement } of FHIR_RULE_FAULTS) {
    it(`${mode.id} serves resources that break ${requirement}, and nothing else`, () => {
      const serve = mode.overrides.fhir?.serveResource;
      assert.ok(serve, `${mode.id} replaces serveResource`);
      let changed = 0;
      for (const resource of resources) {
        const served: FhirResource = serve(resource, 1);
        const verdict = validateResource(served, { expectedType: resource.resourceType });
        if (served === resource) {
          assert.deepEqual(verdict.violations, [], `${resource.resourceType}/${resource.id} untouched`);
          continue;
        }
        changed += 1;
        assert.deepEqual([...new Set(verdict.violations.map((violation) => violation.requirement))], [requirement], `${resource.resourceType}/${resource.id}`);
      }
      assert.ok(changed > 0, `${mode.id} changed none of BBUser00042's resources`);
    });
  }
});

/**
 * The fault mode that breaks some users' data only (eob-carrier-status-raw-code-users-ending-7): its
 * seam changes exactly the carrier EOBs of users whose number ends in 7, and the suite's validator sees
 * exactly those. The population sweep's end-to-end test (lib/sweep/sweep.e2e.test.ts) finds them through
 * the browser; this checks the seam itself over many users, fast.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateStu3 } from '../../lib/validation/validate.js';
import { eobsFor, syntheticUser } from '../src/data/index.js';
import { faultModeOrThrow } from '../src/faults/catalog.js';

const FAULT = faultModeOrThrow('eob-carrier-status-raw-code-users-ending-7');

describe('eob-carrier-status-raw-code-users-ending-7', () => {
  it('names its requirement and replaces the serveResource seam only', () => {
    assert.equal(FAULT.requirement, 'FHIR-STU3-BINDING-ExplanationOfBenefit.status');
    assert.deepEqual(Object.keys(FAULT.overrides.fhir ?? {}), ['serveResource']);
  });

  it('changes the carrier EOBs of users ending in 7, and no other resource', () => {
    const serve = FAULT.overrides.fhir?.serveResource;
    assert.ok(serve);
    let changed = 0;
    for (const number of [7, 17, 27, 10_427, 10_437, 10_447, 29_997, 0, 1, 10_420, 10_428, 29_999]) {
      for (const eob of eobsFor(syntheticUser(number))) {
        const served = serve(eob, 1) as typeof eob & { status?: unknown };
        const shouldBreak = number % 10 === 7 && eob.id.startsWith('carrier-');
        if (shouldBreak) {
          changed += 1;
          assert.equal(served.status, 'F', eob.id);
          assert.ok(validateStu3(served, 'ExplanationOfBenefit').some((violation) => violation.path === 'status'), `${eob.id}: the validator sees it`);
        } else {
          assert.equal(served, eob, `${eob.id} of user ${number} is served untouched`);
        }
      }
    }
    assert.ok(changed > 50, `${changed} EOBs changed`);
  });
});

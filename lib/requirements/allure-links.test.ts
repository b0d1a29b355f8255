/**
 * A check's requirement ids in the Allure report: one story per id named by its title, and `tms`
 * annotations that allure-playwright's link templates turn into links named by the id, to the
 * requirement's source and, when the run knows its GitHub repository, to docs/requirements.md.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestCase } from '@playwright/test/reporter';
import { requirement, requirementsPerVersion } from '../../fixtures/annotations.js';
import { allureLabelAnnotations } from '../reporting/allure-context-reporter.js';
import { coveragePageUrl, requirementLinkTemplates } from './allure-links.js';

const CI = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'owner/bb2-conformance', GITHUB_SHA: 'c'.repeat(40) };

function testWith(annotations: Array<{ type: string; description: string }>, project?: string): Pick<TestCase, 'tags' | 'annotations' | 'parent' | 'location'> {
  return {
    tags: ['@oauth'],
    annotations,
    parent: { title: 'PKCE at /token', type: 'describe', project: () => (project === undefined ? undefined : { name: project }) } as unknown as TestCase['parent'],
    location: { file: '/repo/tests/oauth/pkce.spec.ts', line: 1, column: 1 },
  };
}

describe('requirements in the Allure report', () => {
  it('gives a story per requirement id, named by its title, and a link annotation per id', () => {
    const labels = allureLabelAnnotations(testWith([requirement('BB2-OAUTH-PKCE-03', 'RFC7636-4.6')]));
    assert.deepEqual(
      labels.filter((label) => label.type === 'allure.label.story').map((label) => label.description),
      ['BB2-OAUTH-PKCE-03 The code_verifier must match the code_challenge', 'RFC7636-4.6 The server verifies code_verifier before returning tokens'],
    );
    const links = labels.filter((label) => label.type === 'tms').map((label) => label.description);
    assert.ok(links.includes('BB2-OAUTH-PKCE-03') && links.includes('RFC7636-4.6'), links.join());
  });

  it("labels a check with its project's API version and cites that version's requirements only", () => {
    const annotations = [requirement('BB2-FHIR-PATH-01'), ...requirementsPerVersion('validResource')];
    const stories = (project: string) =>
      allureLabelAnnotations(testWith(annotations, project))
        .filter((label) => label.type === 'allure.label.story')
        .map((label) => label.description.split(' ')[0]);
    assert.deepEqual(stories('v1'), ['BB2-FHIR-PATH-01', 'BB2-FHIR-STU3-01']);
    assert.deepEqual(stories('v2'), ['BB2-FHIR-PATH-01', 'BB2-FHIR-R4-01', 'BB2-FHIR-V2PROFILE-01']);
    const parentSuite = allureLabelAnnotations(testWith(annotations, 'v2')).find((label) => label.type === 'allure.label.parentSuite');
    assert.equal(parentSuite?.description, 'BB2 API v2 (FHIR R4)');
  });

  it('links an id to its first public source, named by the id', () => {
    const tms = requirementLinkTemplates({})['tms'];
    assert.ok(tms);
    assert.equal(tms.urlTemplate('RFC7636-4.6'), 'https://www.rfc-editor.org/rfc/rfc7636#section-4.6');
    assert.equal(tms.nameTemplate('RFC7636-4.6'), 'RFC7636-4.6 source');
    assert.equal(coveragePageUrl({}), undefined, 'outside GitHub Actions the repository is not known');
  });

  it('on GitHub Actions also links the id to its entry in docs/requirements.md at the run\'s commit', () => {
    const tms = requirementLinkTemplates(CI)['tms'];
    assert.ok(tms);
    assert.equal(tms.urlTemplate('BB2-OAUTH-PKCE-03#docs'), `https://github.com/owner/bb2-conformance/blob/${'c'.repeat(40)}/docs/requirements.md#BB2-OAUTH-PKCE-03`);
    assert.equal(tms.nameTemplate('BB2-OAUTH-PKCE-03#docs'), 'BB2-OAUTH-PKCE-03 in docs/requirements.md');
  });
});

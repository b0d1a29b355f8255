/**
 * The beneficiary unticks "Personal Information" on the consent screen (BB2-OAUTH-SCOPE-03..04,
 * WS selenium test_auth_grant_w_no_demo): the token loses the demographic scopes, Patient and userinfo
 * answer 403 with BB2's detail, while Coverage and ExplanationOfBenefit stay readable.
 *
 * Every check reads the same consent (`beneficiaryWithoutPersonalInfo`, one login per worker that runs
 * them): the checks run one after another in one worker, so no other check consents for that user in between.
 */
import { expect, getJson, requirement, severity, test } from '../../fixtures/index.js';

const TAGS = ['@oauth', '@security'];
const NO_PERMISSION = { detail: 'You do not have permission to perform this action.' };
const DEMOGRAPHIC_SCOPES = ['patient/Patient.read', 'patient/Patient.r', 'patient/Patient.s', 'patient/Patient.rs', 'profile'];

test.describe.configure({ mode: 'default' });

test.describe('Personal Information withheld', () => {
  test(
    'the token has no demographic scope but still names the patient',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-SCOPE-03'), severity('critical')] },
    async ({ beneficiaryWithoutPersonalInfo: tokens }) => {
      for (const scope of DEMOGRAPHIC_SCOPES) expect(tokens.scopes.has(scope), `scope ${scope}`).toBe(false);
      expect(tokens.patient).toMatch(/^-?\d+$/);
    },
  );

  test(
    'Patient read and search answer 403 with BB2\'s detail',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-SCOPE-04'), severity('critical')] },
    async ({ request, target, beneficiaryWithoutPersonalInfo }) => {
      const { accessToken, patient } = beneficiaryWithoutPersonalInfo;
      for (const url of [`${target.endpoints.fhirBase}/Patient/${patient}`, `${target.endpoints.fhirBase}/Patient/`]) {
        const response = await getJson(request, url, accessToken);
        expect(response.status, `GET ${url}`).toBe(403);
        expect(response.json, `GET ${url}`).toEqual(NO_PERMISSION);
      }
    },
  );

  test(
    'userinfo answers 403 with BB2\'s detail',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-USERINFO-03'), severity('critical')] },
    async ({ oauthClient, beneficiaryWithoutPersonalInfo }) => {
      const userinfo = await oauthClient.userinfo(beneficiaryWithoutPersonalInfo.accessToken);
      expect(userinfo.status).toBe(403);
      expect(userinfo.json).toEqual(NO_PERMISSION);
    },
  );

  test(
    'Coverage and ExplanationOfBenefit searches still answer 200',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-SCOPE-04'), severity('critical')] },
    async ({ request, target, beneficiaryWithoutPersonalInfo }) => {
      for (const url of [`${target.endpoints.fhirBase}/Coverage/`, `${target.endpoints.fhirBase}/ExplanationOfBenefit/`]) {
        const response = await getJson(request, url, beneficiaryWithoutPersonalInfo.accessToken);
        expect(response.status, `GET ${url}: ${response.bodyText.slice(0, 200)}`).toBe(200);
      }
    },
  );
});

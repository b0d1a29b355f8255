/**
 * The beneficiary unticks "Personal Information" on the consent screen (BB2-OAUTH-SCOPE-03..04,
 * WS selenium test_auth_grant_w_no_demo): the token loses the demographic scopes, Patient and userinfo
 * answer 403 with BB2's detail, while Coverage and ExplanationOfBenefit stay readable.
 */
import { expect, getJson, requirement, severity, test, type IssuedTokens } from '../../fixtures/index.js';

const TAGS = ['@oauth', '@security'];
const NO_PERMISSION = { detail: 'You do not have permission to perform this action.' };
const DEMOGRAPHIC_SCOPES = ['patient/Patient.read', 'patient/Patient.r', 'patient/Patient.s', 'patient/Patient.rs', 'profile'];

test.describe('Personal Information withheld', () => {
  let issued: IssuedTokens;

  test.beforeEach(async ({ issueTokens }) => {
    issued = await issueTokens({ sharePersonalInfo: false });
  });

  test(
    'the token has no demographic scope but still names the patient',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-SCOPE-03'), severity('critical')] },
    async () => {
      for (const scope of DEMOGRAPHIC_SCOPES) expect(issued.tokens.scopes.has(scope), `scope ${scope}`).toBe(false);
      expect(issued.tokens.patient).toMatch(/^-?\d+$/);
    },
  );

  test(
    'Patient read and search answer 403 with BB2\'s detail',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-SCOPE-04'), severity('critical')] },
    async ({ request, target }) => {
      const { accessToken, patient } = issued.tokens;
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
    async ({ oauthClient }) => {
      const userinfo = await oauthClient.userinfo(issued.tokens.accessToken);
      expect(userinfo.status).toBe(403);
      expect(userinfo.json).toEqual(NO_PERMISSION);
    },
  );

  test(
    'Coverage and ExplanationOfBenefit searches still answer 200',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-SCOPE-04'), severity('critical')] },
    async ({ request, target }) => {
      for (const url of [`${target.endpoints.fhirBase}/Coverage/`, `${target.endpoints.fhirBase}/ExplanationOfBenefit/`]) {
        const response = await getJson(request, url, issued.tokens.accessToken);
        expect(response.status, `GET ${url}: ${response.bodyText.slice(0, 200)}`).toBe(200);
      }
    },
  );
});

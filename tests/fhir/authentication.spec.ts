/**
 * The FHIR API takes a token only as `Authorization: Bearer …` (BB2-FHIR-AUTH-01..06;
 * RFC 6750): no token, a token it never issued and an expired token are 401 with a Bearer challenge
 * and DRF's detail; an `access_token` query parameter is refused with 400 even beside a valid header.
 */
import { embeddedOnlyReason } from '../../fixtures/target.js';
import { expect, requirement, severity, test, type HttpResult } from '../../fixtures/fhir.js';

const TAGS = ['@fhir', '@security'];
const NOT_AUTHENTICATED = { detail: 'Authentication credentials were not provided.' };
/** A token-shaped value the server never issued. */
const UNKNOWN_TOKEN = 'NotAnIssuedToken0000000000000';

function expectBearerChallenge(response: HttpResult, what: string): void {
  expect(response.status, `${what}: ${response.bodyText.slice(0, 200)}`).toBe(401);
  expect(response.headers['www-authenticate'], `${what}: WWW-Authenticate`).toMatch(/^Bearer(\s|$)/i);
  expect(response.json, `${what}: body`).toEqual(NOT_AUTHENTICATED);
}

test.describe('FHIR authentication', () => {
  test(
    'a request without a token is 401 with a Bearer challenge, for Patient, Coverage and ExplanationOfBenefit',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-AUTH-01', 'RFC6750-3'), severity('blocker')] },
    async ({ fhirAs, beneficiaryToken }) => {
      const anonymous = fhirAs(null);
      expectBearerChallenge(await anonymous.read('Patient', beneficiaryToken.patient), 'Patient read');
      expectBearerChallenge(await anonymous.search('Coverage'), 'Coverage search');
      expectBearerChallenge(await anonymous.search('ExplanationOfBenefit'), 'ExplanationOfBenefit search');
    },
  );

  test(
    'a token the server never issued is 401 with a Bearer challenge',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-AUTH-02', 'RFC6750-3'), severity('critical')] },
    async ({ fhirAs }) => {
      const unknown = fhirAs(UNKNOWN_TOKEN);
      expectBearerChallenge(await unknown.search('Patient'), 'Patient search');
      expectBearerChallenge(await unknown.search('ExplanationOfBenefit'), 'ExplanationOfBenefit search');
    },
  );

  test(
    'the challenge for a token the server never issued says error="invalid_token"',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-AUTH-03', 'RFC6750-3.1'), severity('minor')] },
    async ({ fhirAs }) => {
      const response = await fhirAs(UNKNOWN_TOKEN).search('Coverage');
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/\berror="invalid_token"/);
    },
  );

  test(
    'an Authorization header of another scheme is 401',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-AUTH-04', 'RFC6750-2.1'), severity('normal')] },
    async ({ fhirAs, beneficiaryToken }) => {
      const basic = `Basic ${Buffer.from(`${beneficiaryToken.username}:x`).toString('base64')}`;
      const response = await fhirAs(null).search('Coverage', {}, { headers: { Authorization: basic } });
      expectBearerChallenge(response, 'Coverage search with Basic');
    },
  );

  test(
    'an expired token is 401 with a Bearer challenge saying error="invalid_token"',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-AUTH-05', 'BB2-FHIR-AUTH-03', 'RFC6750-3.1'), severity('critical')] },
    async ({ target, privateSandbox }) => {
      test.skip(target.kind !== 'embedded', embeddedOnlyReason("seeing a token expire (the check moves the sandbox's clock past its lifetime)"));
      const sandbox = await privateSandbox({});
      const tokens = await sandbox.issueTokens('BBUser00001');
      const fhir = sandbox.fhir(tokens.accessToken);
      expect((await fhir.search('Coverage')).status, 'while the token is fresh').toBe(200);
      // The sandbox's clock, not the test, waits out the token's lifetime (expires_in).
      await sandbox.advanceClock(tokens.expiresIn + 1);
      const response = await fhir.search('Coverage');
      expectBearerChallenge(response, 'Coverage search with an expired token');
      expect(response.headers['www-authenticate']).toMatch(/\berror="invalid_token"/);
    },
  );

  test(
    'an access_token query parameter is refused with 400, even beside a valid Authorization header',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-AUTH-06', 'RFC6750-2.3'), severity('critical')] },
    async ({ fhir }) => {
      // A stand-in value: the real token must never travel in a URL, not even in a test.
      const response = await fhir.search('Coverage', { access_token: 'stand-in-not-a-real-token' });
      expect(response.status, response.bodyText.slice(0, 300)).toBe(400);
      expect(response.json).toEqual({ detail: 'Using the access token in the query parameters is not supported. Use the Authorization header instead' });
    },
  );
});

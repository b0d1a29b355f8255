/**
 * The token response to an authorization-code exchange (BB2-OAUTH-TOKEN-01..06; RFC 6749 §5.1):
 * its headers, its fields and their JSON types, and what BB2 adds (patient, access_grant_expiration).
 * Bodies are checked in their redacted form (lib/oauth/secret.ts), so a failure never prints a token.
 *
 * The plain exchange (default scopes, Personal Information shared) is the one the worker's login made
 * (`loginTokenResponse`, attached to each check): these checks read it rather than authorize again.
 */
import { embeddedOnlyReason, expect, requirement, severity, test, VERSION_INDEPENDENT_TAG } from '../../fixtures/index.js';

const TAGS = ['@oauth'];
/** `DATETIME_ISO_FORMAT = '%Y-%m-%dT%H:%M:%SZ'` (BB2-OAUTH-TOKEN-05). */
const GRANT_EXPIRATION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

test.describe('token response', () => {
  test(
    'is 200 JSON that must not be cached (Cache-Control: no-store, Pragma: no-cache)',
    { tag: [...TAGS, '@security'], annotation: [requirement('BB2-OAUTH-TOKEN-01', 'RFC6749-5.1'), severity('critical')] },
    async ({ loginTokenResponse: result }) => {
      expect(result.status, result.bodyText).toBe(200);
      expect(result.contentType).toMatch(/^application\/json\b/);
      expect(result.headers['cache-control']).toMatch(/\bno-store\b/);
      expect(result.headers.pragma).toMatch(/\bno-cache\b/);
    },
  );

  test(
    'has access_token, expires_in, token_type Bearer, scope, refresh_token, patient and access_grant_expiration with their JSON types, and no id_token',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-TOKEN-02', 'RFC6749-5.1'), severity('critical')] },
    async ({ loginTokenResponse: result }) => {
      expect(result.status, result.bodyText).toBe(200);
      const body = result.json as Record<string, unknown>;
      expect(body).toEqual({
        access_token: expect.any(String),
        expires_in: expect.any(Number),
        token_type: 'Bearer',
        scope: expect.any(String),
        refresh_token: expect.any(String),
        patient: expect.any(String),
        access_grant_expiration: expect.any(String),
      });
      expect(Number.isInteger(body.expires_in) && (body.expires_in as number) > 0, `expires_in ${String(body.expires_in)} is a positive integer`).toBe(true);
      expect(body).not.toHaveProperty('id_token');
    },
  );

  test(
    'expires_in is 3600 seconds (one hour)',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-TOKEN-03'), severity('normal')] },
    async ({ target, loginTokenResponse, beneficiaryToken: tokens }) => {
      test.skip(target.kind !== 'embedded', embeddedOnlyReason('The token lifetime (3600 s by default on the embedded sandbox)'));
      expect(loginTokenResponse.status).toBe(200);
      expect(tokens.expiresIn).toBe(3600);
    },
  );

  test(
    "patient is the beneficiary's FHIR id, the same as userinfo's patient and sub",
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-TOKEN-04'), severity('critical')] },
    async ({ loginTokenResponse, beneficiaryToken: tokens, oauthClient }) => {
      expect(loginTokenResponse.status).toBe(200);
      expect(tokens.patient).toMatch(/^-?\d+$/);
      const userinfo = await oauthClient.userinfo(tokens.accessToken);
      expect(userinfo.status, userinfo.bodyText).toBe(200);
      expect(userinfo.json).toMatchObject({ patient: tokens.patient, sub: tokens.patient });
    },
  );

  test(
    'access_grant_expiration is a UTC timestamp',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-TOKEN-05'), severity('normal')] },
    async ({ target, loginTokenResponse, beneficiaryToken: tokens }) => {
      expect(loginTokenResponse.status).toBe(200);
      if (target.kind === 'external' && tokens.accessGrantExpiration === '') {
        test.info().annotations.push({ type: 'note', description: 'access_grant_expiration is "": the app is a RESEARCH_STUDY app (BB2-OAUTH-TOKEN-05)' });
        return;
      }
      expect(tokens.accessGrantExpiration).toMatch(GRANT_EXPIRATION);
    },
  );

  test(
    'access_grant_expiration is 13 months after the consent',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-TOKEN-06'), severity('normal')] },
    async ({ target, loginTokenResponse, beneficiaryToken: tokens }) => {
      test.skip(target.kind !== 'embedded', embeddedOnlyReason("The grant length (the app's data access type, 13 months for the embedded client)"));
      expect(loginTokenResponse.status).toBe(200);
      expect(tokens.accessGrantExpiration).toMatch(GRANT_EXPIRATION);
      const expected = new Date(tokens.receivedAt);
      expected.setUTCMonth(expected.getUTCMonth() + 13);
      const days = Math.abs(Date.parse(tokens.accessGrantExpiration as string) - expected.getTime()) / 86_400_000;
      expect(days, `${tokens.accessGrantExpiration} is within 2 days of ${expected.toISOString()}`).toBeLessThanOrEqual(2);
    },
  );

  test(
    'scope without a scope parameter holds the default scopes for Patient, Coverage, ExplanationOfBenefit, profile, openid and launch/patient',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-SCOPE-01'), severity('critical')] },
    async ({ loginTokenResponse, beneficiaryToken: tokens }) => {
      expect(loginTokenResponse.status).toBe(200);
      for (const scope of ['patient/Patient.rs', 'patient/Coverage.rs', 'patient/ExplanationOfBenefit.rs', 'profile', 'openid', 'launch/patient']) {
        expect(tokens.scopes.has(scope), `scope "${scope}" in ${[...tokens.scopes].join(' ')}`).toBe(true);
      }
    },
  );

  test(
    'scope is the set of scopes requested, whatever their order',
    { tag: [...TAGS, VERSION_INDEPENDENT_TAG], annotation: [requirement('BB2-OAUTH-SCOPE-02', 'RFC6749-3.3'), severity('normal')] },
    async ({ authorizeAsBeneficiary, oauthClient }) => {
      const requested = ['patient/Coverage.read', 'openid', 'patient/ExplanationOfBenefit.read', 'profile', 'patient/Patient.read'];
      const authorization = await authorizeAsBeneficiary({ scope: requested.join(' ') });
      expect(authorization.kind).toBe('code');
      if (authorization.kind !== 'code') return;
      const tokens = (
        await oauthClient.exchangeCode({ code: authorization.code, codeVerifier: authorization.verifier, redirectUri: authorization.redirectUri })
      ).tokens();
      expect(tokens.scopes).toEqual(new Set(requested));
    },
  );
});

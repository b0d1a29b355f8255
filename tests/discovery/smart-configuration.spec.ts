/**
 * SMART App Launch configuration (BB2-DISCOVERY-SMART-01..06, BB2's `build_smart_config_endpoint`): the same
 * authorization, token and revocation endpoints as the OpenID configuration, PKCE S256 only, and
 * BB2's SMART capabilities. Unlike the OpenID document it has no issuer, userinfo or metadata URI.
 * Each API version serves it at its own path (/v1/fhir/…, /v2/fhir/…): checked in each version's project.
 */
import { expect, getJson, requirement, severity, test } from '../../fixtures/index.js';

const TAGS = ['@discovery'];

const BB2_SCOPES = [
  'openid',
  'profile',
  'launch/patient',
  'patient/Patient.read',
  'patient/ExplanationOfBenefit.read',
  'patient/Coverage.read',
  'patient/Patient.rs',
  'patient/ExplanationOfBenefit.rs',
  'patient/Coverage.rs',
];

const BB2_CAPABILITIES = [
  'client-confidential-symmetric',
  'context-standalone-patient',
  'launch-standalone',
  'permission-offline',
  'permission-patient',
  'permission-v1',
  'permission-v2',
  'authorize-post',
];

test.describe('SMART configuration', () => {
  test(
    "is served as JSON at the API version's /fhir/.well-known/smart-configuration without authentication",
    { tag: TAGS, annotation: [requirement('BB2-DISCOVERY-SMART-01'), severity('critical')] },
    async ({ request, target }) => {
      const response = await getJson(request, target.endpoints.smartConfiguration);
      expect(response.status).toBe(200);
      expect(response.contentType).toMatch(/^application\/json\b/);
      expect(response.json).toEqual(expect.any(Object));
    },
  );

  test(
    'names the same authorization, token and revocation endpoints as the OpenID configuration',
    { tag: TAGS, annotation: [requirement('BB2-DISCOVERY-SMART-02'), severity('critical')] },
    async ({ request, target }) => {
      const smart = (await getJson(request, target.endpoints.smartConfiguration)).json as Record<string, unknown>;
      const openid = (await getJson(request, target.endpoints.openidConfiguration)).json as Record<string, unknown>;
      expect(smart.authorization_endpoint).toBe(`${target.baseUrl}/v2/o/authorize`);
      for (const field of ['authorization_endpoint', 'token_endpoint', 'revocation_endpoint']) {
        expect(smart[field], field).toBe(openid[field]);
      }
    },
  );

  test(
    'supports PKCE with S256 only',
    { tag: [...TAGS, '@security'], annotation: [requirement('BB2-DISCOVERY-SMART-03'), severity('critical')] },
    async ({ request, target }) => {
      const smart = (await getJson(request, target.endpoints.smartConfiguration)).json as Record<string, unknown>;
      expect(smart.code_challenge_methods_supported).toEqual(['S256']);
    },
  );

  test(
    'advertises the authorization-code grant, code and token response types, and BB2 scopes',
    { tag: TAGS, annotation: [requirement('BB2-DISCOVERY-SMART-04'), severity('normal')] },
    async ({ request, target }) => {
      const smart = (await getJson(request, target.endpoints.smartConfiguration)).json as Record<string, unknown>;
      expect(smart.grant_types_supported).toEqual(['authorization_code']);
      expect(new Set(smart.response_types_supported as string[])).toEqual(new Set(['code', 'token']));
      expect(new Set(smart.scopes_supported as string[])).toEqual(new Set(BB2_SCOPES));
    },
  );

  test(
    "lists BB2's SMART capabilities",
    { tag: TAGS, annotation: [requirement('BB2-DISCOVERY-SMART-05'), severity('normal')] },
    async ({ request, target }) => {
      const smart = (await getJson(request, target.endpoints.smartConfiguration)).json as Record<string, unknown>;
      expect(new Set(smart.capabilities as string[])).toEqual(new Set(BB2_CAPABILITIES));
    },
  );

  test(
    'has no issuer, userinfo endpoint or FHIR metadata URI',
    { tag: TAGS, annotation: [requirement('BB2-DISCOVERY-SMART-06'), severity('minor')] },
    async ({ request, target }) => {
      const smart = (await getJson(request, target.endpoints.smartConfiguration)).json as Record<string, unknown>;
      expect(Object.keys(smart)).not.toContain('issuer');
      expect(Object.keys(smart)).not.toContain('userinfo_endpoint');
      expect(Object.keys(smart)).not.toContain('fhir_metadata_uri');
    },
  );
});

/**
 * OpenID Connect discovery (BB2-DISCOVERY-OIDC-01..06): BB2 serves one document, built for v2, at
 * every v1 and v2 discovery path. Its endpoints are absolute URLs under the target (the issuer).
 * The subject is the same whatever the API version under test, so these checks run once, in one
 * version's project (@version-independent, playwright.config.ts); the last one fetches every path.
 */
import { openidConfigurationVariants } from '../../lib/oauth/endpoints.js';
import { expect, getJson, requirement, severity, test, VERSION_INDEPENDENT_TAG } from '../../fixtures/index.js';

const TAGS = ['@discovery', VERSION_INDEPENDENT_TAG];

test.describe('OpenID configuration', () => {
  test(
    "is served as JSON at the API version's discovery path (/v*/connect/.well-known/openid-configuration) without authentication",
    { tag: TAGS, annotation: [requirement('BB2-DISCOVERY-OIDC-01'), severity('critical')] },
    async ({ request, target }) => {
      const response = await getJson(request, target.endpoints.openidConfiguration);
      expect(response.status).toBe(200);
      expect(response.contentType).toMatch(/^application\/json\b/);
      expect(response.json).toEqual(expect.any(Object));
    },
  );

  test(
    "names the target as issuer and BB2's v2 OAuth endpoints, absolute under it",
    { tag: TAGS, annotation: [requirement('BB2-DISCOVERY-OIDC-02'), severity('critical')] },
    async ({ request, target }) => {
      const body = (await getJson(request, target.endpoints.openidConfiguration)).json as Record<string, unknown>;
      const base = target.baseUrl;
      expect(body.issuer).toBe(base);
      expect(body.authorization_endpoint).toBe(`${base}/v2/o/authorize`);
      expect(body.revocation_endpoint).toBe(`${base}/v2/o/revoke_token`);
      // `/v2/o/token` since 2025-09, `/v2/o/token/` before; both are served (BB2-DISCOVERY-OIDC-02).
      expect(String(body.token_endpoint).replace(/\/$/, '')).toBe(`${base}/v2/o/token`);
      expect(body.userinfo_endpoint).toBe(`${base}/v2/connect/userinfo`);
      expect(body.fhir_metadata_uri).toBe(`${base}/v2/fhir/metadata`);
    },
  );

  test(
    'fhir_metadata_uri answers a FHIR R4 CapabilityStatement without a token',
    { tag: TAGS, annotation: [requirement('BB2-DISCOVERY-OIDC-06'), severity('critical')] },
    async ({ request, target }) => {
      const uri = ((await getJson(request, target.endpoints.openidConfiguration)).json as Record<string, unknown>).fhir_metadata_uri;
      expect(typeof uri, 'fhir_metadata_uri is a URL').toBe('string');
      // Fetched, not only compared as text: the advertised document must exist where it is advertised.
      const metadata = await getJson(request, uri as string);
      expect(metadata.status, `GET ${String(uri)}: ${metadata.bodyText.slice(0, 200)}`).toBe(200);
      expect(metadata.contentType).toMatch(/^application\/(fhir\+)?json\b/);
      expect(metadata.json).toMatchObject({ resourceType: 'CapabilityStatement' });
      // The v2 metadata: FHIR R4 (BFD declares 4.0.1; BB2's own fixture shows 4.0.0).
      expect((metadata.json as { fhirVersion?: unknown }).fhirVersion).toMatch(/^4\.0\.\d+$/);
    },
  );

  test(
    'advertises the authorization-code and refresh grants, code and token response types, en-US, and its documentation',
    { tag: TAGS, annotation: [requirement('BB2-DISCOVERY-OIDC-03'), severity('normal')] },
    async ({ request, target }) => {
      const body = (await getJson(request, target.endpoints.openidConfiguration)).json as Record<string, unknown>;
      expect(new Set(body.grant_types_supported as string[])).toEqual(new Set(['refresh_token', 'authorization_code']));
      expect(new Set(body.response_types_supported as string[])).toEqual(new Set(['code', 'token']));
      expect(body.ui_locales_supported).toEqual(['en-US']);
      expect(body.service_documentation).toBe('https://bluebutton.cms.gov/developers');
      expect(body.op_tos_uri).toBe('https://bluebutton.cms.gov/terms');
    },
  );

  test(
    'has exactly the fields BB2 builds: no jwks_uri and no id_token support',
    { tag: TAGS, annotation: [requirement('BB2-DISCOVERY-OIDC-04'), severity('normal')] },
    async ({ request, target }) => {
      const body = (await getJson(request, target.endpoints.openidConfiguration)).json as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(
        [
          'issuer',
          'authorization_endpoint',
          'revocation_endpoint',
          'token_endpoint',
          'userinfo_endpoint',
          'ui_locales_supported',
          'service_documentation',
          'op_tos_uri',
          'grant_types_supported',
          'response_types_supported',
          'fhir_metadata_uri',
        ].sort(),
      );
      expect(body.response_types_supported).not.toContain('id_token');
    },
  );

  test(
    'is the same document at every v1 and v2 discovery path',
    { tag: TAGS, annotation: [requirement('BB2-DISCOVERY-OIDC-05'), severity('normal')] },
    async ({ request, target }) => {
      const variants = openidConfigurationVariants(target.baseUrl);
      const responses = await Promise.all(variants.map((url) => getJson(request, url)));
      for (const [index, response] of responses.entries()) {
        expect(response.status, `GET ${variants[index]}`).toBe(200);
      }
      const [first, ...others] = responses;
      for (const [index, other] of others.entries()) {
        expect(other.json, `${variants[index + 1]} equals ${variants[0]}`).toEqual(first?.json);
      }
    },
  );
});

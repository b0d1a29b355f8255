/**
 * The CapabilityStatement of the API version under test, `GET /v1/fhir/metadata` or `/v2/fhir/metadata`
 * (BB2-DISCOVERY-METADATA-01..07): served without a token, valid FHIR of the version's release (STU3,
 * R4) declaring that release, trimmed by BB2 to Patient, Coverage and ExplanationOfBenefit with read and
 * search-type, JSON formats, and a security block whose SMART oauth-uris agree with discovery
 * (BB2-DISCOVERY-OIDC-02), in both versions.
 */
import { expect, getJson, requirement, requirementsPerVersion, severity, test, type HttpResult } from '../../fixtures/index.js';

const TAGS = ['@discovery'];
const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
const SECURITY_SERVICE_SYSTEM = 'http://hl7.org/fhir/restful-security-service';

interface Extension {
  url?: string;
  valueUri?: string;
  extension?: Extension[];
}
interface CapabilityStatement {
  fhirVersion?: string;
  format?: string[];
  rest?: Array<{
    resource?: Array<{ type?: string; interaction?: Array<{ code?: string }> }>;
    security?: { cors?: boolean; service?: Array<{ coding?: Array<{ system?: string; code?: string }> }>; extension?: Extension[] };
  }>;
}

test.describe('CapabilityStatement (/fhir/metadata of the API version)', () => {
  let metadata: HttpResult;

  test.beforeEach(async ({ request, target }) => {
    // No Authorization header: metadata is public (BB2-DISCOVERY-METADATA-01).
    metadata = await getJson(request, target.endpoints.metadata);
  });

  test(
    'is served without a token as JSON',
    { tag: TAGS, annotation: [requirement('BB2-DISCOVERY-METADATA-01'), severity('critical')] },
    async () => {
      expect(metadata.status).toBe(200);
      expect(metadata.contentType).toMatch(/^application\/(fhir\+)?json\b/);
    },
  );

  test(
    "is a valid CapabilityStatement of the version's FHIR release (v1 STU3, v2 R4)",
    { tag: TAGS, annotation: [...requirementsPerVersion('validResource'), severity('critical')] },
    async ({ api }) => {
      expect(metadata.json).toBeValidFhir(api, 'CapabilityStatement');
    },
  );

  test(
    "declares the version's FHIR release: 3.0.x for v1, 4.0.x for v2",
    { tag: TAGS, annotation: [...requirementsPerVersion('metadataFhirVersion'), severity('critical')] },
    async ({ api }) => {
      expect((metadata.json as CapabilityStatement).fhirVersion, `fhirVersion of the ${api.name} CapabilityStatement (FHIR ${api.releaseLabel})`).toMatch(api.fhirVersion);
    },
  );

  test(
    'offers exactly Patient, Coverage and ExplanationOfBenefit, each with read and search-type',
    { tag: TAGS, annotation: [requirement('BB2-DISCOVERY-METADATA-03'), severity('critical')] },
    async () => {
      const resources = (metadata.json as CapabilityStatement).rest?.[0]?.resource ?? [];
      expect(new Set(resources.map((resource) => resource.type))).toEqual(new Set(['Patient', 'Coverage', 'ExplanationOfBenefit']));
      for (const resource of resources) {
        const interactions = new Set((resource.interaction ?? []).map((interaction) => interaction.code));
        expect(interactions, `${resource.type} interactions`).toEqual(new Set(['read', 'search-type']));
      }
    },
  );

  test(
    'lists the JSON formats application/json and application/fhir+json',
    { tag: TAGS, annotation: [requirement('BB2-DISCOVERY-METADATA-04'), severity('normal')] },
    async () => {
      expect(new Set((metadata.json as CapabilityStatement).format)).toEqual(new Set(['application/json', 'application/fhir+json']));
    },
  );

  test(
    'declares CORS and the OAuth and SMART-on-FHIR security services',
    { tag: [...TAGS, '@security'], annotation: [requirement('BB2-DISCOVERY-METADATA-05'), severity('normal')] },
    async () => {
      const security = (metadata.json as CapabilityStatement).rest?.[0]?.security;
      expect(security?.cors).toBe(true);
      const services = (security?.service ?? []).flatMap((service) => service.coding ?? []);
      expect(services).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ system: SECURITY_SERVICE_SYSTEM, code: 'OAuth' }),
          expect.objectContaining({ system: SECURITY_SERVICE_SYSTEM, code: 'SMART-on-FHIR' }),
        ]),
      );
    },
  );

  test(
    "carries SMART oauth-uris whose token, authorize and revoke URIs are the OpenID configuration's endpoints",
    { tag: [...TAGS, '@security'], annotation: [requirement('BB2-DISCOVERY-METADATA-06'), severity('critical')] },
    async ({ request, target }) => {
      const security = (metadata.json as CapabilityStatement).rest?.[0]?.security;
      const oauthUris = (security?.extension ?? []).find((extension) => extension.url === OAUTH_URIS);
      expect(oauthUris, `extension ${OAUTH_URIS}`).toBeDefined();
      const uri = (name: string) => oauthUris?.extension?.find((extension) => extension.url === name)?.valueUri;

      const openid = (await getJson(request, target.endpoints.openidConfiguration)).json as Record<string, unknown>;
      // Compared without a trailing slash: BB2 serves `/o/token` and `/o/token/` alike (BB2-DISCOVERY-OIDC-02, since 2025-09).
      const bare = (value: unknown) => (typeof value === 'string' ? value.replace(/\/$/, '') : value);
      expect(bare(uri('token')), 'oauth-uris token').toBe(bare(openid.token_endpoint));
      expect(bare(uri('authorize')), 'oauth-uris authorize').toBe(bare(openid.authorization_endpoint));
      expect(bare(uri('revoke')), 'oauth-uris revoke').toBe(bare(openid.revocation_endpoint));
      for (const name of ['token', 'authorize', 'revoke']) {
        expect(uri(name)?.startsWith(`${target.baseUrl}/`), `oauth-uris ${name} (${uri(name)}) is under ${target.baseUrl}`).toBe(true);
      }
    },
  );
});

/**
 * BB2's endpoint paths (BB2-DISCOVERY-OIDC-05, BB2-DISCOVERY-SMART-01, BB2-FHIR-PATH-01) for one API version, absolute under a
 * target's base URL. Paths keep BB2's trailing slashes where the route has one: without it Django
 * answers with a redirect, which a client must not rely on.
 */
import type { ApiVersion } from '../api-version.js';

export type { ApiVersion } from '../api-version.js';

export interface Bb2Endpoints {
  readonly baseUrl: string;
  readonly version: ApiVersion;
  readonly authorize: string;
  readonly token: string;
  /** RFC 7009 revocation (DOT), advertised as `revocation_endpoint`. */
  readonly revokeToken: string;
  /** BB2's own revoke: deletes the app/beneficiary grant, so every token of the pair dies (BB2-OAUTH-REVOKE-02). */
  readonly revoke: string;
  readonly introspect: string;
  readonly userinfo: string;
  /** The version's OIDC discovery path; v1 serves the same body as v2 (BB2-DISCOVERY-OIDC-05). */
  readonly openidConfiguration: string;
  readonly smartConfiguration: string;
  /** FHIR base without a trailing slash: `${fhirBase}/Patient`. */
  readonly fhirBase: string;
  readonly metadata: string;
}

export function bb2Endpoints(baseUrl: string, version: ApiVersion): Bb2Endpoints {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    baseUrl: base,
    version,
    authorize: `${base}/${version}/o/authorize/`,
    token: `${base}/${version}/o/token/`,
    revokeToken: `${base}/${version}/o/revoke_token/`,
    revoke: `${base}/${version}/o/revoke/`,
    introspect: `${base}/${version}/o/introspect/`,
    userinfo: `${base}/${version}/connect/userinfo`,
    openidConfiguration: `${base}/${version}/connect/.well-known/openid-configuration`,
    smartConfiguration: `${base}/${version}/fhir/.well-known/smart-configuration`,
    fhirBase: `${base}/${version}/fhir`,
    metadata: `${base}/${version}/fhir/metadata`,
  };
}

/** Every path at which BB2 serves the OpenID configuration; all carry the same (v2) body (BB2-DISCOVERY-OIDC-05). */
export function openidConfigurationVariants(baseUrl: string): readonly string[] {
  const base = baseUrl.replace(/\/+$/, '');
  return [
    `${base}/.well-known/openid-configuration`,
    `${base}/.well-known/openid-configuration-v2`,
    `${base}/v1/connect/.well-known/openid-configuration`,
    `${base}/v2/connect/.well-known/openid-configuration`,
  ];
}

/**
 * BB2's discovery documents (BB2-DISCOVERY-OIDC-*, BB2-DISCOVERY-SMART-*): its own OpenID configuration (every v1 path
 * serves the v2 body) and SMART configuration, with `{H}` the sandbox's base URL.
 */
export function openidConfiguration(baseUrl: string): Record<string, unknown> {
  return {
    issuer: baseUrl,
    authorization_endpoint: `${baseUrl}/v2/o/authorize`,
    revocation_endpoint: `${baseUrl}/v2/o/revoke_token`,
    token_endpoint: `${baseUrl}/v2/o/token`,
    userinfo_endpoint: `${baseUrl}/v2/connect/userinfo`,
    ui_locales_supported: ['en-US'],
    service_documentation: 'https://bluebutton.cms.gov/developers',
    op_tos_uri: 'https://bluebutton.cms.gov/terms',
    grant_types_supported: ['refresh_token', 'authorization_code'],
    response_types_supported: ['code', 'token'],
    fhir_metadata_uri: `${baseUrl}/v2/fhir/metadata`,
  };
}

/** The SMART scopes BB2 advertises: the default capabilities minus the `.r`/`.s` halves. */
const SMART_SCOPES = [
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

export function smartConfiguration(baseUrl: string): Record<string, unknown> {
  return {
    authorization_endpoint: `${baseUrl}/v2/o/authorize`,
    revocation_endpoint: `${baseUrl}/v2/o/revoke_token`,
    token_endpoint: `${baseUrl}/v2/o/token`,
    grant_types_supported: ['authorization_code'],
    response_types_supported: ['code', 'token'],
    scopes_supported: SMART_SCOPES,
    code_challenge_methods_supported: ['S256'],
    capabilities: [
      'client-confidential-symmetric',
      'context-standalone-patient',
      'launch-standalone',
      'permission-offline',
      'permission-patient',
      'permission-v1',
      'permission-v2',
      'authorize-post',
    ],
  };
}

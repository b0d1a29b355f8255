/**
 * The self-test's fault modes: each one is a realistic way a BB2 implementation could go wrong,
 * expressed as exactly one behaviour seam replaced (sandbox/src/behaviour.ts). `npm run selftest`
 * starts the embedded sandbox with each fault in turn (sandbox/src/faults/serve.ts) and expects the
 * conformance suite to fail in the fault's area; a fault the suite cannot see at all carries an
 * `undetectable` reason instead and is left out of the detection rate.
 *
 * Every variant is deterministic: the same fault gives the same responses on every run.
 */
import type { BehaviourOverrides } from '../behaviour.js';
import { defaultFhirBehaviour, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../fhir/behaviour.js';
import { parsePythonInt } from '../fhir/search.js';
import { isFailure, type BundleLink } from '../fhir/types.js';
import { defaultOAuthBehaviour, type ParamLookup } from '../oauth/behaviour.js';
import { htmlReply, jsonReply, type Reply } from '../oauth/http.js';
import { AVAILABLE_SCOPES } from '../oauth/scopes.js';
import type { AccessGrant } from '../oauth/types.js';
import { addMonthsUtc } from '../screens/dates.js';
import { corruptServedResources, forEachRecord, isEobOfType, isRecord, isResourceType, recordsIn } from './corrupt.js';

export const FAULT_AREAS = ['oauth', 'access', 'resources', 'paging', 'http'] as const;
export type FaultArea = (typeof FAULT_AREAS)[number];

export interface FaultMode {
  /** kebab-case, unique. */
  readonly id: string;
  readonly area: FaultArea;
  /** What a real server would do wrong, one sentence. */
  readonly description: string;
  /** The rule it breaks: a bb2-sandbox-facts.md section, an RFC section, a FHIR rule. */
  readonly requirement: string;
  /** Exactly one seam. */
  readonly overrides: BehaviourOverrides;
  /** Why the suite cannot observe this fault; such faults are reported apart from the detection rate. */
  readonly undetectable?: string;
}

/**
 * The Playwright tags whose failure counts as catching a fault of each area (tags as the JSON reporter
 * writes them, without "@"); `any` means a failure of any test counts.
 */
export const AREA_TAGS: Readonly<Record<FaultArea, readonly string[] | 'any'>> = {
  oauth: ['oauth'],
  access: ['security', 'fhir', 'oauth'],
  resources: ['fhir', 'testclient', 'discovery'],
  paging: ['fhir'],
  http: 'any',
};

// ---------------------------------------------------------------------------------------------
// OAuth variants

const defaultOAuth = defaultOAuthBehaviour;

function badRequest(message: string): Reply {
  return jsonReply(400, { status_code: 400, message });
}

/** BB2's /authorize checks (§1.4 step 5) with some of them left out. */
function pkceAndStateCheck(options: { checkChallenge: boolean; checkMethodValue: boolean; checkState: boolean; minStateLength: number }) {
  return (params: ParamLookup): Reply | undefined => {
    const method = params.get('code_challenge_method');
    if (options.checkMethodValue && method && method !== 'S256') {
      return jsonReply(400, { status_code: 400, error: 'invalid_request', error_description: 'code_challenge_method must be S256' });
    }
    const missing: string[] = [];
    if (options.checkChallenge && !params.get('code_challenge')) missing.push('code_challenge');
    if (options.checkChallenge && !method) missing.push('code_challenge_method');
    const state = params.get('state');
    if (options.checkState && !state) missing.push('state');
    else if (options.checkState && state !== undefined && state.length < options.minStateLength) {
      return badRequest(`State parameter should have a minimum of ${options.minStateLength} characters`);
    }
    return missing.length > 0 ? badRequest(`Missing Required Parameter(s): ${missing.join(', ')}`) : undefined;
  };
}

const ALL_CHECKS = { checkChallenge: true, checkMethodValue: true, checkState: true, minStateLength: 16 };

/** The text of a JSON error reply, for the HTML page a misconfigured error handler renders instead. */
function messageOf(reply: Reply): string {
  try {
    const body = JSON.parse(reply.body) as unknown;
    if (isRecord(body)) return String(body.message ?? body.error_description ?? body.error ?? reply.body);
  } catch {
    // not JSON: shown as it is
  }
  return reply.body;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

// ---------------------------------------------------------------------------------------------
// FHIR variants

const defaultFhir = defaultFhirBehaviour;

/**
 * BB2's DEFAULT_SAMPLE_FHIR_ID (`env_django_default_sample_fhir_id`, §0): the sandbox's sample
 * beneficiary, here BBUser28324. A server that "helpfully" falls back to it serves data to anyone.
 */
const SAMPLE_PATIENT_ID = '-20140000008325';
const SAMPLE_GRANT: AccessGrant = {
  clientId: 'anonymous',
  patientId: SAMPLE_PATIENT_ID,
  username: 'BBUser28324',
  scopes: new Set(AVAILABLE_SCOPES),
  expiresAt: Number.MAX_SAFE_INTEGER,
  tokenKey: 'anonymous',
};

function replaceNextLink(links: BundleLink[], url: (next: BundleLink, all: readonly BundleLink[]) => string): BundleLink[] {
  return links.map((link) => (link.relation === 'next' ? { ...link, url: url(link, links) } : link));
}

function withStartIndex(url: string, change: (startIndex: number) => number): string {
  const parsed = new URL(url);
  parsed.searchParams.set('startIndex', String(change(Number(parsed.searchParams.get('startIndex') ?? '0'))));
  return parsed.href;
}

/** "1955-12-14" → "12/14/1955", as a US-locale date formatter writes it. */
function usDate(value: unknown): unknown {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  return match ? `${match[2]}/${match[3]}/${match[1]}` : value;
}

const RIF_SEX_CODES: Readonly<Record<string, string>> = { male: 'M', female: 'F', unknown: 'U', other: 'U' };

/** "2023-02-15" → "2023-02-14"; anything else unchanged. */
function dayBefore(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// The catalog

export const FAULT_MODES: readonly FaultMode[] = [
  // --- OAuth -----------------------------------------------------------------------------------
  {
    id: 'pkce-challenge-not-required',
    area: 'oauth',
    description: '/authorize accepts a request without code_challenge and code_challenge_method and sends the browser on to the login.',
    requirement: 'BB2 §1.4 step 5 (PKCE required since 2025-12); RFC 7636 §4.4.1',
    overrides: { oauth: { requirePkceAndState: pkceAndStateCheck({ ...ALL_CHECKS, checkChallenge: false }) } },
  },
  {
    id: 'pkce-plain-method-accepted',
    area: 'oauth',
    description: '/authorize lets code_challenge_method=plain through instead of refusing every method but S256.',
    requirement: 'BB2 §1.4 step 5 ("code_challenge_method must be S256", since 2026-06); RFC 7636 §4.2',
    overrides: { oauth: { requirePkceAndState: pkceAndStateCheck({ ...ALL_CHECKS, checkMethodValue: false }) } },
  },
  {
    id: 'pkce-verifier-not-checked',
    area: 'oauth',
    description: 'The token endpoint exchanges a code whatever code_verifier comes with it, as long as there is one.',
    requirement: 'RFC 7636 §4.6 (invalid_grant when the values differ); BB2 §1.7',
    overrides: { oauth: { verifyCodeVerifier: false } },
  },
  {
    id: 'state-not-required',
    area: 'oauth',
    description: '/authorize accepts a request without state.',
    requirement: 'BB2 §1.4 step 5 (state required, at least 16 characters); RFC 6749 §10.12',
    overrides: { oauth: { requirePkceAndState: pkceAndStateCheck({ ...ALL_CHECKS, checkState: false }) } },
  },
  {
    id: 'state-min-length-8',
    area: 'oauth',
    description: '/authorize enforces a minimum state length of 8 characters instead of 16.',
    requirement: 'BB2 §1.4 step 5 ("State parameter should have a minimum of 16 characters")',
    overrides: { oauth: { requirePkceAndState: pkceAndStateCheck({ ...ALL_CHECKS, minStateLength: 8 }) } },
  },
  {
    id: 'state-not-returned',
    area: 'oauth',
    description: 'The redirect after consent carries the code but drops the client\'s state.',
    requirement: 'RFC 6749 §4.1.2 (state REQUIRED in the response if it was in the request); BB2 §1.5',
    overrides: { oauth: { returnStateOnRedirect: false } },
  },
  {
    id: 'code-reusable',
    area: 'oauth',
    description: 'An authorization code can be exchanged for tokens more than once.',
    requirement: 'RFC 6749 §4.1.2 (the client MUST NOT use the code more than once; the server MUST deny it); BB2 §1.7',
    overrides: { oauth: { codeIsSingleUse: false } },
  },
  {
    id: 'token-redirect-uri-not-checked',
    area: 'oauth',
    description: 'The token endpoint ignores a redirect_uri that differs from the one of the authorization request.',
    requirement: 'RFC 6749 §4.1.3 (redirect_uri must be identical); BB2 §1.7 ("Mismatching redirect URI.")',
    overrides: { oauth: { tokenRedirectUriMustMatch: false } },
  },
  {
    id: 'authorize-redirect-uri-not-checked',
    area: 'oauth',
    description: 'The authorization endpoint sends the code to any redirect_uri, registered or not (an open redirector that leaks codes).',
    requirement: 'RFC 6749 §3.1.2.4 (MUST NOT redirect to an invalid redirection URI), §10.6; BB2 §1.4 ("Mismatching redirect URI.")',
    overrides: { oauth: { redirectUriIsRegistered: () => true } },
  },
  {
    id: 'client-secret-not-checked',
    area: 'oauth',
    description: 'The token endpoint issues tokens to a confidential client whatever secret it presents, or none.',
    requirement: 'RFC 6749 §2.3.1, §3.2.1 (confidential clients MUST authenticate), §5.2 (invalid_client); BB2 §1.7',
    overrides: { oauth: { verifyClientSecretAtToken: false } },
  },
  {
    id: 'client-secret-in-authorize-url-accepted',
    area: 'oauth',
    description: '/authorize tolerates a client_secret in the query string instead of refusing the request.',
    requirement: 'BB2 §1.4 step 4 (400 "Illegal query parameter [client_secret] detected"); RFC 6749 §2.3.1',
    overrides: { oauth: { rejectIllegalQueryParameters: () => undefined } },
  },
  {
    id: 'authorize-post-state-not-required',
    area: 'oauth',
    description: 'POST /authorize/ goes on to the login without a state in its body.',
    requirement: 'BB2 §1.4 step 6 (401 "State required in POST body.")',
    overrides: { oauth: { requirePostState: () => undefined } },
  },
  {
    id: 'refresh-token-not-rotated',
    area: 'oauth',
    description: 'A refresh returns a new access token but keeps the old refresh token alive instead of issuing a new one.',
    requirement: 'BB2 §1.7 (refresh tokens rotate: "A refresh token can only be used one time"); RFC 6749 §6',
    overrides: { oauth: { rotateRefreshToken: false } },
  },
  {
    id: 'rotated-access-token-still-valid',
    area: 'oauth',
    description: 'After a refresh, the access token issued with the retired refresh token still reads FHIR data.',
    requirement: 'BB2 §1.7 (the access token linked to the old refresh token is revoked too)',
    overrides: { oauth: { revokeAccessTokenWithRotatedRefreshToken: false } },
  },
  {
    id: 'refresh-grant-check-skipped',
    area: 'oauth',
    description: 'A refresh does not look at the DataAccessGrant, so a revoked or expired grant gives a generic error instead of BB2\'s 403/401.',
    requirement: 'BB2 §1.7 (403 "User access cannot be found…", 401 "User access has timed out…")',
    overrides: { oauth: { checkDataAccessGrantOnRefresh: () => undefined } },
  },
  {
    id: 'earlier-tokens-survive-consent',
    area: 'oauth',
    description: 'A new consent leaves the earlier access and refresh tokens of the same app and beneficiary usable.',
    requirement: 'BB2 §1.5 (a successful consent deletes all earlier tokens of the app/bene pair)',
    overrides: { oauth: { revokeEarlierTokensOnConsent: false } },
  },
  {
    // Area access: the resource server's check (RFC 6750), which the suite tests on FHIR (@fhir @security).
    id: 'expired-access-token-accepted',
    area: 'access',
    description: 'The FHIR API and userinfo honour an access token after its expiry time.',
    requirement: 'BB2 §4.6 (expired token → 401 "The access token has expired."); RFC 6750 §3.1',
    overrides: { oauth: { isAccessTokenUsable: () => true } },
  },
  {
    id: 'token-response-missing-patient',
    area: 'oauth',
    description: 'The token response leaves out `patient`, the beneficiary\'s FHIR id.',
    requirement: 'BB2 §1.7 (patient in every token response, refresh included); SMART launch context',
    overrides: {
      oauth: {
        shapeTokenResponse: (fields) => {
          const { patient: _omitted, ...rest } = defaultOAuth.shapeTokenResponse(fields);
          return rest;
        },
      },
    },
  },
  {
    id: 'token-expires-in-string',
    area: 'oauth',
    description: 'The token response writes expires_in as a JSON string ("3600") instead of a number.',
    requirement: 'RFC 6749 §5.1 (expires_in: lifetime in seconds, a number); BB2 §1.7 (integer 3600)',
    overrides: {
      oauth: { shapeTokenResponse: (fields) => ({ ...defaultOAuth.shapeTokenResponse(fields), expires_in: String(fields.expiresIn) }) },
    },
  },
  {
    id: 'token-response-cacheable',
    area: 'oauth',
    description: 'The token response is sent without Cache-Control: no-store and Pragma: no-cache.',
    requirement: 'RFC 6749 §5.1 (MUST include Cache-Control: no-store); BB2 §1.7',
    overrides: { oauth: { tokenResponseHeaders: () => ({ 'Content-Type': 'application/json' }) } },
  },
  {
    id: 'grant-expiration-12-months',
    area: 'oauth',
    description: 'The DataAccessGrant of a THIRTEEN_MONTH application ends 12 months after consent.',
    requirement: 'BB2 §1.5/§1.7 (access_grant_expiration = consent + 13 months)',
    overrides: { oauth: { accessGrantExpiration: (consentedAt) => addMonthsUtc(consentedAt, 12) } },
  },

  // --- Access ----------------------------------------------------------------------------------
  {
    id: 'ownership-not-enforced',
    area: 'access',
    description: 'The FHIR API serves any beneficiary\'s Patient, Coverage and ExplanationOfBenefit to any valid token.',
    requirement: 'BB2 §4.6 (another beneficiary\'s resource → 404 "Not found.")',
    overrides: { fhir: { enforceOwnership: (ownerPatientId) => ownerPatientId !== undefined } },
  },
  {
    id: 'patient-search-other-id-not-refused',
    area: 'access',
    description: 'Patient?_id=<another beneficiary> is not refused with 404 but answered 200 (the _id check is skipped).',
    requirement: 'BB2 §4.3 (Patient search: _id ≠ own id → 404 before BFD), §4.6',
    overrides: { fhir: { readSearchQuery: (resourceType, query) => ({ ...defaultFhir.readSearchQuery(resourceType, query), patientId: undefined }) } },
  },
  {
    id: 'personal-info-not-withheld',
    area: 'access',
    description: 'Unticking "Personal Information" on the consent screen still grants the Patient and profile scopes.',
    requirement: 'BB2 §1.6 (share_demographic_scopes=False removes every demographic scope)',
    overrides: { oauth: { withheldScopes: () => [] } },
  },
  {
    id: 'patient-read-without-patient-scope',
    area: 'access',
    description: 'The FHIR API checks only that a token has some patient/* scope, so a token without Personal Information still reads Patient.',
    requirement: 'BB2 §1.6 (each scope grants its own resource paths), §4.6 (403 without the scope)',
    overrides: {
      fhir: {
        requireScope: (grant, request) =>
          request.method === 'GET' && [...grant.scopes].some((scope) => scope.startsWith('patient/')) ? undefined : defaultFhir.requireScope(grant, request),
      },
    },
  },
  {
    id: 'fhir-without-token-serves-sample',
    area: 'access',
    description: 'A FHIR request without Authorization header is answered with the sandbox\'s sample beneficiary instead of 401.',
    requirement: 'BB2 §4.6 (no token → 401 "Authentication credentials were not provided."); RFC 6750 §3.1',
    overrides: { fhir: { requireToken: (access) => (!access.ok && access.reason === 'missing' ? SAMPLE_GRANT : defaultFhir.requireToken(access)) } },
  },
  {
    id: 'userinfo-without-profile-scope',
    area: 'access',
    description: 'Userinfo answers tokens that lack the profile scope (e.g. Personal Information withheld).',
    requirement: 'BB2 §1.9 (no profile scope → 403), §1.6',
    overrides: { oauth: { canReadUserinfo: () => true } },
  },
  {
    id: 'access-token-in-query-accepted',
    area: 'access',
    description: 'The FHIR API tolerates access_token in the query string instead of refusing the request.',
    requirement: 'BB2 §4.3 (access_token in the query → 400); RFC 6750 §2.3',
    overrides: { fhir: { rejectTokenInQuery: () => undefined } },
  },

  // --- Resources -------------------------------------------------------------------------------
  {
    id: 'eob-carrier-patient-missing',
    area: 'resources',
    description: 'Carrier ExplanationOfBenefit resources are served without `patient`.',
    requirement: 'BB2 §4.7 (EOB.patient.reference = Patient/{id}, what BB2 checks ownership with)',
    overrides: { fhir: { serveResource: corruptServedResources(isEobOfType('carrier'), (eob) => delete eob.patient) } },
  },
  {
    id: 'eob-careteam-provider-missing',
    area: 'resources',
    description: 'Carrier ExplanationOfBenefit careTeam entries lose their mandatory `provider` (an NPI lookup that failed silently).',
    requirement: 'FHIR STU3 ExplanationOfBenefit.careTeam.provider 1..1',
    overrides: {
      fhir: { serveResource: corruptServedResources(isEobOfType('carrier'), (eob) => recordsIn(eob.careTeam).forEach((member) => delete member.provider)) },
    },
  },
  {
    id: 'eob-money-as-string',
    area: 'resources',
    description: 'Carrier ExplanationOfBenefit amounts are written as JSON strings ("354.83") instead of numbers.',
    requirement: 'FHIR STU3 JSON: decimal is a JSON number (Money.value)',
    overrides: {
      fhir: {
        serveResource: corruptServedResources(isEobOfType('carrier'), (eob) =>
          forEachRecord(eob, (record) => {
            if (typeof record.value === 'number' && typeof record.code === 'string' && record.system === 'urn:iso:std:iso:4217') {
              record.value = record.value.toFixed(2);
            }
          }),
        ),
      },
    },
  },
  {
    id: 'patient-birthdate-us-format',
    area: 'resources',
    description: 'Patient.birthDate is written in US format (12/14/1955) instead of a FHIR date.',
    requirement: 'FHIR STU3 date (YYYY, YYYY-MM or YYYY-MM-DD)',
    overrides: { fhir: { serveResource: corruptServedResources(isResourceType('Patient'), (patient) => (patient.birthDate = usDate(patient.birthDate))) } },
  },
  {
    id: 'coverage-resource-type-lowercase',
    area: 'resources',
    description: 'Coverage resources are served with resourceType "coverage".',
    requirement: 'FHIR STU3 JSON (resourceType is the exact type name); BB2 §4.4 (Coverage search returns Coverage)',
    overrides: { fhir: { serveResource: corruptServedResources(isResourceType('Coverage'), (coverage) => (coverage.resourceType = 'coverage')) } },
  },
  {
    id: 'eob-r4-element',
    area: 'resources',
    description: 'Carrier ExplanationOfBenefit resources carry R4\'s `use: "claim"`, an element STU3 does not define (the v2 mapper leaking into v1).',
    requirement: 'FHIR STU3 ExplanationOfBenefit (no `use`); BB2 §4.1 (v1 is STU3 3.0.2)',
    overrides: { fhir: { serveResource: corruptServedResources(isEobOfType('carrier'), (eob) => (eob.use = 'claim')) } },
  },
  {
    id: 'patient-gender-rif-code',
    area: 'resources',
    description: 'Patient.gender carries the raw CCW sex code ("F", "M") instead of an AdministrativeGender code.',
    requirement: 'FHIR STU3 Patient.gender (required binding: male | female | other | unknown)',
    overrides: {
      fhir: {
        serveResource: corruptServedResources(isResourceType('Patient'), (patient) => {
          if (typeof patient.gender === 'string') patient.gender = RIF_SEX_CODES[patient.gender] ?? patient.gender;
        }),
      },
    },
  },
  {
    id: 'coverage-beneficiary-unsigned',
    area: 'resources',
    description: 'Coverage.beneficiary.reference drops the minus sign of the synthetic bene id, so it points at no beneficiary.',
    requirement: 'BB2 §4.7 (Coverage.beneficiary.reference = Patient/{id}), §3 (synthetic ids are negative)',
    overrides: {
      fhir: {
        serveResource: corruptServedResources(isResourceType('Coverage'), (coverage) => {
          const beneficiary = coverage.beneficiary;
          if (isRecord(beneficiary) && typeof beneficiary.reference === 'string') beneficiary.reference = beneficiary.reference.replace('Patient/-', 'Patient/');
        }),
      },
    },
  },
  {
    id: 'eob-id-underscore',
    area: 'resources',
    description: 'ExplanationOfBenefit ids are built with an underscore ("carrier_-4000002083"), which no FHIR id may contain.',
    requirement: 'FHIR STU3 id ([A-Za-z0-9\\-\\.]{1,64}); BB2 §3 (EOB id = claim type + "-" + claim id)',
    overrides: { fhir: { serveResource: corruptServedResources(isResourceType('ExplanationOfBenefit'), (eob) => (eob.id = String(eob.id).replace('-', '_'))) } },
  },
  {
    id: 'patient-bene-id-system-changed',
    area: 'resources',
    description: 'Patient.identifier uses https://bluebutton.cms.gov/resources/identifier/bene_id instead of BB2\'s …/variables/bene_id system.',
    requirement: 'BB2 §3 (v1 Patient.identifier systems)',
    overrides: {
      fhir: {
        serveResource: corruptServedResources(isResourceType('Patient'), (patient) =>
          recordsIn(patient.identifier).forEach((identifier) => {
            if (identifier.system === 'https://bluebutton.cms.gov/resources/variables/bene_id') {
              identifier.system = 'https://bluebutton.cms.gov/resources/identifier/bene_id';
            }
          }),
        ),
      },
    },
  },
  {
    id: 'metadata-fhir-version-r4',
    area: 'resources',
    description: 'The v1 CapabilityStatement declares fhirVersion 4.0.1 (the v2 statement served at /v1).',
    requirement: 'BB2 §4.1/§4.2 (v1 is STU3, fhirVersion 3.0.2)',
    overrides: { fhir: { capabilityStatement: (statement, baseUrl) => ({ ...defaultFhir.capabilityStatement(statement, baseUrl), fhirVersion: '4.0.1' }) } },
  },

  // FHIR rules beyond the schema's shape: invariants, JSON representation, required bindings.
  {
    id: 'eob-billable-period-reversed',
    area: 'resources',
    description: 'Carrier ExplanationOfBenefit billablePeriod ends the day before it starts (start and end computed from different claim dates).',
    requirement: 'FHIR-STU3-per-1',
    overrides: {
      fhir: {
        serveResource: corruptServedResources(isEobOfType('carrier'), (eob) => {
          const period = eob.billablePeriod;
          if (isRecord(period) && typeof period.start === 'string') period.end = dayBefore(period.start);
        }),
      },
    },
  },
  {
    id: 'eob-extension-value-and-extensions',
    area: 'resources',
    description: 'The first extension of carrier ExplanationOfBenefits carries both its value and a nested extension (a mapper that adds detail to a simple extension).',
    requirement: 'FHIR-STU3-ext-1',
    overrides: {
      fhir: {
        serveResource: corruptServedResources(isEobOfType('carrier'), (eob) => {
          const [first] = recordsIn(eob.extension);
          if (first) first.extension = [{ url: 'https://bluebutton.cms.gov/resources/variables/prpayamt', valueString: 'primary payer paid amount' }];
        }),
      },
    },
  },
  {
    id: 'eob-money-currency-dropped',
    area: 'resources',
    description: 'Carrier ExplanationOfBenefit line adjudication amounts lose their currency code (value and system only).',
    requirement: 'FHIR-STU3-mny-1',
    overrides: {
      fhir: {
        serveResource: corruptServedResources(isEobOfType('carrier'), (eob) =>
          recordsIn(eob.item).forEach((item) =>
            recordsIn(item.adjudication).forEach((adjudication) => {
              if (isRecord(adjudication.amount)) delete adjudication.amount.code;
            }),
          ),
        ),
      },
    },
  },
  {
    id: 'eob-referral-dropped',
    area: 'resources',
    description: 'Carrier ExplanationOfBenefits keep their contained ReferralRequest but lose the `referral` that refers to it.',
    requirement: 'FHIR-STU3-dom-3',
    overrides: { fhir: { serveResource: corruptServedResources(isEobOfType('carrier'), (eob) => delete eob.referral) } },
  },
  {
    id: 'patient-family-empty-string',
    area: 'resources',
    description: 'Patient.name[].family is written as "" (an empty database column serialised instead of left out).',
    requirement: 'FHIR-STU3-JSON-no-empty-string',
    overrides: {
      fhir: { serveResource: corruptServedResources(isResourceType('Patient'), (patient) => recordsIn(patient.name).forEach((name) => (name.family = ''))) },
    },
  },
  {
    id: 'eob-diagnosis-null-entry',
    area: 'resources',
    description: 'Carrier ExplanationOfBenefit diagnosis lists end with a null (a serializer writing an empty slot).',
    requirement: 'FHIR-STU3-JSON-no-null',
    overrides: {
      fhir: {
        serveResource: corruptServedResources(isEobOfType('carrier'), (eob) => {
          if (Array.isArray(eob.diagnosis)) eob.diagnosis.push(null);
        }),
      },
    },
  },
  {
    id: 'coverage-status-entitlement-text',
    area: 'resources',
    description: 'Coverage.status carries the Medicare entitlement text "entitled" instead of a FinancialResourceStatusCodes code (active, cancelled, draft, entered-in-error).',
    requirement: 'FHIR-STU3-BINDING-Coverage.status',
    overrides: { fhir: { serveResource: corruptServedResources(isResourceType('Coverage'), (coverage) => (coverage.status = 'entitled')) } },
  },

  // --- Bundles and paging ----------------------------------------------------------------------
  {
    id: 'bundle-total-page-size',
    area: 'paging',
    description: 'Bundle.total counts the entries of the page instead of every match.',
    requirement: 'BB2 §4.4 (total = number of matching resources across all pages); FHIR STU3 Bundle.total',
    overrides: { fhir: { bundleTotal: (_matching, pageLength) => pageLength } },
  },
  {
    id: 'next-link-missing',
    area: 'paging',
    description: 'Search bundles have no `next` link even when more pages follow.',
    requirement: 'BB2 §4.4 (next when startIndex + _count < total); FHIR STU3 paging',
    overrides: { fhir: { pageLinks: (input) => defaultFhir.pageLinks(input).filter((link) => link.relation !== 'next') } },
  },
  {
    id: 'next-link-points-back',
    area: 'paging',
    description: 'The `next` link points at the previous page (the first page on page one), so a client following it never ends.',
    requirement: 'BB2 §4.4 (next = startIndex + _count); FHIR STU3 paging',
    overrides: {
      fhir: {
        pageLinks: (input) =>
          replaceNextLink(defaultFhir.pageLinks(input), (next, links) => (links.find((link) => link.relation === 'previous') ?? links.find((link) => link.relation === 'first') ?? next).url),
      },
    },
  },
  {
    id: 'next-link-overlaps',
    area: 'paging',
    description: 'The `next` link starts one entry early, so the last resource of each page appears again on the next one.',
    requirement: 'BB2 §4.4 (page = entry[startIndex : startIndex+_count], next = startIndex + _count)',
    overrides: { fhir: { pageLinks: (input) => replaceNextLink(defaultFhir.pageLinks(input), (next) => withStartIndex(next.url, (index) => index - 1)) } },
  },
  {
    id: 'start-index-ignored',
    area: 'paging',
    description: 'startIndex is dropped from searches, so every page is the first page.',
    requirement: 'BB2 §4.3 (startIndex kept), §4.4 (page = entry[startIndex : startIndex+_count])',
    overrides: { fhir: { startIndex: () => undefined } },
  },
  {
    id: 'count-ignored',
    area: 'paging',
    description: 'A valid _count is ignored: pages always hold 10 entries.',
    requirement: 'BB2 §4.3 (_count 0–50, default 10), §4.4',
    overrides: {
      fhir: {
        pageSize: (raw) => {
          const size = defaultFhir.pageSize(raw);
          return isFailure(size) ? size : DEFAULT_PAGE_SIZE;
        },
      },
    },
  },
  {
    id: 'count-above-max-accepted',
    area: 'paging',
    description: '_count above 50 is honoured instead of refused with 400 "value must be at most 50".',
    requirement: 'BB2 §4.3 (_count is an int from 0 to 50), §4.6',
    overrides: {
      fhir: {
        pageSize: (raw) => {
          const value = raw === undefined ? undefined : parsePythonInt(raw);
          return value !== undefined && value > MAX_PAGE_SIZE ? value : defaultFhir.pageSize(raw);
        },
      },
    },
  },
  {
    id: 'type-filter-ignored',
    area: 'paging',
    description: 'ExplanationOfBenefit?type=… returns every claim type.',
    requirement: 'BB2 §4.3 (type: comma list of claim types)',
    overrides: { fhir: { filterByType: (eobs) => [...eobs] } },
  },
  {
    id: 'type-param-not-validated',
    area: 'paging',
    description: 'An invalid ExplanationOfBenefit `type` value is not refused with 400.',
    requirement: 'BB2 §4.3, §4.6 (400 "the type parameter value is not valid")',
    overrides: { fhir: { checkTypeParam: () => undefined } },
  },

  // --- HTTP ------------------------------------------------------------------------------------
  {
    id: 'fhir-content-type-html',
    area: 'http',
    description: 'FHIR responses are labelled text/html; charset=utf-8 (a framework default) instead of a JSON media type.',
    requirement: 'BB2 §4.5 (application/fhir+json or application/json); FHIR STU3 http (JSON format)',
    overrides: {
      fhir: {
        contentType: (accept, formatOverride) => {
          const negotiated = defaultFhir.contentType(accept, formatOverride);
          return negotiated.ok ? { ok: true, mediaType: 'text/html; charset=utf-8' } : negotiated;
        },
      },
    },
  },
  {
    id: 'coverage-part-d-server-error',
    area: 'http',
    description: 'The Coverage transformer crashes on Part D (a null contract id), so Coverage searches and part-d reads answer 500.',
    requirement: 'BB2 §4.4 (Coverage search returns part-a..part-d), §4.6 (valid requests succeed)',
    overrides: {
      fhir: {
        serveResource: corruptServedResources(
          (resource) => resource.resourceType === 'Coverage' && resource.id.startsWith('part-d-'),
          () => {
            throw new TypeError("Cannot read properties of null (reading 'contractId')");
          },
        ),
      },
    },
  },
  {
    id: 'authorize-errors-html',
    area: 'http',
    description: '/authorize answers its PKCE and state errors with an HTML error page instead of BB2\'s JSON body.',
    requirement: 'BB2 §1.4 step 5 (400 JSON {"status_code": 400, "message": …})',
    overrides: {
      oauth: {
        requirePkceAndState: (params) => {
          const reply = defaultOAuth.requirePkceAndState(params);
          return reply && htmlReply(reply.status, `<!DOCTYPE html><html><head><title>Bad Request</title></head><body><h1>Bad Request</h1><p>${escapeHtml(messageOf(reply))}</p></body></html>`);
        },
      },
    },
  },
  {
    id: 'malformed-id-not-found',
    area: 'http',
    description: 'A read with a malformed Coverage or ExplanationOfBenefit id answers 404 instead of BFD\'s 400.',
    requirement: 'BB2 §4.6 (BFD 4xx for a bad id pattern → 400 "An error occurred contacting the upstream server:…"), §3',
    overrides: { fhir: { checkResourceId: () => undefined } },
  },
];

const BY_ID: ReadonlyMap<string, FaultMode> = new Map(FAULT_MODES.map((mode) => [mode.id, mode]));

export const FAULT_IDS: readonly string[] = FAULT_MODES.map((mode) => mode.id);

export function findFaultMode(id: string): FaultMode | undefined {
  return BY_ID.get(id);
}

export class UnknownFaultError extends Error {
  override name = 'UnknownFaultError';
  constructor(readonly faultId: string) {
    super(`unknown fault mode "${faultId}". Valid fault modes: ${FAULT_IDS.join(', ')}`);
  }
}

/** The fault mode with this id, or an UnknownFaultError naming every valid id. */
export function faultModeOrThrow(id: string): FaultMode {
  const mode = BY_ID.get(id);
  if (!mode) throw new UnknownFaultError(id);
  return mode;
}

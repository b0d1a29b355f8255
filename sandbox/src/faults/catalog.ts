/**
 * The self-test's fault modes: each one is a realistic way a BB2 implementation could go wrong,
 * expressed as exactly one behaviour seam replaced (sandbox/src/behaviour.ts). `npm run selftest`
 * starts the embedded sandbox with each fault in turn (sandbox/src/faults/serve.ts) and expects a check
 * that cites one of the requirements the fault breaks (catalogue ids, requirements/*.json) to fail; a
 * fault the suite cannot see at all carries an `undetectable` reason instead and is left out of the
 * detection rate.
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
import { numberForPatientId } from '../data/users.js';
import { addMonthsUtc } from '../screens/dates.js';
import { identityHash } from '../data/identity-hash.js';
import { corruptServedResources, forEachRecord, inApiVersion, isEobOfType, isRecord, isResourceType, recordsIn, type ResourceSelector } from './corrupt.js';

export const FAULT_AREAS = ['oauth', 'access', 'resources', 'paging', 'http'] as const;
export type FaultArea = (typeof FAULT_AREAS)[number];

interface FaultModeFields {
  /** kebab-case, unique. */
  readonly id: string;
  /** Which spec files the self-test runs for it (selftest/areas.ts). */
  readonly area: FaultArea;
  /** What a real server would do wrong, one sentence. */
  readonly description: string;
  /** Exactly one seam. */
  readonly overrides: BehaviourOverrides;
  /** Why the suite cannot observe this fault; such faults are reported apart from the detection rate. */
  readonly undetectable?: string;
}

/**
 * A fault mode names the catalogue requirements it breaks: `requirement: 'BB2-OAUTH-PKCE-01'` for one,
 * `requirements: ['BB2-OAUTH-PKCE-01', 'RFC7636-4.4.1']` for several. The self-test counts it as
 * caught only when a failed check cites one of them (selftest/judge.ts).
 */
export type FaultMode = FaultModeFields &
  ({ readonly requirement: string; readonly requirements?: never } | { readonly requirements: readonly [string, ...string[]]; readonly requirement?: never });

/** The requirement ids a fault mode breaks. */
export function faultRequirements(mode: FaultMode): readonly string[] {
  return mode.requirements ?? [mode.requirement];
}

// ---------------------------------------------------------------------------------------------
// OAuth variants

const defaultOAuth = defaultOAuthBehaviour;

function badRequest(message: string): Reply {
  return jsonReply(400, { status_code: 400, message });
}

/** BB2's /authorize checks (BB2-OAUTH-PKCE-01..02, BB2-OAUTH-STATE-01..02) with some of them left out. */
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
 * BB2's DEFAULT_SAMPLE_FHIR_ID (`env_django_default_sample_fhir_id` of BB2's deployment, the bene of BB2's own test fixtures): the sandbox's sample
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

/**
 * EOBs of one claim type whose beneficiary's user number ends in `lastDigit` (the owner read from
 * EOB.patient): a fault that breaks some users' data only, which the population sweep must pin down.
 */
function isEobOfTypeForUsersEndingIn(claimType: string, lastDigit: number): ResourceSelector {
  const ofType = isEobOfType(claimType);
  return (resource, version) => {
    if (!ofType(resource, version)) return false;
    const patient = (resource as { patient?: { reference?: unknown } }).patient?.reference;
    const number = typeof patient === 'string' ? numberForPatientId(patient.replace(/^Patient\//, '')) : undefined;
    return number !== undefined && number % 10 === lastDigit;
  };
}

/** "2023-02-15" → "2023-02-14"; anything else unchanged. */
function dayBefore(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

/** A carrier claim's billablePeriod ending the day before it starts (FHIR invariant per-1, STU3 and R4 alike). */
function reverseBillablePeriod(eob: Record<string, unknown>): void {
  const period = eob.billablePeriod;
  if (isRecord(period) && typeof period.start === 'string') period.end = dayBefore(period.start);
}

/** The CapabilityStatement of one API version declaring another FHIR version (the other version's statement served). */
function declaredFhirVersion(version: 1 | 2, fhirVersion: string): BehaviourOverrides {
  return {
    fhir: {
      capabilityStatement: (statement, baseUrl, servedBy) => {
        const served = defaultFhir.capabilityStatement(statement, baseUrl, servedBy);
        return servedBy === version ? { ...served, fhirVersion } : served;
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// v2 (FHIR R4, C4BB) variants: each narrowed to the v2 API with `inApiVersion(2, …)`, so v1 stays clean

const C4BB_PROFILE = 'http://hl7.org/fhir/us/carin-bb/StructureDefinition/';
const US_MBI_SYSTEM = 'http://hl7.org/fhir/sid/us-mbi';
const CLAIM_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/claim-type';

/** A v2 fault that changes a copy of the v2 resources `select` accepts. */
function corruptV2(select: ResourceSelector, mutate: (copy: Record<string, unknown>) => void): BehaviourOverrides {
  return { fhir: { serveResource: corruptServedResources(inApiVersion(2, select), mutate) } };
}

/** The us-mbi identifiers of a v2 Patient. */
function mbiIdentifiers(patient: Record<string, unknown>): Record<string, unknown>[] {
  return recordsIn(patient.identifier).filter((identifier) => identifier.system === US_MBI_SYSTEM);
}

/** A /v2/fhir/… URL moved to /v1/fhir/… (a link builder that hard-codes v1). */
function toV1(url: string): string {
  return url.replace('/v2/fhir/', '/v1/fhir/');
}

// ---------------------------------------------------------------------------------------------
// The catalog

export const FAULT_MODES: readonly FaultMode[] = [
  // --- OAuth -----------------------------------------------------------------------------------
  {
    id: 'pkce-challenge-not-required',
    area: 'oauth',
    description: '/authorize accepts a request without code_challenge and code_challenge_method and sends the browser on to the login.',
    requirements: ['BB2-OAUTH-PKCE-01', 'RFC7636-4.4.1'],
    overrides: { oauth: { requirePkceAndState: pkceAndStateCheck({ ...ALL_CHECKS, checkChallenge: false }) } },
  },
  {
    id: 'pkce-plain-method-accepted',
    area: 'oauth',
    description: '/authorize lets code_challenge_method=plain through instead of refusing every method but S256.',
    requirement: 'BB2-OAUTH-PKCE-02',
    overrides: { oauth: { requirePkceAndState: pkceAndStateCheck({ ...ALL_CHECKS, checkMethodValue: false }) } },
  },
  {
    id: 'pkce-verifier-not-checked',
    area: 'oauth',
    description: 'The token endpoint exchanges a code whatever code_verifier comes with it, as long as there is one.',
    requirements: ['BB2-OAUTH-PKCE-03', 'RFC7636-4.6'],
    overrides: { oauth: { verifyCodeVerifier: false } },
  },
  {
    id: 'padded-code-challenge-refused',
    area: 'oauth',
    description: 'A code_challenge sent with base64 padding ("=") is kept as sent, so its verifier never matches (BB2 strips the padding; its own test client pads).',
    requirement: 'BB2-OAUTH-PKCE-05',
    overrides: { oauth: { normalizeCodeChallenge: (challenge) => challenge } },
  },
  {
    id: 'state-not-required',
    area: 'oauth',
    description: '/authorize accepts a request without state.',
    requirement: 'BB2-OAUTH-STATE-01',
    overrides: { oauth: { requirePkceAndState: pkceAndStateCheck({ ...ALL_CHECKS, checkState: false }) } },
  },
  {
    id: 'state-min-length-8',
    area: 'oauth',
    description: '/authorize enforces a minimum state length of 8 characters instead of 16.',
    requirement: 'BB2-OAUTH-STATE-02',
    overrides: { oauth: { requirePkceAndState: pkceAndStateCheck({ ...ALL_CHECKS, minStateLength: 8 }) } },
  },
  {
    id: 'state-not-returned',
    area: 'oauth',
    description: 'The redirect after consent carries the code but drops the client\'s state.',
    requirements: ['BB2-OAUTH-STATE-04', 'RFC6749-4.1.2'],
    overrides: { oauth: { returnStateOnRedirect: false } },
  },
  {
    id: 'code-reusable',
    area: 'oauth',
    description: 'An authorization code can be exchanged for tokens more than once.',
    requirements: ['BB2-OAUTH-CODE-01', 'RFC6749-4.1.2'],
    overrides: { oauth: { codeIsSingleUse: false } },
  },
  {
    id: 'token-redirect-uri-not-checked',
    area: 'oauth',
    description: 'The token endpoint ignores a redirect_uri that differs from the one of the authorization request.',
    requirements: ['BB2-OAUTH-REDIRECT-02', 'RFC6749-4.1.3'],
    overrides: { oauth: { tokenRedirectUriMustMatch: false } },
  },
  {
    id: 'authorize-redirect-uri-not-checked',
    area: 'oauth',
    description: 'The authorization endpoint sends the code to any redirect_uri, registered or not (an open redirector that leaks codes).',
    requirements: ['BB2-OAUTH-REDIRECT-01', 'RFC6749-3.1.2.4'],
    overrides: { oauth: { redirectUriIsRegistered: () => true } },
  },
  {
    id: 'client-secret-not-checked',
    area: 'oauth',
    description: 'The token endpoint issues tokens to a confidential client whatever secret it presents, or none.',
    requirements: ['BB2-OAUTH-TOKENAUTH-03', 'BB2-OAUTH-TOKENAUTH-04', 'RFC6749-3.2.1'],
    overrides: { oauth: { verifyClientSecretAtToken: false } },
  },
  {
    id: 'authorize-application-checked-after-login',
    area: 'oauth',
    description: '/authorize sends a request naming no, a malformed or an unknown client_id on to the Medicare.gov login, and looks the application up only on the consent step.',
    requirements: ['BB2-OAUTH-CLIENT-01', 'BB2-OAUTH-CLIENT-02', 'BB2-OAUTH-CLIENT-03'],
    overrides: { oauth: { checkApplicationBeforeLogin: false } },
  },
  {
    id: 'client-id-format-not-checked',
    area: 'oauth',
    description: 'The client_id format check is skipped (as BB2 does only in local environments), so a malformed id is reported as an unknown application.',
    requirement: 'BB2-OAUTH-CLIENT-02',
    overrides: { oauth: { clientIdFormatIsValid: () => true } },
  },
  {
    id: 'client-secret-in-authorize-url-accepted',
    area: 'oauth',
    description: '/authorize tolerates a client_secret in the query string instead of refusing the request.',
    requirement: 'BB2-OAUTH-CLIENT-05',
    overrides: { oauth: { rejectIllegalQueryParameters: () => undefined } },
  },
  {
    id: 'authorize-post-state-not-required',
    area: 'oauth',
    description: 'POST /authorize/ goes on to the login without a state in its body.',
    requirement: 'BB2-OAUTH-STATE-03',
    overrides: { oauth: { requirePostState: () => undefined } },
  },
  {
    id: 'refresh-token-not-rotated',
    area: 'oauth',
    description: 'A refresh returns a new access token but keeps the old refresh token alive instead of issuing a new one.',
    requirements: ['BB2-OAUTH-REFRESH-01', 'BB2-OAUTH-REFRESH-02'],
    overrides: { oauth: { rotateRefreshToken: false } },
  },
  {
    id: 'rotated-access-token-still-valid',
    area: 'oauth',
    description: 'After a refresh, the access token issued with the retired refresh token still reads FHIR data.',
    requirement: 'BB2-OAUTH-REFRESH-03',
    overrides: { oauth: { revokeAccessTokenWithRotatedRefreshToken: false } },
  },
  {
    id: 'refresh-grant-check-skipped',
    area: 'oauth',
    description: 'A refresh does not look at the DataAccessGrant, so a revoked or expired grant gives a generic error instead of BB2\'s 403/401.',
    requirements: ['BB2-OAUTH-REFRESH-04', 'BB2-OAUTH-REFRESH-05'],
    overrides: { oauth: { checkDataAccessGrantOnRefresh: () => undefined } },
  },
  {
    id: 'earlier-tokens-survive-consent',
    area: 'oauth',
    description: 'A new consent leaves the earlier access and refresh tokens of the same app and beneficiary usable.',
    requirement: 'BB2-OAUTH-CONSENT-02',
    overrides: { oauth: { revokeEarlierTokensOnConsent: false } },
  },
  {
    // Area access: the resource server's check (RFC 6750), which the suite tests on FHIR (@fhir @security).
    id: 'expired-access-token-accepted',
    area: 'access',
    description: 'The FHIR API and userinfo honour an access token after its expiry time.',
    requirement: 'BB2-FHIR-AUTH-05',
    overrides: { oauth: { isAccessTokenUsable: () => true } },
  },
  {
    id: 'token-response-missing-patient',
    area: 'oauth',
    description: 'The token response leaves out `patient`, the beneficiary\'s FHIR id.',
    requirements: ['BB2-OAUTH-TOKEN-02', 'BB2-OAUTH-REFRESH-01'],
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
    requirements: ['BB2-OAUTH-TOKEN-02', 'RFC6749-5.1'],
    overrides: {
      oauth: { shapeTokenResponse: (fields) => ({ ...defaultOAuth.shapeTokenResponse(fields), expires_in: String(fields.expiresIn) }) },
    },
  },
  {
    id: 'token-response-cacheable',
    area: 'oauth',
    description: 'The token response is sent without Cache-Control: no-store and Pragma: no-cache.',
    requirements: ['BB2-OAUTH-TOKEN-01', 'RFC6749-5.1'],
    overrides: { oauth: { tokenResponseHeaders: () => ({ 'Content-Type': 'application/json' }) } },
  },
  {
    id: 'grant-expiration-12-months',
    area: 'oauth',
    description: 'The DataAccessGrant of a THIRTEEN_MONTH application ends 12 months after consent.',
    requirement: 'BB2-OAUTH-TOKEN-06',
    overrides: { oauth: { accessGrantExpiration: (consentedAt) => addMonthsUtc(consentedAt, 12) } },
  },

  // --- Access ----------------------------------------------------------------------------------
  {
    id: 'ownership-not-enforced',
    area: 'access',
    description: 'The FHIR API serves any beneficiary\'s Patient, Coverage and ExplanationOfBenefit to any valid token.',
    requirements: ['BB2-FHIR-ACCESS-01', 'BB2-FHIR-ACCESS-02', 'BB2-FHIR-ACCESS-04'],
    overrides: { fhir: { enforceOwnership: (ownerPatientId) => ownerPatientId !== undefined } },
  },
  {
    id: 'patient-search-other-id-not-refused',
    area: 'access',
    description: 'Patient?_id=<another beneficiary> is not refused with 404 but answered 200 (the _id check is skipped).',
    requirement: 'BB2-FHIR-ACCESS-04',
    overrides: { fhir: { readSearchQuery: (resourceType, query) => ({ ...defaultFhir.readSearchQuery(resourceType, query), patientId: undefined }) } },
  },
  {
    id: 'personal-info-not-withheld',
    area: 'access',
    description: 'Unticking "Personal Information" on the consent screen still grants the Patient and profile scopes.',
    requirement: 'BB2-OAUTH-SCOPE-03',
    overrides: { oauth: { withheldScopes: () => [] } },
  },
  {
    id: 'patient-read-without-patient-scope',
    area: 'access',
    description: 'The FHIR API checks only that a token has some patient/* scope, so a token without Personal Information still reads Patient.',
    requirement: 'BB2-OAUTH-SCOPE-04',
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
    requirement: 'BB2-FHIR-AUTH-01',
    overrides: { fhir: { requireToken: (access) => (!access.ok && access.reason === 'missing' ? SAMPLE_GRANT : defaultFhir.requireToken(access)) } },
  },
  {
    id: 'userinfo-without-profile-scope',
    area: 'access',
    description: 'Userinfo answers tokens that lack the profile scope (e.g. Personal Information withheld).',
    requirement: 'BB2-OAUTH-USERINFO-03',
    overrides: { oauth: { canReadUserinfo: () => true } },
  },
  {
    id: 'access-token-in-query-accepted',
    area: 'access',
    description: 'The FHIR API tolerates access_token in the query string instead of refusing the request.',
    requirement: 'BB2-FHIR-AUTH-06',
    overrides: { fhir: { rejectTokenInQuery: () => undefined } },
  },

  // --- Resources -------------------------------------------------------------------------------
  {
    id: 'eob-carrier-patient-missing',
    area: 'resources',
    description: 'Carrier ExplanationOfBenefit resources are served without `patient`.',
    requirement: 'BB2-FHIR-DATA-02',
    overrides: { fhir: { serveResource: corruptServedResources(isEobOfType('carrier'), (eob) => delete eob.patient) } },
  },
  {
    id: 'eob-careteam-provider-missing',
    area: 'resources',
    description: 'Carrier ExplanationOfBenefit careTeam entries lose their mandatory `provider` (an NPI lookup that failed silently).',
    requirement: 'BB2-FHIR-STU3-01',
    overrides: {
      fhir: { serveResource: corruptServedResources(isEobOfType('carrier'), (eob) => recordsIn(eob.careTeam).forEach((member) => delete member.provider)) },
    },
  },
  {
    id: 'eob-money-as-string',
    area: 'resources',
    description: 'Carrier ExplanationOfBenefit amounts are written as JSON strings ("354.83") instead of numbers.',
    requirement: 'BB2-FHIR-STU3-01',
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
    requirement: 'BB2-FHIR-STU3-01',
    overrides: { fhir: { serveResource: corruptServedResources(isResourceType('Patient'), (patient) => (patient.birthDate = usDate(patient.birthDate))) } },
  },
  {
    id: 'coverage-resource-type-lowercase',
    area: 'resources',
    description: 'Coverage resources are served with resourceType "coverage".',
    requirements: ['BB2-FHIR-STU3-01', 'BB2-FHIR-DATA-04'],
    overrides: { fhir: { serveResource: corruptServedResources(isResourceType('Coverage'), (coverage) => (coverage.resourceType = 'coverage')) } },
  },
  {
    id: 'eob-r4-element',
    area: 'resources',
    description: 'Carrier ExplanationOfBenefit resources carry R4\'s `use: "claim"`, an element STU3 does not define (the v2 mapper leaking into v1).',
    requirement: 'BB2-FHIR-STU3-01',
    // v1 only: R4 EOBs have `use` (it is required there).
    overrides: { fhir: { serveResource: corruptServedResources(inApiVersion(1, isEobOfType('carrier')), (eob) => (eob.use = 'claim')) } },
  },
  {
    id: 'eob-carrier-status-raw-code-users-ending-7',
    area: 'resources',
    description:
      'Carrier ExplanationOfBenefit resources of the users whose number ends in 7 carry the raw CCW final-action code "F" as status instead of "active" (a transformer broken for one batch of beneficiaries).',
    requirement: 'FHIR-STU3-BINDING-ExplanationOfBenefit.status',
    overrides: { fhir: { serveResource: corruptServedResources(isEobOfTypeForUsersEndingIn('carrier', 7), (eob) => (eob.status = 'F')) } },
    undetectable:
      'the conformance suite reads the data of a few fixed users, none ending in 7; the population sweep finds exactly the affected users (lib/sweep/sweep.e2e.test.ts)',
  },
  {
    id: 'patient-gender-rif-code',
    area: 'resources',
    description: 'Patient.gender carries the raw CCW sex code ("F", "M") instead of an AdministrativeGender code.',
    requirement: 'BB2-FHIR-STU3-01',
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
    requirement: 'BB2-FHIR-DATA-02',
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
    requirements: ['BB2-FHIR-ID-03', 'BB2-FHIR-STU3-01'],
    overrides: { fhir: { serveResource: corruptServedResources(isResourceType('ExplanationOfBenefit'), (eob) => (eob.id = String(eob.id).replace('-', '_'))) } },
  },
  {
    id: 'patient-bene-id-system-changed',
    area: 'resources',
    description: 'Patient.identifier uses https://bluebutton.cms.gov/resources/identifier/bene_id instead of BB2\'s …/variables/bene_id system.',
    requirement: 'BB2-FHIR-IDENTIFIER-01',
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
    id: 'fhir-metadata-uri-not-served',
    area: 'resources',
    description: 'The OpenID configuration advertises fhir_metadata_uri …/v2/fhir/metadata, but the server does not serve it (404): the v2 API is not deployed.',
    requirement: 'BB2-DISCOVERY-OIDC-06',
    overrides: { fhir: { metadataServed: (version) => version !== 2 } },
  },
  {
    id: 'metadata-fhir-version-r4',
    area: 'resources',
    description: 'The v1 CapabilityStatement declares fhirVersion 4.0.1 (the v2 statement served at /v1).',
    requirement: 'BB2-DISCOVERY-METADATA-02',
    // v1 only: 4.0.1 is what v2 declares anyway.
    overrides: declaredFhirVersion(1, '4.0.1'),
  },

  // FHIR rules beyond the schema's shape: invariants, JSON representation, required bindings.
  {
    id: 'eob-billable-period-reversed',
    area: 'resources',
    description: 'Carrier ExplanationOfBenefit billablePeriod ends the day before it starts (start and end computed from different claim dates).',
    requirement: 'FHIR-STU3-per-1',
    overrides: { fhir: { serveResource: corruptServedResources(isEobOfType('carrier'), reverseBillablePeriod) } },
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
    requirement: 'BB2-FHIR-PAGING-03',
    overrides: { fhir: { bundleTotal: (_matching, pageLength) => pageLength } },
  },
  {
    id: 'next-link-missing',
    area: 'paging',
    description: 'Search bundles have no `next` link even when more pages follow.',
    requirement: 'BB2-FHIR-PAGING-03',
    overrides: { fhir: { pageLinks: (input) => defaultFhir.pageLinks(input).filter((link) => link.relation !== 'next') } },
  },
  {
    id: 'next-link-points-back',
    area: 'paging',
    description: 'The `next` link points at the previous page (the first page on page one), so a client following it never ends.',
    requirement: 'BB2-FHIR-PAGING-03',
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
    requirement: 'BB2-FHIR-PAGING-03',
    overrides: { fhir: { pageLinks: (input) => replaceNextLink(defaultFhir.pageLinks(input), (next) => withStartIndex(next.url, (index) => index - 1)) } },
  },
  {
    id: 'start-index-ignored',
    area: 'paging',
    description: 'startIndex is dropped from searches, so every page is the first page.',
    requirement: 'BB2-FHIR-PAGING-03',
    overrides: { fhir: { startIndex: () => undefined } },
  },
  {
    id: 'count-ignored',
    area: 'paging',
    description: 'A valid _count is ignored: pages always hold 10 entries.',
    requirement: 'BB2-FHIR-PAGING-01',
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
    requirement: 'BB2-FHIR-PAGING-01',
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
    requirement: 'BB2-FHIR-SEARCH-03',
    overrides: { fhir: { filterByType: (eobs) => [...eobs] } },
  },
  {
    id: 'type-param-not-validated',
    area: 'paging',
    description: 'An invalid ExplanationOfBenefit `type` value is not refused with 400.',
    requirement: 'BB2-FHIR-SEARCH-04',
    overrides: { fhir: { checkTypeParam: () => undefined } },
  },

  // --- HTTP ------------------------------------------------------------------------------------
  {
    id: 'fhir-content-type-html',
    area: 'http',
    description: 'FHIR responses are labelled text/html; charset=utf-8 (a framework default) instead of a JSON media type.',
    requirements: ['BB2-FHIR-HEADER-01', 'BB2-FHIR-HEADER-02', 'BB2-FHIR-HEADER-03'],
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
    requirement: 'BB2-FHIR-DATA-04',
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
    requirements: ['BB2-OAUTH-PKCE-01', 'BB2-OAUTH-PKCE-02', 'BB2-OAUTH-STATE-01', 'BB2-OAUTH-STATE-02'],
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
    requirement: 'BB2-FHIR-ID-04',
    overrides: { fhir: { checkResourceId: () => undefined } },
  },

  // --- v2: FHIR R4 and the CARIN Blue Button profiles ------------------------------------------
  {
    id: 'v2-eob-carrier-inpatient-profile',
    area: 'resources',
    description: 'v2 carrier ExplanationOfBenefits claim the C4BB Inpatient-Institutional profile instead of Professional-NonClinician (a profile table shifted by one claim type).',
    requirements: ['BB2-FHIR-V2PROFILE-01', 'C4BB-ExplanationOfBenefit-Inpatient-Institutional'],
    overrides: corruptV2(isEobOfType('carrier'), (eob) => {
      if (isRecord(eob.meta)) eob.meta.profile = [`${C4BB_PROFILE}C4BB-ExplanationOfBenefit-Inpatient-Institutional`];
    }),
  },
  {
    id: 'v2-eob-pde-profile-missing',
    area: 'resources',
    description: 'v2 Part D events are served without meta.profile (the profile is never set for pharmacy claims).',
    requirements: ['BB2-FHIR-V2PROFILE-01', 'C4BB-ExplanationOfBenefit'],
    overrides: corruptV2(isEobOfType('pde'), (eob) => {
      if (isRecord(eob.meta)) delete eob.meta.profile;
    }),
  },
  {
    id: 'v2-eob-carrier-claim-type-institutional',
    area: 'resources',
    description: 'v2 carrier ExplanationOfBenefit.type carries the HL7 claim type "institutional" instead of "professional".',
    requirements: ['BB2-FHIR-DATA-06', 'C4BB-ExplanationOfBenefit-Professional-NonClinician'],
    overrides: corruptV2(isEobOfType('carrier'), (eob) => {
      if (!isRecord(eob.type)) return;
      for (const coding of recordsIn(eob.type.coding)) if (coding.system === CLAIM_TYPE_SYSTEM) coding.code = 'institutional';
    }),
  },
  {
    id: 'v2-coverage-subscriber-id-missing',
    area: 'resources',
    description: 'v2 Coverage resources lose subscriberId, which the C4BB Coverage profile requires (1..1).',
    requirements: ['C4BB-Coverage', 'BB2-FHIR-V2PROFILE-01'],
    overrides: corruptV2(isResourceType('Coverage'), (coverage) => delete coverage.subscriberId),
  },
  {
    id: 'v2-coverage-plan-class-twice',
    area: 'resources',
    description: 'v2 Coverage resources carry their "plan" class twice (once per contract), beyond the C4BB plan slice\'s 0..1.',
    requirements: ['C4BB-Coverage', 'BB2-FHIR-V2PROFILE-01'],
    overrides: corruptV2(isResourceType('Coverage'), (coverage) => {
      const plan = recordsIn(coverage.class).find((entry) => JSON.stringify(entry.type).includes('"plan"'));
      if (plan && Array.isArray(coverage.class)) coverage.class.push({ ...structuredClone(plan), value: `${String(plan.value)} (second contract)` });
    }),
  },
  {
    id: 'v2-patient-mbi-type-missing',
    area: 'resources',
    description: 'The v2 Patient\'s us-mbi identifiers lose their type (MC, with the currency extension).',
    requirement: 'BB2-FHIR-IDENTIFIER-05',
    overrides: corruptV2(isResourceType('Patient'), (patient) => mbiIdentifiers(patient).forEach((identifier) => delete identifier.type)),
  },
  {
    id: 'v2-patient-mbi-hash-identifier',
    area: 'resources',
    description: 'The v2 Patient carries v1\'s mbi-hash identifier beside the unhashed MBI (the v1 identifier mapper reused).',
    requirement: 'BB2-FHIR-IDENTIFIER-04',
    overrides: corruptV2(isResourceType('Patient'), (patient) => {
      const [current] = mbiIdentifiers(patient);
      if (Array.isArray(patient.identifier) && typeof current?.value === 'string') {
        patient.identifier.push({ system: 'https://bluebutton.cms.gov/resources/identifier/mbi-hash', value: identityHash(current.value) });
      }
    }),
  },
  {
    id: 'v2-patient-name-without-family-and-given',
    area: 'resources',
    description: 'The v2 Patient\'s names keep only a text, neither family nor given (US Core invariant us-core-8).',
    requirement: 'USCORE-Patient-us-core-8',
    overrides: corruptV2(isResourceType('Patient'), (patient) =>
      recordsIn(patient.name).forEach((name) => {
        name.text = [...(Array.isArray(name.given) ? name.given : []), name.family].filter((part) => typeof part === 'string').join(' ');
        delete name.family;
        delete name.given;
      }),
    ),
  },
  {
    id: 'v2-eob-carrier-outcome-missing',
    area: 'resources',
    description: 'v2 carrier ExplanationOfBenefits are served without `outcome`, which R4 makes mandatory (as BB2\'s 2020 fixtures were).',
    requirements: ['FHIR-R4-SCHEMA-required', 'BB2-FHIR-R4-01'],
    overrides: corruptV2(isEobOfType('carrier'), (eob) => delete eob.outcome),
  },
  {
    id: 'v2-eob-inpatient-use-missing',
    area: 'resources',
    description: 'v2 inpatient ExplanationOfBenefits are served without `use`, which R4 makes mandatory.',
    requirements: ['FHIR-R4-SCHEMA-required', 'BB2-FHIR-R4-01'],
    overrides: corruptV2(isEobOfType('inpatient'), (eob) => delete eob.use),
  },
  {
    id: 'v2-eob-billable-period-reversed',
    area: 'resources',
    description: 'v2 carrier ExplanationOfBenefit billablePeriod ends the day before it starts (R4 invariant per-1).',
    requirements: ['FHIR-R4-per-1', 'BB2-FHIR-R4-01'],
    overrides: corruptV2(isEobOfType('carrier'), reverseBillablePeriod),
  },
  {
    id: 'v2-coverage-status-entitlement-text',
    area: 'resources',
    description: 'v2 Coverage.status carries the entitlement text "entitled" instead of a FinancialResourceStatusCodes code (R4 required binding).',
    requirements: ['FHIR-R4-BINDING-Coverage.status', 'BB2-FHIR-R4-01'],
    overrides: corruptV2(isResourceType('Coverage'), (coverage) => (coverage.status = 'entitled')),
  },
  {
    id: 'v2-metadata-fhir-version-stu3',
    area: 'resources',
    description: 'The v2 CapabilityStatement declares fhirVersion 3.0.2 (the v1 statement served at /v2).',
    requirement: 'BB2-DISCOVERY-METADATA-07',
    overrides: declaredFhirVersion(2, '3.0.2'),
  },
  {
    id: 'v2-paging-links-to-v1',
    area: 'paging',
    description: 'v2 search Bundles link their pages (first, next, previous, last) under /v1/fhir/ (a link builder that hard-codes v1), so a v2 client paging on gets STU3.',
    requirement: 'BB2-FHIR-PAGING-03',
    overrides: {
      fhir: { pageLinks: (input) => defaultFhir.pageLinks(input).map((link) => (input.version === 2 ? { ...link, url: toV1(link.url) } : link)) },
    },
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

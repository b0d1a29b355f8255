/**
 * Every rule the FHIR API enforces, one named function each (the BB2-FHIR-* requirements of
 * requirements/bb2.json), for v1 and v2 alike: BB2 runs both versions through the same views and checks.
 * The request pipeline in index.ts calls them through `ctx.behaviour.fhir`, so a fault mode can replace
 * exactly one rule, and it then breaks that rule in both versions; the few seams whose rule differs by
 * version (resource ids, the served resources, the CapabilityStatement, paging links) are given the
 * version, so that a fault can also target one version. Nothing here knows that faults exist.
 */
import type { AccessGrant, AccessResult } from '../oauth/types.js';
import type { SandboxSettings } from '../settings.js';
import { filterCapabilityStatement, type JsonObject } from './capability.js';
import { instantInterval, dayInterval, parseFhirDate, satisfies, splitPrefix, type DateCondition } from './dates.js';
import { negotiateMediaType, type NegotiationResult } from './negotiation.js';
import {
  claimTypeOfEob,
  claimTypesOf,
  collectSearchQuery,
  isValidTypeList,
  offsetPageLinks,
  parsePythonInt,
  type PageLinkInput,
  type RawSearchQuery,
} from './search.js';
import { BB2_DEFAULT_RATE_LIMIT, pythonFloat, type RateLimit, type ThrottleDecision } from './throttle.js';
import {
  failure,
  lastUpdatedOf,
  upstreamBadRequest,
  type BundleLink,
  type FhirFailure,
  type ApiVersion,
  type FhirResource,
  type ForwardedParam,
  type Interaction,
  type ResourceType,
} from './types.js';

/** BB2's DEFAULT_PAGE_SIZE and MAX_PAGE_SIZE (apps/fhir/bluebutton/constants.py). */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 50;

/** The `_format` BB2 adds to every call to BFD, which BFD echoes into the Bundle links. */
export const FORWARDED_FORMAT = 'application/fhir+json';

export const PERMISSION_DENIED = 'You do not have permission to perform this action.';
export const NOT_FOUND = 'Not found.';

export interface ScopedRequest {
  readonly method: string;
  readonly resourceType: ResourceType;
  readonly interaction: Interaction;
}

export interface PageWindow {
  readonly start: number;
  readonly end: number;
}

export interface FhirBehaviour {
  /** DRF content negotiation over [JSONRenderer, FHIRRenderer]: application/json unless asked otherwise. */
  contentType(accept: string | undefined, formatOverride: string | null): NegotiationResult;
  /** An access token in the query string is refused with 400, even next to a valid header (BB2-FHIR-AUTH-06). */
  rejectTokenInQuery(query: URLSearchParams): FhirFailure | undefined;
  /** No, unknown or expired token: 401 with DOT's WWW-Authenticate (BB2-FHIR-AUTH-01..05). */
  requireToken(access: AccessResult): AccessGrant | FhirFailure;
  /** The token must hold a scope granting GET on the path (BB2-OAUTH-SCOPE-04); searches also need a search scope. */
  requireScope(grant: AccessGrant, request: ScopedRequest): FhirFailure | undefined;
  /** The per-token budget: the configured one, else BB2's default 100000/s. */
  rateLimit(settings: SandboxSettings): RateLimit;
  /** X-RateLimit-* headers; BB2 prints Python's None where no throttle ran (401/403/metadata). */
  rateLimitHeaders(decision: ThrottleDecision | undefined): Record<string, string>;
  /** 429 with Retry-After and DRF's Throttled message once the budget is spent. */
  enforceRateLimit(decision: ThrottleDecision): FhirFailure | undefined;
  /** BB2's reading of the query: last value wins, `count` becomes `_count`, unknown parameters vanish. */
  readSearchQuery(resourceType: ResourceType, query: URLSearchParams): RawSearchQuery;
  /** `_count`: an int from 0 to 50, default 10 (voluptuous messages). */
  pageSize(raw: string | undefined): number | FhirFailure;
  /** `startIndex`: an int when given (BB2 no longer defaults it). */
  startIndex(raw: string | undefined): number | undefined | FhirFailure;
  /** `_lastUpdated` and `service-date` values must start with lt, le, gt or ge. */
  checkDateOperators(parameter: '_lastUpdated' | 'service-date', values: readonly string[]): FhirFailure | undefined;
  /** `type`: a comma list of claim types, optionally with the eob-type system. */
  checkTypeParam(value: string | undefined): FhirFailure | undefined;
  /** A beneficiary sees only their own resources; everything else is "Not found." (BB2-FHIR-ACCESS-01..02). */
  enforceOwnership(ownerPatientId: string | undefined, grant: AccessGrant): boolean;
  /** The search subject always comes from the token: patient, beneficiary or _id (BB2-FHIR-ACCESS-03..04). */
  overrideSearchSubject(resourceType: ResourceType, grant: AccessGrant): ForwardedParam;
  /** BFD parses the date values; a malformed date is BFD's 400, passed on by BB2. */
  parseDateConditions(values: readonly string[]): DateCondition[] | FhirFailure;
  /** BFD refuses a negative startIndex. */
  checkStartIndex(startIndex: number | undefined): FhirFailure | undefined;
  /** BFD's read-id patterns: malformed ids are 400, unknown kinds 404 (BB2-FHIR-ID-04..05); v2's Coverage pattern differs. */
  checkResourceId(resourceType: ResourceType, id: string, version: ApiVersion): FhirFailure | undefined;
  filterByLastUpdated<T extends FhirResource>(resources: readonly T[], conditions: readonly DateCondition[]): T[];
  filterByType<T extends FhirResource>(eobs: readonly T[], typeParam: string | undefined): T[];
  /** BFD's service-date filter compares the claim's service end date (through date). */
  filterByServiceDate<T extends FhirResource>(eobs: readonly T[], conditions: readonly DateCondition[], serviceEnd: (eob: T) => string): T[];
  /** BFD's slice of the result: startIndex past the end and `_count=0` are BFD 400s. */
  pageWindow(total: number, startIndex: number, count: number): PageWindow | FhirFailure;
  pageLinks(input: PageLinkInput): BundleLink[];
  /** Bundle.total counts every match across pages. */
  bundleTotal(matching: number, pageLength: number): number;
  /** The resource as served by the version's API; identity here. */
  serveResource<T extends FhirResource>(resource: T, version: ApiVersion): T;
  /** Whether /v{version}/fhir/metadata is served (BB2-DISCOVERY-OIDC-06: discovery names the v2 one). */
  metadataServed(version: ApiVersion): boolean;
  /** BB2's edits to the version's BFD CapabilityStatement (BB2-DISCOVERY-METADATA-03..06), the same for v1 and v2. */
  capabilityStatement(bfdStatement: JsonObject, baseUrl: string, version: ApiVersion): JsonObject;
  /** DRF's error body. */
  errorBody(status: number, detail: string): { detail: string };
}

const SEARCH_SCOPE_SUFFIXES = ['read', 'rs', 's'] as const;
const READ_SCOPE_SUFFIXES = ['read', 'rs', 'r'] as const;

function contentType(accept: string | undefined, formatOverride: string | null): NegotiationResult {
  return negotiateMediaType(accept, formatOverride);
}

function rejectTokenInQuery(query: URLSearchParams): FhirFailure | undefined {
  return query.has('access_token')
    ? failure(400, 'Using the access token in the query parameters is not supported. Use the Authorization header instead')
    : undefined;
}

function requireToken(access: AccessResult): AccessGrant | FhirFailure {
  if (access.ok) return access.grant;
  // DOT's OAuth2Authentication.authenticate_header: realm, then the oauthlib error if there was one.
  const attributes = ['realm="api"'];
  if (access.reason === 'invalid') attributes.push('error="invalid_token"', 'error_description="The access token is invalid."');
  if (access.reason === 'expired') attributes.push('error="invalid_token"', 'error_description="The access token has expired."');
  return failure(401, 'Authentication credentials were not provided.', { 'WWW-Authenticate': `Bearer ${attributes.join(', ')}` });
}

function requireScope(grant: AccessGrant, request: ScopedRequest): FhirFailure | undefined {
  // Every capability BB2 defines grants GET only (TokenHasProtectedCapability compares the method).
  const suffixes = request.interaction === 'read' ? READ_SCOPE_SUFFIXES : SEARCH_SCOPE_SUFFIXES;
  const granted = request.method === 'GET' && suffixes.some((suffix) => grant.scopes.has(`patient/${request.resourceType}.${suffix}`));
  return granted ? undefined : failure(403, PERMISSION_DENIED);
}

function rateLimit(settings: SandboxSettings): RateLimit {
  return settings.rateLimit ?? BB2_DEFAULT_RATE_LIMIT;
}

function rateLimitHeaders(decision: ThrottleDecision | undefined): Record<string, string> {
  if (decision === undefined) return { 'X-RateLimit-Limit': 'None', 'X-RateLimit-Remaining': 'None', 'X-RateLimit-Reset': 'None' };
  return {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': pythonFloat(decision.resetSeconds),
  };
}

function enforceRateLimit(decision: ThrottleDecision): FhirFailure | undefined {
  if (decision.allowed) return undefined;
  if (decision.waitSeconds === undefined) return failure(429, 'Request was throttled.');
  const wait = Math.ceil(decision.waitSeconds);
  return failure(429, `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`, {
    'Retry-After': String(wait),
  });
}

function readSearchQuery(resourceType: ResourceType, query: URLSearchParams): RawSearchQuery {
  return collectSearchQuery(resourceType, query);
}

function pageSize(raw: string | undefined): number | FhirFailure {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const value = parsePythonInt(raw);
  if (value === undefined) return failure(400, 'expected int');
  if (value < 0) return failure(400, 'value must be at least 0');
  if (value > MAX_PAGE_SIZE) return failure(400, `value must be at most ${MAX_PAGE_SIZE}`);
  return value;
}

function startIndex(raw: string | undefined): number | undefined | FhirFailure {
  if (raw === undefined) return undefined;
  return parsePythonInt(raw) ?? failure(400, 'expected int');
}

function checkDateOperators(parameter: '_lastUpdated' | 'service-date', values: readonly string[]): FhirFailure | undefined {
  // BB2: Match(r'^((lt)|(le)|(gt)|(ge)).+') on each value.
  const bad = values.some((value) => !/^(lt|le|gt|ge)./.test(value));
  return bad ? failure(400, `the ${parameter} operator is not valid`) : undefined;
}

function checkTypeParam(value: string | undefined): FhirFailure | undefined {
  return value === undefined || isValidTypeList(value) ? undefined : failure(400, 'the type parameter value is not valid');
}

function enforceOwnership(ownerPatientId: string | undefined, grant: AccessGrant): boolean {
  return ownerPatientId !== undefined && ownerPatientId === grant.patientId;
}

function overrideSearchSubject(resourceType: ResourceType, grant: AccessGrant): ForwardedParam {
  switch (resourceType) {
    case 'Patient':
      return ['_id', grant.patientId];
    case 'Coverage':
      return ['beneficiary', `Patient/${grant.patientId}`];
    case 'ExplanationOfBenefit':
      return ['patient', grant.patientId];
  }
}

function parseDateConditions(values: readonly string[]): DateCondition[] | FhirFailure {
  const conditions: DateCondition[] = [];
  for (const value of values) {
    const split = splitPrefix(value);
    const interval = split === undefined ? undefined : parseFhirDate(split.date);
    // HAPI's DataFormatException text, passed through by BB2 (inferred; not captured from the sandbox).
    if (split === undefined || interval === undefined) return upstreamBadRequest(`Invalid date/time format: "${split?.date ?? value}"`);
    conditions.push({ prefix: split.prefix, value: interval });
  }
  return conditions;
}

function checkStartIndex(index: number | undefined): FhirFailure | undefined {
  return index !== undefined && index < 0 ? upstreamBadRequest(`Value for startIndex cannot be negative: ${index}`) : undefined;
}

const COVERAGE_SEGMENTS: readonly string[] = ['part-a', 'part-b', 'part-c', 'part-d'];

/** BFD's Coverage read-id check: the pattern (400 when it does not match), then the segment (404). */
function checkCoverageId(id: string, version: ApiVersion): FhirFailure | undefined {
  // v1 CoverageResourceProvider: (\p{Alnum}+-\p{Alnum})-(-?\p{Digit}+). v2 R4CoverageResourceProvider:
  // (\p{Alnum}+-?\p{Alnum})-(-?\p{Digit}+), with a message naming its C4BB and C4DIC patterns.
  const match = (version === 1 ? /^([A-Za-z0-9]+-[A-Za-z0-9])-(-?\d+)$/ : /^([A-Za-z0-9]+-?[A-Za-z0-9])-(-?\d+)$/).exec(id);
  if (!match) {
    return upstreamBadRequest(
      version === 1
        ? `Coverage ID pattern: '${id}' does not match expected pattern: {alphaNumericString}-{singleCharacter}-{idNumber}`
        : `Coverage ID pattern: '${id}' does not match expected patterns: {alphaNumericString}?-{alphaNumericString}-{idNumber} or {alphaNumericString}?-{alphaNumericString}?-{alphaNumericString}-{idNumber}`,
    );
  }
  return COVERAGE_SEGMENTS.includes(match[1] as string) ? undefined : failure(404, NOT_FOUND);
}

function checkResourceId(resourceType: ResourceType, id: string, version: ApiVersion): FhirFailure | undefined {
  if (resourceType === 'Coverage') return checkCoverageId(id, version);
  if (resourceType === 'ExplanationOfBenefit') {
    // BFD's CommonTransformerUtils.validateAndReturnEobMatcher, v1 and v2: (\p{Alpha}+)-(-?\p{Digit}+).
    const match = /^([A-Za-z]+)-(-?\d+)$/.exec(id);
    if (!match) {
      return upstreamBadRequest(`ExplanationOfBenefit ID pattern: '${id}' does not match expected pattern: {alphaString}-{idNumber}`);
    }
    return undefined;
  }
  return undefined;
}

function filterByLastUpdated<T extends FhirResource>(resources: readonly T[], conditions: readonly DateCondition[]): T[] {
  if (conditions.length === 0) return [...resources];
  return resources.filter((resource) => {
    const updated = instantInterval(lastUpdatedOf(resource) ?? '');
    return updated !== undefined && conditions.every((condition) => satisfies(updated, condition));
  });
}

function filterByType<T extends FhirResource>(eobs: readonly T[], typeParam: string | undefined): T[] {
  if (typeParam === undefined) return [...eobs];
  const types: ReadonlySet<string> = claimTypesOf(typeParam);
  return eobs.filter((eob) => types.has(claimTypeOfEob(eob)));
}

function filterByServiceDate<T extends FhirResource>(
  eobs: readonly T[],
  conditions: readonly DateCondition[],
  serviceEnd: (eob: T) => string,
): T[] {
  if (conditions.length === 0) return [...eobs];
  return eobs.filter((eob) => {
    const day = dayInterval(serviceEnd(eob));
    return day !== undefined && conditions.every((condition) => satisfies(day, condition));
  });
}

function pageWindow(total: number, start: number, count: number): PageWindow | FhirFailure {
  if (total > 0 && start >= total) {
    return upstreamBadRequest(`Value for startIndex (${start}) must be less than than result size (${total})`);
  }
  // BFD divides by the page size to find the last page: _count=0 ends in an ArithmeticException.
  if (count === 0) return upstreamBadRequest(`Invalid pageSize '${count}'`);
  return { start, end: Math.min(start + count, total) };
}

function pageLinks(input: PageLinkInput): BundleLink[] {
  return offsetPageLinks(input);
}

function bundleTotal(matching: number): number {
  return matching;
}

function serveResource<T extends FhirResource>(resource: T): T {
  return resource;
}

function capabilityStatement(bfdStatement: JsonObject, baseUrl: string): JsonObject {
  // BB2 filters the v1 and v2 statements alike.
  return filterCapabilityStatement(bfdStatement, baseUrl);
}

function errorBody(_status: number, detail: string): { detail: string } {
  return { detail };
}

export const defaultFhirBehaviour: FhirBehaviour = {
  contentType,
  rejectTokenInQuery,
  requireToken,
  requireScope,
  rateLimit,
  rateLimitHeaders,
  enforceRateLimit,
  readSearchQuery,
  pageSize,
  startIndex,
  checkDateOperators,
  checkTypeParam,
  enforceOwnership,
  overrideSearchSubject,
  parseDateConditions,
  checkStartIndex,
  checkResourceId,
  filterByLastUpdated,
  filterByType,
  filterByServiceDate,
  pageWindow,
  pageLinks,
  bundleTotal,
  serveResource,
  metadataServed: () => true,
  capabilityStatement,
  errorBody,
};

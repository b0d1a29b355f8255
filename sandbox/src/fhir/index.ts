/**
 * The sandbox's FHIR API, v1 (STU3) under /v1/fhir/ and v2 (R4) under /v2/fhir/: metadata, and read +
 * search for Patient, Coverage and ExplanationOfBenefit, behaving as BB2 in front of BFD does (the
 * BB2-FHIR-* requirements of requirements/bb2.json). The API version is a dimension (versions.ts): both
 * versions share this pipeline and every rule, and differ only in the data and CapabilityStatement BFD
 * returns. Each BB2 rule is a function of ctx.behaviour.fhir (behaviour.ts); this file only orders them
 * as BB2's Django/DRF stack does: content negotiation, authentication, permissions, throttling, query
 * validation, then what BFD checks and returns.
 */
import type Koa from 'koa';
import type { SandboxContext } from '../context.js';
import { eobServiceDates, findUserByPatientId } from '../data/index.js';
import type { AccessGrant, AccessResolver } from '../oauth/types.js';
import { FORWARDED_FORMAT, NOT_FOUND, type FhirBehaviour } from './behaviour.js';
import { pythonJsonDumps } from './capability.js';
import type { DateCondition } from './dates.js';
import { JSON_MEDIA_TYPE } from './negotiation.js';
import { searchsetBundle } from './search.js';
import { TokenRateThrottle, type ThrottleDecision } from './throttle.js';
import {
  failure,
  isFailure,
  RESOURCE_TYPES,
  type ApiVersion,
  type FhirFailure,
  type FhirResource,
  type ForwardedParam,
  type ResourceType,
} from './types.js';
import { fhirApiVersions, type FhirApiVersion } from './versions.js';

type Route = { readonly version: ApiVersion } & (
  | { readonly kind: 'metadata' }
  | { readonly kind: 'read'; readonly resourceType: ResourceType; readonly id: string }
  | { readonly kind: 'search'; readonly resourceType: ResourceType }
);

const TYPES = RESOURCE_TYPES.join('|');
const METADATA_PATH = /^\/v([12])\/fhir\/metadata\/?$/;
// BB2's URL patterns are not anchored at the end (`Patient/(?P<resource_id>[^/]+)`, `Patient[/]?`), so
// anything after the id, or after the type name, still reaches the same view.
const READ_PATH = new RegExp(`^/v([12])/fhir/(${TYPES})/([^/]+)`);
const SEARCH_PATH = new RegExp(`^/v([12])/fhir/(${TYPES})`);

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const versionOf = (digit: string | undefined): ApiVersion => (digit === '2' ? 2 : 1);

function matchRoute(path: string): Route | undefined {
  const metadata = METADATA_PATH.exec(path);
  if (metadata) return { version: versionOf(metadata[1]), kind: 'metadata' };
  const read = READ_PATH.exec(path);
  if (read) return { version: versionOf(read[1]), kind: 'read', resourceType: read[2] as ResourceType, id: decodeSegment(read[3] as string) };
  const search = SEARCH_PATH.exec(path);
  if (search) return { version: versionOf(search[1]), kind: 'search', resourceType: search[2] as ResourceType };
  return undefined;
}

/** DRF adds these to every response of an APIView with a GET handler and two renderers. */
const DRF_VIEW_HEADERS = { Allow: 'GET, HEAD, OPTIONS', Vary: 'Accept' } as const;

function send(koa: Koa.Context, status: number, body: string, mediaType: string, headers: Readonly<Record<string, string>> = {}): void {
  koa.status = status;
  koa.body = body;
  // Set after the body: Koa would otherwise pick text/plain, or add a charset BB2 does not send.
  koa.set('Content-Type', mediaType);
  for (const [name, value] of Object.entries(headers)) koa.set(name, value);
}

export function createFhirRoutes(ctx: SandboxContext, access: AccessResolver): Koa.Middleware {
  const behaviour = (): FhirBehaviour => ctx.behaviour.fhir;
  const apis = fhirApiVersions(ctx.baseUrl, new Date());
  const apiOf = (version: ApiVersion): FhirApiVersion => {
    const api = apis.get(version);
    if (api === undefined) throw new Error(`no FHIR API version ${version}`);
    return api;
  };
  // One budget per token across both versions, as BB2's throttle keys on the token alone.
  const throttle = new TokenRateThrottle(behaviour().rateLimit(ctx.settings));

  function serveMetadata(koa: Koa.Context, api: FhirApiVersion): void {
    const b = behaviour();
    const headers = b.rateLimitHeaders(undefined);
    if (koa.method !== 'GET' && koa.method !== 'HEAD') {
      send(koa, 405, JSON.stringify(b.errorBody(405, `Method "${koa.method}" not allowed.`)), JSON_MEDIA_TYPE, headers);
      return;
    }
    // No token needed; Django's JsonResponse writes Python's json.dumps layout as application/json.
    send(koa, 200, pythonJsonDumps(b.capabilityStatement(api.bfdStatement, ctx.baseUrl, api.version)), JSON_MEDIA_TYPE, headers);
  }

  async function serveData(koa: Koa.Context, api: FhirApiVersion, route: Exclude<Route, { kind: 'metadata' }>): Promise<void> {
    const b = behaviour();
    const query = new URLSearchParams(koa.querystring);
    // The throttle runs only after authentication and permissions; until then the headers say None.
    const rate: { decision?: ThrottleDecision } = {};
    const headers = () => ({ ...DRF_VIEW_HEADERS, ...b.rateLimitHeaders(rate.decision) });

    // DRF negotiates before it authenticates; its own negotiation errors render as application/json.
    const negotiated = b.contentType(koa.headers.accept, query.get('format'));
    if (!negotiated.ok) {
      send(koa, negotiated.status, JSON.stringify(b.errorBody(negotiated.status, negotiated.detail)), JSON_MEDIA_TYPE, headers());
      return;
    }
    const mediaType = negotiated.mediaType;
    const fail = (problem: FhirFailure): void =>
      send(koa, problem.status, JSON.stringify(b.errorBody(problem.status, problem.detail)), mediaType, { ...headers(), ...problem.headers });
    const ok = (body: unknown): void => send(koa, 200, JSON.stringify(body), mediaType, headers());

    const tokenInQuery = b.rejectTokenInQuery(query);
    if (tokenInQuery) return fail(tokenInQuery);
    const grant = b.requireToken(await access.resolve(koa.headers.authorization));
    if (isFailure(grant)) return fail(grant);
    const interaction = route.kind === 'read' ? 'read' : 'search';
    const denied = b.requireScope(grant, { method: koa.method, resourceType: route.resourceType, interaction });
    if (denied) return fail(denied);
    rate.decision = throttle.hit(grant.tokenKey);
    const throttled = b.enforceRateLimit(rate.decision);
    if (throttled) return fail(throttled);

    const result = route.kind === 'read' ? read(b, api, grant, route.resourceType, route.id) : search(b, api, grant, route.resourceType, query);
    if (isFailure(result)) return fail(result);
    ok(result);
  }

  /** What BFD returns for a stored resource, then what BB2 serves of it. */
  function served<T extends FhirResource>(b: FhirBehaviour, api: FhirApiVersion, resource: T, now: number): T {
    return b.serveResource(api.atRequestTime(resource, now), api.version);
  }

  function read(b: FhirBehaviour, api: FhirApiVersion, grant: AccessGrant, resourceType: ResourceType, id: string): FhirResource | FhirFailure {
    const now = Date.now();
    if (resourceType === 'Patient') {
      // BB2 answers a read of anyone else's Patient with 404 before asking BFD.
      const user = b.enforceOwnership(id, grant) ? findUserByPatientId(id) : undefined;
      return user === undefined ? failure(404, NOT_FOUND) : served(b, api, api.data.patientFor(user), now);
    }
    const malformed = b.checkResourceId(resourceType, id, api.version);
    if (malformed) return malformed;
    const found = resourceType === 'Coverage' ? api.data.findCoverage(id) : api.data.findEob(id);
    if (found === undefined || !b.enforceOwnership(found.user.patientId, grant)) return failure(404, NOT_FOUND);
    return served(b, api, found.resource, now);
  }

  function search(b: FhirBehaviour, api: FhirApiVersion, grant: AccessGrant, resourceType: ResourceType, query: URLSearchParams): unknown {
    const isEob = resourceType === 'ExplanationOfBenefit';
    // BB2's own validation (voluptuous), answered with its messages.
    const raw = b.readSearchQuery(resourceType, query);
    const count = b.pageSize(raw.count);
    if (isFailure(count)) return count;
    const startIndex = b.startIndex(raw.startIndex);
    if (isFailure(startIndex)) return startIndex;
    const badOperator =
      b.checkDateOperators('_lastUpdated', raw.lastUpdated) ??
      (isEob ? (b.checkTypeParam(raw.type) ?? b.checkDateOperators('service-date', raw.serviceDate)) : undefined);
    if (badOperator) return badOperator;
    if (raw.patientId !== undefined && !b.enforceOwnership(raw.patientId, grant)) return failure(404, NOT_FOUND);

    const forwarded: ForwardedParam[] = [
      ...(startIndex === undefined ? [] : [['startIndex', String(startIndex)] as const]),
      ['_count', String(count)],
      ...raw.lastUpdated.map((value) => ['_lastUpdated', value] as const),
      ...(raw.type === undefined ? [] : [['type', raw.type] as const]),
      ...raw.serviceDate.map((value) => ['service-date', value] as const),
      ['_format', FORWARDED_FORMAT],
      b.overrideSearchSubject(resourceType, grant),
    ];

    // What BFD checks and returns.
    const lastUpdated = b.parseDateConditions(raw.lastUpdated);
    if (isFailure(lastUpdated)) return lastUpdated;
    const serviceDate: DateCondition[] | FhirFailure = b.parseDateConditions(raw.serviceDate);
    if (isFailure(serviceDate)) return serviceDate;
    const negativeStart = b.checkStartIndex(startIndex);
    if (negativeStart) return negativeStart;

    let matches = b.filterByLastUpdated(resourcesOf(api, resourceType, grant), lastUpdated);
    if (isEob) {
      matches = b.filterByType(matches, raw.type);
      matches = b.filterByServiceDate(matches, serviceDate, (eob) => eobServiceDates(eob as Parameters<typeof eobServiceDates>[0]).end);
    }
    const window = b.pageWindow(matches.length, startIndex ?? 0, count);
    if (isFailure(window)) return window;
    const now = Date.now();
    const page = matches.slice(window.start, window.end).map((resource) => served(b, api, resource, now));
    const links = b.pageLinks({ baseUrl: ctx.baseUrl, version: api.version, resourceType, forwarded, startIndex: startIndex ?? 0, count, total: matches.length });
    return searchsetBundle(b.bundleTotal(matches.length, page.length), links, page, now);
  }

  return async (koa, next) => {
    const route = matchRoute(koa.path);
    if (route === undefined) return next();
    const api = apiOf(route.version);
    if (route.kind !== 'metadata') return serveData(koa, api, route);
    // Metadata of a version the server does not serve falls through to the common 404.
    if (!behaviour().metadataServed(route.version)) return next();
    serveMetadata(koa, api);
  };
}

/** Everything the token's beneficiary has of one type, in BFD's order. */
function resourcesOf(api: FhirApiVersion, resourceType: ResourceType, grant: AccessGrant): FhirResource[] {
  const user = findUserByPatientId(grant.patientId);
  if (user === undefined) return [];
  switch (resourceType) {
    case 'Patient':
      return [api.data.patientFor(user)];
    case 'Coverage':
      return api.data.coveragesFor(user);
    case 'ExplanationOfBenefit':
      return api.data.eobsFor(user);
  }
}

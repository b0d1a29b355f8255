/**
 * A small client for BB2's FHIR API, v1 or v2 (the BB2-FHIR-* requirements), over Playwright's APIRequestContext,
 * so every call is a step in the test report. It returns what the server sent (status, headers, JSON,
 * text) and never throws on an error status: the specs judge responses, including wrong ones.
 *
 * Hand-written rather than a FHIR client library (fhir-kit-client, fhirclient): those throw on error
 * statuses, add their own Accept headers and follow links for the caller, and a conformance check must
 * control and see each of those things.
 *
 * The access token is a Secret: it travels only in the Authorization header, never in a URL.
 */
import type { APIRequestContext } from '@playwright/test';
import { bearerAuthorization, readResult, type HttpResult } from '../oauth/client.js';
import type { Secret } from '../oauth/secret.js';

export type { HttpResult } from '../oauth/client.js';

/** Search parameters; an array repeats the parameter (`_lastUpdated=ge…&_lastUpdated=lt…`). */
export type SearchParams = Readonly<Record<string, string | number | readonly (string | number)[]>>;

export interface FhirRequestOptions {
  /** The Accept header; omitted = none sent beyond the HTTP client's default. */
  readonly accept?: string;
  /** Extra headers, e.g. an Authorization header of another form. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface FhirClient {
  /** FHIR base without a trailing slash, e.g. https://sandbox.bluebutton.cms.gov/v1/fhir */
  readonly fhirBase: string;
  /** GET {base}/{type}/{id}; the id is percent-encoded as one path segment. */
  read(resourceType: string, id: string, options?: FhirRequestOptions): Promise<HttpResult>;
  /** GET {base}/{type}/?{params} (BB2's search route takes the type with or without the slash, BB2-FHIR-PATH-01). */
  search(resourceType: string, params?: SearchParams, options?: FhirRequestOptions): Promise<HttpResult>;
  /** GET an absolute URL (a Bundle link), with this client's token. */
  get(url: string, options?: FhirRequestOptions): Promise<HttpResult>;
  /** The URL `search` requests. */
  searchUrl(resourceType: string, params?: SearchParams): string;
  /** The same client with another token, or none (null). */
  withToken(accessToken: Secret | string | null): FhirClient;
}

export function searchQuery(params: SearchParams = {}): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) query.append(name, String(one));
  }
  return query;
}

/**
 * @param accessToken sent as `Authorization: Bearer …`; null sends no Authorization header. A plain
 *   string is for deliberately wrong tokens chosen by a test.
 */
export function createFhirClient(request: APIRequestContext, fhirBase: string, accessToken: Secret | string | null): FhirClient {
  const base = fhirBase.replace(/\/+$/, '');

  async function get(url: string, options: FhirRequestOptions = {}): Promise<HttpResult> {
    const headers: Record<string, string> = {
      ...(options.accept === undefined ? {} : { Accept: options.accept }),
      ...(accessToken === null ? {} : bearerAuthorization(accessToken)),
      ...options.headers,
    };
    // Redirects are not followed: BB2 answers FHIR calls directly, and a redirect is itself a finding.
    return readResult(await request.get(url, { headers, maxRedirects: 0, failOnStatusCode: false }));
  }

  function searchUrl(resourceType: string, params: SearchParams = {}): string {
    const query = searchQuery(params).toString();
    return `${base}/${resourceType}/${query === '' ? '' : `?${query}`}`;
  }

  return {
    fhirBase: base,
    read: (resourceType, id, options) => get(`${base}/${resourceType}/${encodeURIComponent(id)}`, options),
    search: (resourceType, params, options) => get(searchUrl(resourceType, params), options),
    get,
    searchUrl,
    withToken: (other) => createFhirClient(request, base, other),
  };
}

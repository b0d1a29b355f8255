/**
 * BB2 search paging (BB2-FHIR-PAGING-01..04): what a page's links must say, and a walker that
 * follows `next` from the first page to the last and checks every page on the way.
 *
 * BB2-FHIR-PAGING-03, for a page at startIndex s with page size c and Bundle.total t:
 *   first     always, startIndex 0
 *   next      only if s + c < t, startIndex s + c
 *   previous  only if s > 0, startIndex max(s − c, 0)
 *   last      always, startIndex floor((t − 1) / c) · c (0 for an empty result)
 *   self      always; if it names a startIndex, s (BFD echoes the request, which may have none)
 * and every link carries _count c and the search's own parameters (type, service-date, …), so that
 * following it continues the same search.
 */
import type { Bb2RuleContext } from '../validation/bb2-rules.js';
import { validateResource, type FhirValidation } from '../validation/validate.js';
import type { Violation } from '../validation/violation.js';
import {
  bundleLinks,
  bundleResources,
  bundleTotal,
  DEFAULT_PAGE_SIZE,
  describe,
  integerParam,
  isBundle,
  resourceId,
  type BundleLink,
  type FhirResource,
} from './bundle.js';
import { searchQuery, type FhirClient, type HttpResult, type SearchParams } from './client.js';

/** Parameters that select the page rather than the result; BB2 renames `count` to `_count` (BB2-FHIR-PAGING-02). */
const PAGING_PARAMS = new Set(['startIndex', '_count', 'count']);

export interface PageRequest {
  readonly startIndex: number;
  readonly count: number;
}

/** The page a URL asks for, as BB2 reads it: `count` wins over `_count`; defaults 0 and 10 (BB2-FHIR-PAGING-01..02). */
export function pageRequestOf(query: URLSearchParams): PageRequest {
  const startIndex = integerParam(query, 'startIndex');
  const count = integerParam(query, 'count') ?? integerParam(query, '_count') ?? DEFAULT_PAGE_SIZE;
  return { startIndex: startIndex ?? 0, count };
}

export interface ExpectedPageLinks {
  readonly first: number;
  readonly next: number | undefined;
  readonly previous: number | undefined;
  readonly last: number;
}

/** The startIndex each paging link must carry (BB2-FHIR-PAGING-03); undefined = the link must be absent. */
export function expectedPageLinks(page: { readonly startIndex: number; readonly count: number; readonly total: number }): ExpectedPageLinks {
  const { startIndex, count, total } = page;
  return {
    first: 0,
    next: startIndex + count < total ? startIndex + count : undefined,
    previous: startIndex > 0 ? Math.max(startIndex - count, 0) : undefined,
    last: total === 0 ? 0 : Math.floor((total - 1) / count) * count,
  };
}

/** The number of entries a page must hold. */
export function expectedPageLength(page: { readonly startIndex: number; readonly count: number; readonly total: number }): number {
  return Math.max(0, Math.min(page.count, page.total - page.startIndex));
}

export interface PageLinkContext extends PageRequest {
  readonly total: number;
  /** Absolute URL of the searched type, e.g. https://host/v1/fhir/ExplanationOfBenefit (a trailing slash is allowed in links). */
  readonly resourceUrl: string;
  /** The search's own parameters, which every link must carry with the same values. */
  readonly searchParams: URLSearchParams;
}

function withoutTrailingSlash(text: string): string {
  return text.replace(/\/+$/, '');
}

/** Whether a link URL addresses the searched type on the same origin (so following it keeps the token at home). */
export function isLinkForResource(url: string, resourceUrl: string): boolean {
  if (!URL.canParse(url) || !URL.canParse(resourceUrl)) return false;
  const link = new URL(url);
  const expected = new URL(resourceUrl);
  return link.origin === expected.origin && withoutTrailingSlash(link.pathname) === withoutTrailingSlash(expected.pathname);
}

function sortedValues(query: URLSearchParams, name: string): string[] {
  return query.getAll(name).sort();
}

/** Problems with one link: its target, its _count, the search's parameters. */
function linkTargetProblems(link: BundleLink, context: PageLinkContext): string[] {
  const problems: string[] = [];
  const name = `"${link.relation}" link`;
  if (!isLinkForResource(link.url, context.resourceUrl)) {
    problems.push(`${name} ${link.url} is not a URL of ${context.resourceUrl}`);
    return problems;
  }
  const query = new URL(link.url).searchParams;
  const count = integerParam(query, '_count');
  if (count !== context.count) problems.push(`${name} has _count=${query.get('_count') ?? '(none)'}, expected ${context.count}`);
  for (const param of new Set(context.searchParams.keys())) {
    if (PAGING_PARAMS.has(param)) continue;
    const expected = sortedValues(context.searchParams, param);
    const actual = sortedValues(query, param);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      problems.push(`${name} carries ${param}=${JSON.stringify(actual)}, but the search has ${param}=${JSON.stringify(expected)}`);
    }
  }
  return problems;
}

/** Every way a page's links depart from BB2-FHIR-PAGING-03; empty when they are right. */
export function pageLinkProblems(bundle: unknown, context: PageLinkContext): string[] {
  const links = bundleLinks(bundle);
  const expected = expectedPageLinks(context);
  const problems: string[] = [];
  const counts = new Map<string, number>();
  for (const link of links) counts.set(link.relation, (counts.get(link.relation) ?? 0) + 1);
  for (const [relation, count] of counts) if (count > 1) problems.push(`${count} "${relation}" links, expected at most one`);

  const paging: Array<[string, number | undefined, string]> = [
    ['first', expected.first, 'always'],
    ['next', expected.next, `only while startIndex + _count < total (${context.startIndex} + ${context.count} vs ${context.total})`],
    ['previous', expected.previous, `only after the first page (startIndex ${context.startIndex})`],
    ['last', expected.last, 'always'],
  ];
  for (const [relation, startIndex, when] of paging) {
    const link = links.find((candidate) => candidate.relation === relation);
    if (startIndex === undefined) {
      if (link) problems.push(`"${relation}" link present, expected ${when}`);
      continue;
    }
    if (!link) {
      problems.push(`"${relation}" link missing, expected ${when} with startIndex=${startIndex}`);
      continue;
    }
    const targetProblems = linkTargetProblems(link, context);
    problems.push(...targetProblems);
    if (targetProblems.length > 0 && !isLinkForResource(link.url, context.resourceUrl)) continue;
    const actual = integerParam(new URL(link.url).searchParams, 'startIndex');
    if (actual !== startIndex) problems.push(`"${relation}" link has startIndex=${actual ?? '(none)'}, expected ${startIndex}`);
  }

  const self = links.find((link) => link.relation === 'self');
  if (!self) {
    problems.push('"self" link missing');
  } else {
    const targetProblems = linkTargetProblems(self, context);
    problems.push(...targetProblems);
    if (isLinkForResource(self.url, context.resourceUrl)) {
      const query = new URL(self.url).searchParams;
      if (query.has('startIndex') && integerParam(query, 'startIndex') !== context.startIndex) {
        problems.push(`"self" link has startIndex=${query.get('startIndex')}, expected ${context.startIndex} or none`);
      }
    }
  }
  return problems;
}

export interface WalkOptions {
  /** Stop after this many pages, for a server whose `next` links never end; default 200. */
  readonly maxPages?: number;
  /** Validate every page (FHIR and BB2's rules of the API version); default true. */
  readonly validate?: boolean;
  /** The API version the pages are validated for (the fixtures' `api`); default v1 (STU3). */
  readonly api?: { readonly validation: FhirValidation };
  /** BB2 rule context (the token's patient, synthetic ids) for every page. */
  readonly bb2?: Bb2RuleContext;
}

export interface WalkedPage {
  /** 1-based. */
  readonly number: number;
  readonly url: string;
  readonly request: PageRequest;
  readonly result: HttpResult;
  readonly resources: readonly FhirResource[];
}

export interface SearchWalk {
  readonly pages: readonly WalkedPage[];
  /** Bundle.total of the first page. */
  readonly total: number | undefined;
  /** Every entry's resource, in the order received. */
  readonly resources: readonly FhirResource[];
  /** Why the walk ended before a page without `next` (an error status, a loop, a foreign link, …); undefined if it reached the end. */
  readonly stopped: string | undefined;
  /** Link, page-size and total problems, each prefixed with its page. */
  readonly pagingProblems: readonly string[];
  /** "ExplanationOfBenefit/x on page 3, first seen on page 1". */
  readonly duplicates: readonly string[];
  /** FHIR and BB2-rule violations of every page (lib/validation/validate.ts); paths start with the page. */
  readonly violations: readonly Violation[];
  /** Warnings and known BB2 deviations of every page: reported, never failures. */
  readonly notes: readonly Violation[];
}

function pageLabel(page: { number: number; request: PageRequest }): string {
  return `page ${page.number} (startIndex=${page.request.startIndex}, _count=${page.request.count})`;
}

/**
 * Searches, then follows each page's `next` link until a page has none. Each page is checked
 * (status, Bundle, total, entry count, links per BB2-FHIR-PAGING-03, and unless `validate: false` the API
 * version's FHIR release and BB2 rules);
 * the walk never throws on a bad page but records why it stopped.
 *
 * A `next` link to another origin or resource is not followed: the client would send its token there.
 */
export async function walkSearch(client: FhirClient, resourceType: string, params: SearchParams = {}, options: WalkOptions = {}): Promise<SearchWalk> {
  const maxPages = options.maxPages ?? 200;
  const validate = options.validate ?? true;
  const resourceUrl = `${client.fhirBase}/${resourceType}`;
  const searchParams = searchQuery(params);

  const pages: WalkedPage[] = [];
  const resources: FhirResource[] = [];
  const pagingProblems: string[] = [];
  const duplicates: string[] = [];
  const violations: Violation[] = [];
  const notes: Violation[] = [];
  const firstSeen = new Map<string, number>();
  const visited = new Map<string, number>();
  let total: number | undefined;
  let stopped: string | undefined;

  let url = client.searchUrl(resourceType, params);
  for (let number = 1; ; number += 1) {
    visited.set(url, number);
    const query = URL.canParse(url) ? new URL(url).searchParams : new URLSearchParams();
    const request = pageRequestOf(query);
    const result = await client.get(url);
    const label = pageLabel({ number, request });
    const body = result.json;
    if (result.status !== 200 || !isBundle(body)) {
      const detail = result.status !== 200 ? `HTTP ${result.status}: ${result.bodyText.slice(0, 300)}` : `not a Bundle: ${result.bodyText.slice(0, 300)}`;
      pages.push({ number, url, request, result, resources: [] });
      stopped = `${label} answered ${detail}`;
      break;
    }
    const entries = bundleResources(body);
    pages.push({ number, url, request, result, resources: entries });
    resources.push(...entries);

    const pageTotal = bundleTotal(body);
    if (number === 1) total = pageTotal;
    if (pageTotal === undefined) pagingProblems.push(`${label}: Bundle.total missing or not a whole number`);
    else if (total !== undefined && pageTotal !== total) pagingProblems.push(`${label}: Bundle.total is ${pageTotal}, page 1 said ${total}`);

    if (pageTotal !== undefined) {
      const expectedLength = expectedPageLength({ ...request, total: pageTotal });
      if (entries.length !== expectedLength) {
        pagingProblems.push(`${label}: ${entries.length} entries, expected ${expectedLength} of total ${pageTotal}`);
      }
      for (const problem of pageLinkProblems(body, { ...request, total: pageTotal, resourceUrl, searchParams })) {
        pagingProblems.push(`${label}: ${problem}`);
      }
    }

    for (const resource of entries) {
      const id = resourceId(resource);
      if (id === undefined) continue;
      const key = `${resource.resourceType}/${id}`;
      const seen = firstSeen.get(key);
      if (seen === undefined) firstSeen.set(key, number);
      else duplicates.push(`${describe(resource)} on page ${number}, first seen on page ${seen}`);
    }

    if (validate) {
      const verdict = validateResource(body, { ...options.api?.validation, expectedType: 'Bundle', bb2: options.bb2 ?? {} });
      const onPage = (violation: Violation): Violation => ({ ...violation, path: `${label} › ${violation.path || '(root)'}` });
      violations.push(...verdict.violations.map(onPage));
      notes.push(...verdict.notes.map(onPage));
    }

    const next = bundleLinks(body).find((link) => link.relation === 'next')?.url;
    if (next === undefined) break;
    if (!isLinkForResource(next, resourceUrl)) {
      stopped = `${label}: "next" link ${next} is not a URL of ${resourceUrl}; not followed, the token would go there`;
      break;
    }
    // A next page must start further on; otherwise the chain would never end (or skip nothing new).
    const nextStart = pageRequestOf(new URL(next).searchParams).startIndex;
    const again = visited.get(next);
    if (again !== undefined || nextStart <= request.startIndex) {
      stopped = `${label}: "next" link goes back (to ${again === undefined ? `startIndex=${nextStart}` : `page ${again}`}): ${next}`;
      break;
    }
    if (number >= maxPages) {
      stopped = `${label}: still a "next" link after ${maxPages} pages; stopped`;
      break;
    }
    url = next;
  }

  return { pages, total, resources, stopped, pagingProblems, duplicates, violations, notes };
}

/**
 * Search mechanics shared by the behaviour rules: reading the query the way BB2's Django view does,
 * BB2's `type` validation pattern, and BFD's paging links (OffsetLinkBuilder) and Bundle.
 */
import { randomUUID } from 'node:crypto';
import { CLAIM_TYPES, type ClaimType } from '../data/index.js';
import { hapiInstant } from './dates.js';
import { lastUpdatedOf, type ApiVersion, type BundleLink, type FhirResource, type ForwardedParam, type ResourceType } from './types.js';

/** The client's query as BB2's `filter_parameters` sees it, before validation. */
export interface RawSearchQuery {
  /** QueryDict.dict() keeps the last value of a repeated parameter. */
  readonly startIndex: string | undefined;
  /** `count` is renamed to `_count` and wins over it (BB2 QUERY_TRANSFORMS). */
  readonly count: string | undefined;
  /** Repeatable. */
  readonly lastUpdated: readonly string[];
  /** ExplanationOfBenefit only. */
  readonly type: string | undefined;
  /** ExplanationOfBenefit only; repeatable. */
  readonly serviceDate: readonly string[];
  /** Patient only: the first non-blank `_id`, which BB2 compares with the token's patient before BFD. */
  readonly patientId: string | undefined;
}

function lastValue(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  return values[values.length - 1];
}

export function collectSearchQuery(resourceType: ResourceType, query: URLSearchParams): RawSearchQuery {
  const isEob = resourceType === 'ExplanationOfBenefit';
  return {
    startIndex: lastValue(query, 'startIndex'),
    count: lastValue(query, 'count') ?? lastValue(query, '_count'),
    lastUpdated: query.getAll('_lastUpdated'),
    type: isEob ? lastValue(query, 'type') : undefined,
    serviceDate: isEob ? query.getAll('service-date') : [],
    patientId: resourceType === 'Patient' ? query.getAll('_id').find((id) => id !== '') : undefined,
  };
}

/**
 * Python's int(): optional surrounding whitespace, a sign, digits with single underscores between
 * them (voluptuous Coerce(int) calls int()).
 */
export function parsePythonInt(text: string): number | undefined {
  const match = /^\s*([+-]?\d+(?:_\d+)*)\s*$/.exec(text);
  return match ? Number((match[1] as string).replaceAll('_', '')) : undefined;
}

const EOB_TYPE_SYSTEM = 'https://bluebutton.cms.gov/resources/codesystem/eob-type|';

/**
 * BB2's REGEX_TYPE_VALUES_LIST: one or more claim types, each optionally prefixed by the eob-type
 * system (or the bare system), separated by commas and spaces, case-insensitive.
 */
const TYPE_LIST = new RegExp(
  `^((${CLAIM_TYPES.join('|')}|${EOB_TYPE_SYSTEM.replace(/[.|/]/g, '\\$&')}(${CLAIM_TYPES.join('|')})?)\\s*,*\\s*)+$`,
  'i',
);

export function isValidTypeList(value: string): boolean {
  return TYPE_LIST.test(value);
}

/**
 * The claim types a valid `type` value selects, as FHIR token search reads it: each comma-separated
 * `[system|]code`; a bare `system|` selects every type of that system. Entries that passed BB2's loose
 * pattern but name no claim type (e.g. "carrierpde") select nothing.
 */
export function claimTypesOf(value: string): ReadonlySet<ClaimType> {
  const selected = new Set<ClaimType>();
  for (const raw of value.split(',')) {
    let token = raw.trim().toLowerCase();
    if (token === '') continue;
    if (token.startsWith(EOB_TYPE_SYSTEM)) {
      token = token.slice(EOB_TYPE_SYSTEM.length);
      if (token === '') CLAIM_TYPES.forEach((type) => selected.add(type));
    }
    const type = CLAIM_TYPES.find((candidate) => candidate === token);
    if (type !== undefined) selected.add(type);
  }
  return selected;
}

/** An EOB id is `{claim type}-{claim id}` (BFD), e.g. carrier--10114937820. */
export function claimTypeOfEob(eob: FhirResource): string {
  return eob.id.slice(0, eob.id.indexOf('-'));
}

export interface PageLinkInput {
  readonly baseUrl: string;
  /** The API version searched: links point back into /v{version}/fhir. */
  readonly version: ApiVersion;
  readonly resourceType: ResourceType;
  /** Everything BB2 sent to BFD, `_count` included, `startIndex` only if the client gave one. */
  readonly forwarded: readonly ForwardedParam[];
  readonly startIndex: number;
  readonly count: number;
  readonly total: number;
}

/**
 * BFD's OffsetLinkBuilder: first, next (if more follow), previous (if not on the first page), last,
 * then HAPI's self link. Paging URLs carry all forwarded parameters plus startIndex and _count, with
 * no slash before "?"; the order of parameters there is a Java HashMap's, so this fixes the one the
 * real sandbox shows (`_format`, `startIndex`, `_count`, then the rest). HAPI's self link has the
 * slash and sorted parameters.
 */
export function offsetPageLinks(input: PageLinkInput): BundleLink[] {
  const { baseUrl, version, resourceType, forwarded, startIndex, count, total } = input;
  const resourceUrl = `${baseUrl}/v${version}/fhir/${resourceType}`;
  const pairs = (params: readonly ForwardedParam[]) => params.map(([name, value]) => [name, value]);
  const format = pairs(forwarded.filter(([name]) => name === '_format'));
  const others = pairs(forwarded.filter(([name]) => name !== '_format' && name !== 'startIndex' && name !== '_count'));
  const pageUrl = (index: number) =>
    `${resourceUrl}?${new URLSearchParams([...format, ['startIndex', String(index)], ['_count', String(count)], ...others])}`;

  const links: BundleLink[] = [{ relation: 'first', url: pageUrl(0) }];
  if (startIndex + count < total) links.push({ relation: 'next', url: pageUrl(startIndex + count) });
  if (startIndex > 0) links.push({ relation: 'previous', url: pageUrl(Math.max(startIndex - count, 0)) });
  // Java integer division truncates toward zero: an empty result's last page starts at 0.
  links.push({ relation: 'last', url: pageUrl(Math.trunc((total - 1) / count) * count) });
  const sorted = [...forwarded].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  links.push({ relation: 'self', url: `${resourceUrl}/?${new URLSearchParams(pairs(sorted))}` });
  return links;
}

export interface SearchBundle {
  readonly resourceType: 'Bundle';
  readonly id: string;
  readonly meta: { readonly lastUpdated: string };
  readonly type: 'searchset';
  readonly total: number;
  readonly link: readonly BundleLink[];
  readonly entry?: ReadonlyArray<{ readonly resource: FhirResource }>;
}

/**
 * BFD's searchset Bundle (TransformerUtils.createBundle, TransformerUtilsV2.createBundle). Entries
 * carry only `resource`: BFD's bundles have no fullUrl, in STU3 and R4 alike (BFD golden responses, BB2
 * fixtures and the real sandbox's v2 capture agree).
 */
export function searchsetBundle(total: number, links: readonly BundleLink[], page: readonly FhirResource[], now: number): SearchBundle {
  const newest = page.reduce((latest, resource) => {
    const updated = Date.parse(lastUpdatedOf(resource) ?? '');
    return Number.isNaN(updated) ? latest : Math.max(latest, updated);
  }, now);
  const bundle = {
    resourceType: 'Bundle' as const,
    id: randomUUID(),
    meta: { lastUpdated: hapiInstant(newest) },
    type: 'searchset' as const,
    total,
    link: links,
  };
  return page.length === 0 ? bundle : { ...bundle, entry: page.map((resource) => ({ resource })) };
}

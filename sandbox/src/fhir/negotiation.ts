/**
 * Response media type of BB2's FHIR views. They are Django REST framework views with
 * `renderer_classes = [JSONRenderer, FHIRRenderer]` (apps/fhir/bluebutton/views/generic.py), so DRF's
 * DefaultContentNegotiation picks the type. Hand-written rather than using `negotiator` (what Koa's
 * ctx.accepts uses) because DRF's algorithm differs on purpose-relevant points: it ignores q-values,
 * ranks Accept entries only by specificity, lets renderer order break ties (so `*∕*` or no Accept
 * gives application/json), and echoes the client's media-type parameters into Content-Type.
 */

export const JSON_MEDIA_TYPE = 'application/json';
export const FHIR_JSON_MEDIA_TYPE = 'application/fhir+json';

/** In BB2's renderer order; both renderers have DRF format "json". */
const RENDERERS = [JSON_MEDIA_TYPE, FHIR_JSON_MEDIA_TYPE] as const;
const RENDERER_FORMAT = 'json';

interface MediaRange {
  readonly text: string;
  readonly mainType: string;
  readonly subType: string;
  readonly params: ReadonlyArray<readonly [string, string]>;
}

function parseMediaRange(text: string): MediaRange {
  const [fullType = '', ...rawParams] = text.split(';');
  const slash = fullType.indexOf('/');
  const mainType = (slash === -1 ? fullType : fullType.slice(0, slash)).trim();
  const subType = slash === -1 ? '' : fullType.slice(slash + 1).trim();
  const params: Array<readonly [string, string]> = [];
  for (const raw of rawParams) {
    const eq = raw.indexOf('=');
    if (eq === -1) continue;
    params.push([raw.slice(0, eq).trim().toLowerCase(), raw.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')]);
  }
  return { text: text.trim(), mainType, subType, params };
}

/** DRF `_MediaType.precedence`: 0 for `*∕*`, 1 for `type/*`, 2 for a full type, 3 with parameters besides q. */
function precedence(range: MediaRange): number {
  if (range.mainType === '*') return 0;
  if (range.subType === '*') return 1;
  return range.params.some(([name]) => name !== 'q') ? 3 : 2;
}

function rendererMatches(renderer: string, range: MediaRange): boolean {
  const [mainType, subType] = renderer.split('/') as [string, string];
  if (range.subType !== '*' && range.subType !== subType) return false;
  return range.mainType === '*' || range.mainType === mainType;
}

export type NegotiationResult =
  | { readonly ok: true; readonly mediaType: string }
  | { readonly ok: false; readonly status: 404 | 406; readonly detail: string };

/**
 * @param accept the raw Accept header, undefined when absent (DRF then assumes `*∕*`; an empty header is
 *   not absent and matches nothing, as in DRF)
 * @param formatOverride DRF's `?format=` query parameter
 */
export function negotiateMediaType(accept: string | undefined, formatOverride: string | null): NegotiationResult {
  if (formatOverride !== null && formatOverride !== RENDERER_FORMAT) {
    // DRF filter_renderers raises Http404 when no renderer has the requested format.
    return { ok: false, status: 404, detail: 'Not found.' };
  }
  const ranges = (accept ?? '*/*').split(',').map(parseMediaRange);
  for (const level of [3, 2, 1, 0]) {
    const group = ranges.filter((range) => precedence(range) === level);
    for (const renderer of RENDERERS) {
      for (const range of group) {
        if (!rendererMatches(renderer, range)) continue;
        if (level < 2) {
          // The renderer is more specific than what was asked: DRF answers with the renderer's type
          // plus the Accept entry's parameters (q included).
          const params = range.params.map(([name, value]) => `${name}=${value}`);
          return { ok: true, mediaType: [renderer, ...params].join(';') };
        }
        return { ok: true, mediaType: range.text };
      }
    }
  }
  return { ok: false, status: 406, detail: 'Could not satisfy the request Accept header.' };
}

/**
 * A response's body, read and parsed once however many readers ask: the request recorder (the report's
 * record of the exchange) and the clients that turn it into results both read every response, and an
 * ExplanationOfBenefit page can be megabytes of JSON (docs/performance.md §10).
 */
import type { APIResponse } from '@playwright/test';

export interface ResponseBody {
  readonly text: string;
  /** The parsed body when the response declares JSON (a content type containing "json") and is JSON; else undefined. */
  readonly json: { readonly value: unknown } | undefined;
}

const bodies = new WeakMap<APIResponse, Promise<ResponseBody>>();

async function parse(response: APIResponse): Promise<ResponseBody> {
  const text = await response.text();
  if (text.length === 0 || !/json/i.test(response.headers()['content-type'] ?? '')) return { text, json: undefined };
  try {
    return { text, json: { value: JSON.parse(text) as unknown } };
  } catch {
    // Declared JSON but is not: readers show the text.
    return { text, json: undefined };
  }
}

/** The body of `response`; the same promise for every caller. Readers must not modify the parsed value. */
export function responseBody(response: APIResponse): Promise<ResponseBody> {
  let body = bodies.get(response);
  if (body === undefined) {
    body = parse(response);
    bodies.set(response, body);
  }
  return body;
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { APIResponse } from '@playwright/test';
import { responseBody } from './response-body.js';

function fakeResponse(text: string, contentType: string): APIResponse & { reads: number } {
  const response = {
    reads: 0,
    headers: () => ({ 'content-type': contentType }),
    text: async () => {
      response.reads += 1;
      return text;
    },
  };
  return response as unknown as APIResponse & { reads: number };
}

describe('responseBody', () => {
  it('reads and parses a JSON body once for every caller, who all get the same value', async () => {
    const response = fakeResponse('{"resourceType":"Bundle","total":2}', 'application/fhir+json;charset=utf-8');
    const [first, second] = await Promise.all([responseBody(response), responseBody(response)]);
    const third = await responseBody(response);
    assert.equal(response.reads, 1);
    assert.deepEqual(first.json?.value, { resourceType: 'Bundle', total: 2 });
    assert.equal(second.json?.value, first.json?.value);
    assert.equal(third, first);
  });

  it('leaves a body unparsed when it is not declared JSON, is empty, or is not JSON after all', async () => {
    assert.equal((await responseBody(fakeResponse('{"a":1}', 'text/html'))).json, undefined);
    assert.equal((await responseBody(fakeResponse('', 'application/json'))).json, undefined);
    const broken = await responseBody(fakeResponse('<html>oops</html>', 'application/json'));
    assert.equal(broken.json, undefined);
    assert.equal(broken.text, '<html>oops</html>');
  });

  it('keeps a JSON null as a parsed value, distinct from no JSON', async () => {
    assert.deepEqual((await responseBody(fakeResponse('null', 'application/json'))).json, { value: null });
  });
});

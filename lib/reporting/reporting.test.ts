import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIRequestContext, APIResponse } from '@playwright/test';
import type { FullConfig } from '@playwright/test/reporter';
import { bb2Endpoints } from '../oauth/endpoints.js';
import { curlCommand, describeRequest, recordingRequestContext, type SecretLookup } from './recorded-request.js';
import { Redactor } from './redactor.js';
import { shellVariableFor } from './secret-channel.js';
import { TargetUnavailableError } from './target-errors.js';
// @ts-expect-error -- plain JavaScript shared with allurerc.mjs, without type declarations
import { failureCause } from './failure-causes.mjs';

const endpoints = bb2Endpoints('https://sandbox.example', 'v1');

describe('Redactor', () => {
  it('replaces a value raw, URL-encoded, JSON-escaped and as Basic credentials', () => {
    const redactor = new Redactor();
    redactor.addClient('client0000', 'se cr/et"+=!');
    const basic = Buffer.from(`client0000:${encodeURIComponent('se cr/et"+=!')}`).toString('base64');
    const text = `raw se cr/et"+=! url ${encodeURIComponent('se cr/et"+=!')} form ${new URLSearchParams({ s: 'se cr/et"+=!' }).toString()} json ${JSON.stringify({ s: 'se cr/et"+=!' })} basic ${basic}`;
    const redacted = redactor.redact(text);
    assert.equal(redacted.includes('cr/et'), false, redacted);
    assert.equal(redacted.includes(basic), false);
    assert.equal(redactor.contains(text), true);
    assert.equal(redactor.contains(redacted), false);
  });

  it('ignores values too short to be secrets', () => {
    const redactor = new Redactor();
    assert.equal(redactor.add('abc'), false);
    assert.equal(redactor.redact('abc'), 'abc');
  });
});

describe('request steps and curl commands', () => {
  it('names FHIR pages and OAuth grants as a reader follows them', () => {
    assert.equal(describeRequest('GET', 'https://sandbox.example/v1/fhir/ExplanationOfBenefit/?startIndex=20&_count=10', endpoints), 'GET ExplanationOfBenefit page 3');
    assert.equal(describeRequest('GET', 'https://sandbox.example/v1/fhir/ExplanationOfBenefit/?type=carrier', endpoints), 'GET ExplanationOfBenefit (type=carrier)');
    assert.equal(describeRequest('POST', 'https://sandbox.example/v1/o/token/', endpoints, { grant_type: 'refresh_token' }), 'POST token (refresh_token)');
  });

  it('puts secrets into shell variables and keeps made-up values literal', () => {
    const secrets: SecretLookup = {
      variableFor: (value) => ({ tokenValue12345: 'BB2_ACCESS_TOKEN', secretValue12345: 'BB2_CLIENT_SECRET' })[value],
      redact: (text) => text,
    };
    const curl = curlCommand(
      {
        method: 'POST',
        url: 'https://sandbox.example/v1/o/introspect/',
        requestHeaders: { Authorization: `Basic ${Buffer.from('client0000:secretValue12345').toString('base64')}` },
        requestBody: { token: 'tokenValue12345', hint: 'made-up' },
      },
      secrets,
      'client0000',
    );
    assert.match(curl, /-u "\$BB2_CLIENT_ID:\$BB2_CLIENT_SECRET"/);
    assert.match(curl, /--data-urlencode "token=\$BB2_ACCESS_TOKEN"/);
    assert.match(curl, /--data-urlencode 'hint=made-up'/);
    assert.equal(shellVariableFor('PKCE verifier'), 'BB2_PKCE_VERIFIER');
  });
});

describe('transient faults', () => {
  function fakeContext(statuses: number[], headers: Record<string, string> = {}): { context: APIRequestContext; calls: () => number } {
    let calls = 0;
    const fetch = async () => {
      const status = statuses[Math.min(calls, statuses.length - 1)] as number;
      calls += 1;
      return { status: () => status, headers: () => headers, text: async () => '', statusText: () => '' } as unknown as APIResponse;
    };
    // The wrapper sends every method through fetch; get and post only need to exist, as on a real context.
    const context = { fetch, get: fetch, post: fetch } as unknown as APIRequestContext;
    return { context, calls: () => calls };
  }
  const secrets: SecretLookup = { variableFor: () => undefined, redact: (text) => text };

  it('retries a GET answered 503, honouring Retry-After, and returns the later answer', async () => {
    const waits: number[] = [];
    const fake = fakeContext([503, 200], { 'retry-after': '2' });
    const request = recordingRequestContext(fake.context, { endpoints, clientId: 'c', retries: 2, secrets, sleep: async (ms) => void waits.push(ms) });
    const response = await request.get('https://sandbox.example/v1/fhir/metadata');
    assert.equal(response.status(), 200);
    assert.deepEqual(waits, [2000]);
  });

  it('gives up after the retries with "target unavailable", and never repeats a code exchange', async () => {
    const fake = fakeContext([503]);
    const request = recordingRequestContext(fake.context, { endpoints, clientId: 'c', retries: 2, secrets, sleep: async () => undefined });
    await assert.rejects(request.get('https://sandbox.example/v1/fhir/Patient/'), (error: unknown) => error instanceof TargetUnavailableError && /^target unavailable: GET Patient answered 503 after 3/.test(error.message));
    assert.equal(fake.calls(), 3);
    const token = fakeContext([503]);
    const oauth = recordingRequestContext(token.context, { endpoints, clientId: 'c', retries: 2, secrets, sleep: async () => undefined });
    await assert.rejects(oauth.post(endpoints.token, { form: { grant_type: 'authorization_code' } }), TargetUnavailableError);
    assert.equal(token.calls(), 1);
  });

  it('returns a 500 to the check without calling the target unavailable', async () => {
    const fake = fakeContext([500]);
    const request = recordingRequestContext(fake.context, { endpoints, clientId: 'c', retries: 1, secrets, sleep: async () => undefined });
    assert.equal((await request.get('https://sandbox.example/v1/fhir/Patient/')).status(), 500);
    assert.equal(fake.calls(), 2);
  });
});

describe('failure causes (Allure categories and the nightly summary)', () => {
  const causeOf = (message: string): string => (failureCause(message) as { id: string }).id;

  it('files each kind of failure message under its cause', () => {
    assert.equal(causeOf(new TargetUnavailableError('GET metadata answered 503 after 3 attempt(s)').toString()), 'target-unavailable');
    assert.equal(causeOf('Error: apiRequestContext.get: connect ECONNREFUSED 127.0.0.1:8003'), 'target-unavailable');
    assert.equal(causeOf('Error: expect(received).toBe(expected)\n\nExpected: 401\nReceived: 200'), 'conformance');
    assert.equal(causeOf('Error: expect(received).toBeValidStu3(expected)\n\n1 violation:'), 'conformance');
    assert.equal(causeOf('NonconformantRedirectError: the redirect to http://localhost:8000/callback returned state null'), 'conformance');
    assert.equal(causeOf('AuthorizationFlowError: authorizing as BBUser00002, logging in led to an error page'), 'authorization-flow');
    assert.equal(causeOf("TypeError: Cannot read properties of undefined (reading 'entry')"), 'suite');
  });
});

describe('the Allure reporter under playwright merge-reports', () => {
  it('accepts a configuration that has no projects yet, where allure-playwright itself throws', async () => {
    const { default: MergeSafeAllureReporter } = await import('./allure-reporter.js');
    const { default: allurePlaywright } = await import('allure-playwright');
    const merged = { projects: [], metadata: {} } as unknown as FullConfig;
    const resultsDir = mkdtempSync(path.join(tmpdir(), 'allure-merge-'));
    try {
      assert.throws(() => new allurePlaywright.default({ resultsDir }).onConfigure(merged), TypeError);
      assert.doesNotThrow(() => new MergeSafeAllureReporter({ resultsDir }).onConfigure(merged));
    } finally {
      rmSync(resultsDir, { recursive: true, force: true });
    }
  });
});

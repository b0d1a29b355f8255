import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { buildAuthorizeRequest } from './authorize-request.js';
import { bb2Endpoints } from './endpoints.js';
import { createDifferentVerifier, createPkcePair, createState, isValidVerifier, s256Challenge } from './pkce.js';
import { redactJson, Secret } from './secret.js';

describe('PKCE', () => {
  it('computes the S256 challenge of RFC 7636 Appendix B', () => {
    assert.equal(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes fresh verifiers of 43 to 128 unreserved characters with their challenge', () => {
    for (const length of [43, 64, 128]) {
      const pair = createPkcePair(length);
      assert.equal(pair.verifier.length, length);
      assert.ok(isValidVerifier(pair.verifier.reveal()));
      assert.equal(pair.challenge, s256Challenge(pair.verifier.reveal()));
      assert.equal(pair.method, 'S256');
    }
    assert.notEqual(createPkcePair().verifier.reveal(), createPkcePair().verifier.reveal());
  });

  it('refuses verifier lengths outside RFC 7636 §4.1', () => {
    assert.throws(() => createPkcePair(42), RangeError);
    assert.throws(() => createPkcePair(129), RangeError);
    assert.equal(isValidVerifier('a'.repeat(42)), false);
    assert.equal(isValidVerifier(`${'a'.repeat(42)}+`), false);
  });

  it('gives a different valid verifier for "wrong verifier" checks', () => {
    const pair = createPkcePair();
    const other = createDifferentVerifier(pair.verifier);
    assert.equal(other.length, pair.verifier.length);
    assert.ok(!other.equals(pair.verifier));
    assert.ok(isValidVerifier(other.reveal()));
  });

  it('makes random states of at least 16 characters (BB2-OAUTH-STATE-02)', () => {
    assert.equal(createState().length, 32);
    assert.notEqual(createState(), createState());
    assert.throws(() => createState(15), RangeError);
  });
});

describe('Secret and redaction', () => {
  it('never shows the value when printed, serialised or interpolated', () => {
    const secret = new Secret('s3cr3t-value', 'access token');
    const printed = [String(secret), `${secret}`, JSON.stringify({ secret }), inspect({ secret }, { depth: 5 })].join(' ');
    assert.ok(!printed.includes('s3cr3t-value'), printed);
    assert.equal(secret.reveal(), 's3cr3t-value');
    assert.ok(secret.equals('s3cr3t-value'));
  });

  it('redacts secret fields of JSON bodies but keeps their type and length', () => {
    const body = { access_token: 'abc', refresh_token: 'defg', expires_in: 3600, nested: [{ code: 'xyz' }], patient: '-1' };
    assert.deepEqual(redactJson(body), {
      access_token: '[redacted] (3 characters)',
      refresh_token: '[redacted] (4 characters)',
      expires_in: 3600,
      nested: [{ code: '[redacted] (3 characters)' }],
      patient: '-1',
    });
    assert.deepEqual(redactJson({ access_token: 42 }), { access_token: 42 }, 'a non-string keeps its (wrong) type for the checks');
  });
});

describe('authorize requests', () => {
  const endpoints = bb2Endpoints('https://sandbox.example/', 'v1');

  it("carries BB2's required parameters with a fresh state and S256 challenge", () => {
    const request = buildAuthorizeRequest({ endpoints, clientId: 'client', redirectUri: 'http://localhost:8000/callback' });
    const url = new URL(request.url);
    assert.equal(`${url.origin}${url.pathname}`, 'https://sandbox.example/v1/o/authorize/');
    assert.deepEqual([...url.searchParams.keys()], ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method']);
    assert.equal(url.searchParams.get('state'), request.state);
    assert.equal(url.searchParams.get('code_challenge'), s256Challenge(request.pkce.verifier.reveal()));
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(!request.url.includes(request.pkce.verifier.reveal()), 'the verifier never travels in the URL');
  });

  it('changes or removes parameters through overrides', () => {
    const request = buildAuthorizeRequest({
      endpoints,
      clientId: 'client',
      redirectUri: 'http://localhost:8000/callback',
      scope: 'openid profile',
      overrides: { state: null, code_challenge_method: 'plain', lang: 'es' },
    });
    const url = new URL(request.url);
    assert.equal(request.state, undefined);
    assert.equal(url.searchParams.has('state'), false);
    assert.equal(url.searchParams.get('code_challenge_method'), 'plain');
    assert.equal(url.searchParams.get('lang'), 'es');
    assert.equal(url.searchParams.get('scope'), 'openid profile');
  });
});

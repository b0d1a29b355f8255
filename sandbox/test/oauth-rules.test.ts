/** BB2's OAuth rules as pure functions: scopes, the /authorize checks, and response encoding helpers. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultOAuthBehaviour as rules, type ParamLookup } from '../src/oauth/behaviour.js';
import { basicCredentials } from '../src/oauth/applications.js';
import { pythonJson, quotePlus } from '../src/oauth/http.js';
import { condenseScopes, splitScopes } from '../src/oauth/scopes.js';

function params(values: Record<string, string>): ParamLookup {
  const search = new URLSearchParams(values);
  return { get: (name) => search.get(name) ?? undefined, has: (name) => search.has(name) };
}

async function body(reply: ReturnType<typeof rules.requirePkceAndState>): Promise<unknown> {
  assert.ok(reply);
  return JSON.parse(reply.body);
}

describe('scopes (BB2-OAUTH-SCOPE-*)', () => {
  it('condenses .r + .s or .rs to .rs and keeps .read', () => {
    assert.deepEqual(condenseScopes(['patient/Patient.r', 'patient/Patient.s', 'openid']), ['patient/Patient.rs', 'openid']);
    assert.deepEqual(condenseScopes(['patient/Coverage.r', 'patient/Coverage.rs']), ['patient/Coverage.rs']);
    assert.deepEqual(condenseScopes(['patient/Coverage.r']), ['patient/Coverage.r']);
    assert.deepEqual(condenseScopes(['patient/Coverage.read', 'patient/Coverage.s']), ['patient/Coverage.read', 'patient/Coverage.s']);
  });

  it('defaults to every default capability, condensed', () => {
    assert.deepEqual(rules.resolveRequestedScopes(undefined), [
      'profile',
      'openid',
      'launch/patient',
      'patient/Patient.read',
      'patient/Patient.rs',
      'patient/Coverage.read',
      'patient/Coverage.rs',
      'patient/ExplanationOfBenefit.read',
      'patient/ExplanationOfBenefit.rs',
    ]);
    assert.deepEqual(rules.resolveRequestedScopes(''), rules.resolveRequestedScopes(undefined));
  });

  it('refuses scopes outside the available set and splits like oauthlib', () => {
    assert.equal(rules.resolveRequestedScopes('openid patient/Observation.read'), undefined);
    assert.equal(rules.resolveRequestedScopes('token_management'), undefined);
    assert.deepEqual(splitScopes('  openid  openid profile '), ['openid', 'profile']);
  });

  it('withholds only the demographic scopes, and only when not shared', () => {
    const all = rules.resolveRequestedScopes(undefined) ?? [];
    assert.deepEqual(rules.withheldScopes(all, true), []);
    assert.deepEqual(rules.withheldScopes(all, false), ['profile', 'patient/Patient.read', 'patient/Patient.rs']);
  });
});

describe('/authorize checks (BB2-OAUTH-CLIENT-*, -PKCE-*, -STATE-*)', () => {
  const complete = { code_challenge: 'c'.repeat(43), code_challenge_method: 'S256', state: 's'.repeat(16) };

  it('passes a complete request', () => {
    assert.equal(rules.requirePkceAndState(params(complete)), undefined);
  });

  it('checks the method first, then the state length, then lists what is missing', async () => {
    assert.deepEqual(await body(rules.requirePkceAndState(params({ state: 'short', code_challenge_method: 'plain' }))), {
      status_code: 400,
      error: 'invalid_request',
      error_description: 'code_challenge_method must be S256',
    });
    assert.deepEqual(await body(rules.requirePkceAndState(params({ state: 'short' }))), {
      status_code: 400,
      message: 'State parameter should have a minimum of 16 characters',
    });
    assert.deepEqual(await body(rules.requirePkceAndState(params({ ...complete, code_challenge: '', state: '' }))), {
      status_code: 400,
      message: 'Missing Required Parameter(s): code_challenge, state',
    });
  });

  it('refuses client_secret even when empty, and requires state in a POST body', () => {
    const reply = rules.rejectIllegalQueryParameters(params({ client_secret: '' }));
    assert.equal(reply?.status, 400);
    assert.equal(reply?.body, 'Illegal query parameter [client_secret] detected');
    assert.equal(rules.requirePostState(params({}))?.status, 401);
    assert.equal(rules.requirePostState(params({ state: 'x' })), undefined);
  });

  it('accepts only 40-alphanumeric client ids', () => {
    assert.ok(rules.clientIdFormatIsValid('a'.repeat(40)));
    assert.ok(!rules.clientIdFormatIsValid('a'.repeat(39)));
    assert.ok(!rules.clientIdFormatIsValid(`${'a'.repeat(39)}-`));
  });

  it('strips challenge padding and defaults to the first redirect URI', () => {
    assert.equal(rules.normalizeCodeChallenge('abc=='), 'abc');
    assert.equal(rules.defaultRedirectUri(['https://a/cb', 'https://b/cb']), 'https://a/cb');
  });
});

describe('grant and token rules (BB2-OAUTH-TOKEN-*, -REFRESH-*)', () => {
  it('shapes the token response in BB2 key order', () => {
    const shaped = rules.shapeTokenResponse({
      accessToken: 'a',
      expiresIn: 3600,
      tokenType: 'Bearer',
      scope: 'openid',
      refreshToken: 'r',
      patient: '-1',
      accessGrantExpiration: '2027-01-01T00:00:00Z',
    });
    assert.deepEqual(Object.keys(shaped), ['access_token', 'expires_in', 'token_type', 'scope', 'refresh_token', 'patient', 'access_grant_expiration']);
  });

  it('refuses a refresh without a current DataAccessGrant', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    assert.equal(rules.checkDataAccessGrantOnRefresh(undefined, now)?.status, 403);
    assert.equal(rules.checkDataAccessGrantOnRefresh({ expiresAt: now }, now)?.status, 401);
    assert.equal(rules.checkDataAccessGrantOnRefresh({ expiresAt: new Date('2026-02-01T00:00:00Z') }, now), undefined);
  });

  it('uses access tokens until they expire', () => {
    assert.ok(rules.isAccessTokenUsable({ expiresAt: 101 }, 100));
    assert.ok(!rules.isAccessTokenUsable({ expiresAt: 100 }, 100));
  });
});

describe('encoding helpers', () => {
  it('serialises JSON with Python\'s separators without touching string contents', () => {
    assert.equal(pythonJson({ a: 1, b: ['x', 'y'], c: 'k: v, w' }), '{"a": 1, "b": ["x", "y"], "c": "k: v, w"}');
    assert.equal(pythonJson({ q: 'say \\"a, b\\"' }), '{"q": "say \\\\\\"a, b\\\\\\""}');
  });

  it('quotes like Python quote_plus, keeping slashes', () => {
    assert.equal(quotePlus('/v2/o/authorize/?a=b c&d=é'), '/v2/o/authorize/%3Fa%3Db+c%26d%3D%C3%A9');
  });

  it('reads Basic credentials and splits at the first colon', () => {
    assert.deepEqual(basicCredentials(`Basic ${Buffer.from('id:se:cret').toString('base64')}`), { clientId: 'id', secret: 'se:cret' });
    assert.equal(basicCredentials('Bearer abc'), undefined);
    assert.equal(basicCredentials('Basic %%%'), undefined);
  });
});

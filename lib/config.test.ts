import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { LOCAL_CLIENT } from './embedded-sandbox.js';
import {
  ConfigError,
  credentialsFor,
  DEFAULTS,
  loadSuiteConfig,
  parseSuiteConfig,
  resolveBaseUrl,
  usersForWorker,
  v2DeviationsFor,
} from './config.js';

const REAL_CLIENT_ID = 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0';
const REAL_SECRET = 'zZ9yY8xX7wW6-not-printed-ever-1234567890';
const EXTERNAL = {
  BB2_BASE_URL: 'https://sandbox.bluebutton.cms.gov/',
  BB2_CLIENT_ID: REAL_CLIENT_ID,
  BB2_CLIENT_SECRET: REAL_SECRET,
};

/** The ConfigError's message, asserting that the call throws one. */
function messageOf(env: Record<string, string | undefined>): string {
  try {
    parseSuiteConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected the configuration to be rejected');
}

describe('parseSuiteConfig: good values', () => {
  it('an empty environment means the embedded sandbox with its local client and the defaults', () => {
    const config = parseSuiteConfig({});
    assert.deepEqual(config.target, { kind: 'embedded' });
    assert.equal(config.client.id, LOCAL_CLIENT.id);
    assert.ok(config.client.secret.equals(LOCAL_CLIENT.secret));
    assert.equal(config.client.redirectUri, DEFAULTS.redirectUri);
    assert.deepEqual(config.apiVersions, ['v1', 'v2']);
    assert.equal(config.users.length, 100);
    assert.equal(config.users[0], 'BBUser00000');
    assert.equal(config.users[99], 'BBUser00099');
    assert.deepEqual(config.timeouts, { requestMs: 15_000, navigationMs: 30_000 });
  });

  it('an empty BB2_BASE_URL (as `BB2_BASE_URL=` in .env) also means the embedded sandbox', () => {
    assert.deepEqual(parseSuiteConfig({ BB2_BASE_URL: '  ' }).target, { kind: 'embedded' });
  });

  it('an external target takes its client from the environment and loses the trailing slash', () => {
    const config = parseSuiteConfig({ ...EXTERNAL, BB2_REDIRECT_URI: 'https://app.example.org/cb' });
    assert.deepEqual(config.target, { kind: 'external', baseUrl: 'https://sandbox.bluebutton.cms.gov' });
    assert.equal(config.client.id, REAL_CLIENT_ID);
    assert.ok(config.client.secret.equals(REAL_SECRET));
    assert.equal(config.client.redirectUri, 'https://app.example.org/cb');
  });

  it('a base URL with a path prefix (a proxy) is kept', () => {
    const config = parseSuiteConfig({ ...EXTERNAL, BB2_BASE_URL: 'http://127.0.0.1:9000/bb2/' });
    assert.deepEqual(config.target, { kind: 'external', baseUrl: 'http://127.0.0.1:9000/bb2' });
  });

  it('BB2_CLAIMS_USERS takes the same syntax, and is undefined when unset', () => {
    assert.deepEqual(parseSuiteConfig({ BB2_CLAIMS_USERS: 'BBUser29999, BBUser10001-BBUser10002' }).claimsUsers, ['BBUser29999', 'BBUser10001', 'BBUser10002']);
    assert.equal(parseSuiteConfig({}).claimsUsers, undefined);
  });

  it('BB2_USERS accepts a list, a range and a mix, in order and without duplicates', () => {
    assert.deepEqual(parseSuiteConfig({ BB2_USERS: 'BBUser00001, BBUser00002' }).users, ['BBUser00001', 'BBUser00002']);
    assert.deepEqual(parseSuiteConfig({ BB2_USERS: 'BBUser00010-BBUser00012' }).users, ['BBUser00010', 'BBUser00011', 'BBUser00012']);
    assert.deepEqual(parseSuiteConfig({ BB2_USERS: 'BBUser00005,BBUser00003 - BBUser00005' }).users, [
      'BBUser00005',
      'BBUser00003',
      'BBUser00004',
    ]);
  });

  it('the embedded client may be named explicitly', () => {
    const config = parseSuiteConfig({ BB2_CLIENT_ID: LOCAL_CLIENT.id, BB2_CLIENT_SECRET: LOCAL_CLIENT.secret });
    assert.equal(config.client.id, LOCAL_CLIENT.id);
  });

  it('timeouts and the API version are read', () => {
    const config = parseSuiteConfig({ BB2_TIMEOUT_MS: '5000', BB2_NAVIGATION_TIMEOUT_MS: '60000', BB2_API_VERSION: 'v1' });
    assert.deepEqual(config.timeouts, { requestMs: 5_000, navigationMs: 60_000 });
    assert.deepEqual(config.apiVersions, ['v1']);
  });

  it('BB2_API_VERSION chooses v1, v2 or both, in any order and spelling of the list', () => {
    assert.deepEqual(parseSuiteConfig({ BB2_API_VERSION: 'v2' }).apiVersions, ['v2']);
    assert.deepEqual(parseSuiteConfig({ BB2_API_VERSION: 'both' }).apiVersions, ['v1', 'v2']);
    assert.deepEqual(parseSuiteConfig({ BB2_API_VERSION: 'v2, v1' }).apiVersions, ['v1', 'v2']);
    assert.deepEqual(parseSuiteConfig({ BB2_API_VERSION: 'v2,v2' }).apiVersions, ['v2']);
  });

  it('the known v2 deviations: all against the real sandbox, current against any other target, unless set', () => {
    assert.equal(v2DeviationsFor(parseSuiteConfig({})), 'current');
    assert.equal(v2DeviationsFor(parseSuiteConfig(EXTERNAL)), 'all');
    assert.equal(v2DeviationsFor(parseSuiteConfig({ ...EXTERNAL, BB2_BASE_URL: 'http://127.0.0.1:9100' })), 'current');
    assert.equal(v2DeviationsFor(parseSuiteConfig({ ...EXTERNAL, BB2_V2_KNOWN_DEVIATIONS: 'current' })), 'current');
    assert.equal(v2DeviationsFor(parseSuiteConfig({ BB2_V2_KNOWN_DEVIATIONS: 'all' })), 'all');
  });
});

describe('parseSuiteConfig: bad values give one message naming the variable', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['a base URL that is not a URL', { ...EXTERNAL, BB2_BASE_URL: 'sandbox.bluebutton.cms.gov' }, /BB2_BASE_URL must be an http:\/\/ or https:\/\/ URL/],
    ['a base URL of another scheme', { ...EXTERNAL, BB2_BASE_URL: 'ftp://sandbox.bluebutton.cms.gov' }, /BB2_BASE_URL must be an http/],
    ['a base URL with a query', { ...EXTERNAL, BB2_BASE_URL: 'https://sandbox.bluebutton.cms.gov/?x=1' }, /BB2_BASE_URL must be a base URL without query/],
    ['a missing client id for an external target', { BB2_BASE_URL: EXTERNAL.BB2_BASE_URL, BB2_CLIENT_SECRET: REAL_SECRET }, /BB2_CLIENT_ID is required when BB2_BASE_URL is set/],
    ['a missing secret for an external target', { BB2_BASE_URL: EXTERNAL.BB2_BASE_URL, BB2_CLIENT_ID: REAL_CLIENT_ID }, /BB2_CLIENT_SECRET is required when BB2_BASE_URL is set/],
    ['a malformed client id', { ...EXTERNAL, BB2_CLIENT_ID: 'short-id' }, /BB2_CLIENT_ID must be the 40 letters and digits/],
    ['a secret with a space', { ...EXTERNAL, BB2_CLIENT_SECRET: 'abc def' }, /BB2_CLIENT_SECRET must not contain spaces/],
    ['a relative redirect URI', { BB2_REDIRECT_URI: '/callback' }, /BB2_REDIRECT_URI must be an absolute URL/],
    ['a redirect URI with a fragment', { ...EXTERNAL, BB2_REDIRECT_URI: 'http://localhost:8000/callback#x' }, /BB2_REDIRECT_URI must not contain a fragment/],
    ['a redirect URI the embedded client lacks', { BB2_REDIRECT_URI: 'http://localhost:9999/cb' }, /BB2_REDIRECT_URI must be one the embedded sandbox's client registered/],
    ['API version 1', { BB2_API_VERSION: '1' }, /BB2_API_VERSION must be v1, v2, or both \(v1,v2\), got "1"/],
    ['API version v3 in a list', { BB2_API_VERSION: 'v1,v3' }, /BB2_API_VERSION must be v1, v2, or both \(v1,v2\), got "v3"/],
    ['an API version list with an empty item', { BB2_API_VERSION: 'v1,' }, /BB2_API_VERSION must be v1, v2, or both \(v1,v2\), got "v1,"/],
    ['an unknown deviation mode', { BB2_V2_KNOWN_DEVIATIONS: 'none' }, /BB2_V2_KNOWN_DEVIATIONS must be current or all, got "none"/],
    ['a user name of the wrong shape', { BB2_USERS: 'BBUser1' }, /BB2_USERS "BBUser1" is neither a synthetic user/],
    ['a reversed range', { BB2_USERS: 'BBUser00009-BBUser00001' }, /BB2_USERS range "BBUser00009-BBUser00001" ends before it starts/],
    ['an empty list item', { BB2_USERS: 'BBUser00001,,BBUser00002' }, /BB2_USERS has an empty item/],
    ['a user the embedded sandbox lacks', { BB2_USERS: 'BBUser35000' }, /BB2_USERS names BBUser35000, but the embedded sandbox has BBUser00000 to BBUser29999 only/],
    ['a claims user the embedded sandbox lacks', { BB2_CLAIMS_USERS: 'BBUser35000' }, /BB2_CLAIMS_USERS names BBUser35000/],
    ['a malformed claims user list', { BB2_CLAIMS_USERS: 'BBUser1' }, /BB2_CLAIMS_USERS "BBUser1" is neither a synthetic user/],
    ['claims users that are also BB2_USERS', { BB2_USERS: 'BBUser00000-BBUser00009', BB2_CLAIMS_USERS: 'BBUser00003' }, /BB2_CLAIMS_USERS and BB2_USERS both list BBUser00003/],
    ['a timeout that is not a number', { BB2_TIMEOUT_MS: '10s' }, /BB2_TIMEOUT_MS must be a whole number of milliseconds/],
    ['a timeout too short', { BB2_NAVIGATION_TIMEOUT_MS: '10' }, /BB2_NAVIGATION_TIMEOUT_MS must be at least 1000 ms/],
    ['a foreign client id without a base URL', { BB2_CLIENT_ID: REAL_CLIENT_ID }, /BB2_CLIENT_ID is set but BB2_BASE_URL is not/],
    ['a foreign secret without a base URL', { BB2_CLIENT_SECRET: REAL_SECRET }, /BB2_CLIENT_SECRET is set but BB2_BASE_URL is not/],
  ];
  for (const [name, env, expected] of cases) {
    it(name, () => {
      const message = messageOf(env);
      assert.match(message, expected);
      assert.match(message, /^Invalid suite configuration/);
      assert.doesNotMatch(message, /\n\s+at /, 'no stack trace in the message');
    });
  }

  it('lists every bad variable in the one message', () => {
    const message = messageOf({ BB2_API_VERSION: 'v3', BB2_TIMEOUT_MS: 'x', BB2_USERS: 'nobody' });
    assert.match(message, /BB2_API_VERSION/);
    assert.match(message, /BB2_TIMEOUT_MS/);
    assert.match(message, /BB2_USERS/);
  });

  it('never prints a secret, neither in an error nor when the configuration is inspected', () => {
    const secrets = [REAL_SECRET, 'has a space in it-SECRETVALUE', 'SECRETVALUE-foreign'];
    for (const secret of secrets) {
      for (const env of [{ ...EXTERNAL, BB2_CLIENT_SECRET: secret }, { BB2_CLIENT_SECRET: secret }, { ...EXTERNAL, BB2_CLIENT_SECRET: secret, BB2_CLIENT_ID: 'x' }]) {
        let text: string;
        try {
          text = inspect(parseSuiteConfig(env), { depth: 10 }) + JSON.stringify(parseSuiteConfig(env));
        } catch (error) {
          text = String((error as Error).message);
        }
        assert.ok(!text.includes(secret), `secret leaked into: ${text.replace(secret, '<the secret>')}`);
        assert.ok(!text.includes('SECRETVALUE'));
      }
    }
    const config = parseSuiteConfig({});
    const printed = `${inspect(config, { depth: 10 })} ${JSON.stringify(config)} ${String(config.client.secret)}`;
    assert.ok(!printed.includes(LOCAL_CLIENT.secret));
  });
});

describe('loadSuiteConfig', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bb2-config-'));

  it('reads .env but lets variables already in the environment win', () => {
    const envFile = path.join(dir, '.env');
    writeFileSync(envFile, 'BB2_USERS=BBUser00001\nBB2_TIMEOUT_MS=2000\n');
    const env: Record<string, string | undefined> = { BB2_TIMEOUT_MS: '3000' };
    const config = loadSuiteConfig({ envFile, env });
    assert.deepEqual(config.users, ['BBUser00001']);
    assert.equal(config.timeouts.requestMs, 3_000);
    assert.equal(env.BB2_USERS, 'BBUser00001', 'the .env value is put into the environment for the workers');
  });

  it('works without a .env file', () => {
    assert.equal(loadSuiteConfig({ envFile: path.join(dir, 'missing.env'), env: {} }).target.kind, 'embedded');
  });

  it('reports a bad .env value by its variable name', () => {
    const envFile = path.join(dir, 'bad.env');
    writeFileSync(envFile, 'BB2_API_VERSION=v3\n');
    assert.throws(() => loadSuiteConfig({ envFile, env: {} }), /BB2_API_VERSION must be v1, v2, or both \(v1,v2\), got "v3"/);
  });
});

describe('resolveBaseUrl', () => {
  it('gives the external URL as configured', () => {
    assert.equal(resolveBaseUrl(parseSuiteConfig(EXTERNAL), {}), 'https://sandbox.bluebutton.cms.gov');
  });
  it('builds the embedded URL from BB2_PORT, set by the webServer', () => {
    assert.equal(resolveBaseUrl(parseSuiteConfig({}), { BB2_PORT: '41234' }), 'http://127.0.0.1:41234');
  });
  it('explains a missing BB2_PORT', () => {
    assert.throws(() => resolveBaseUrl(parseSuiteConfig({}), {}), /BB2_PORT is not set/);
  });
});

describe('usersForWorker and credentialsFor', () => {
  const users = ['BBUser00000', 'BBUser00001', 'BBUser00002', 'BBUser00003', 'BBUser00004'];
  it('gives parallel workers disjoint users that together cover the list', () => {
    const slices = [0, 1].map((index) => usersForWorker(users, index, 2));
    assert.deepEqual(slices, [
      ['BBUser00000', 'BBUser00002', 'BBUser00004'],
      ['BBUser00001', 'BBUser00003'],
    ]);
  });
  it('rejects a worker index outside the worker count', () => {
    assert.throws(() => usersForWorker(users, 2, 2), RangeError);
  });
  it("derives the synthetic password PW#####! and keeps it out of print", () => {
    const credentials = credentialsFor('BBUser00042');
    assert.equal(credentials.password.reveal(), 'PW00042!');
    assert.ok(!inspect(credentials).includes('PW00042!'));
    assert.ok(!JSON.stringify(credentials).includes('PW00042!'));
  });
});

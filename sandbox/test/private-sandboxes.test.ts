/**
 * The suite's private sandboxes (src/private-sandboxes.ts): served only with the control token, each
 * with its own settings and clock, carrying the main sandbox's behaviour, and closed with it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CONTROL_TOKEN_HEADER, PRIVATE_SANDBOXES_PATH, privateSandboxClient } from '../src/private-sandboxes.js';
import { startSandbox, type RunningSandbox } from '../src/server.js';
import { localClient, obtainToken } from './fhir-beneficiary-flow.js';

const TOKEN = 'private-sandbox-control-token-for-tests';

describe('private sandboxes', () => {
  let main: RunningSandbox;
  let plain: RunningSandbox;

  before(async () => {
    // A fault of the main sandbox (every expired token accepted) must reach its private sandboxes too.
    main = await startSandbox({ port: 0, logLevel: 'silent' }, { oauth: { isAccessTokenUsable: () => true } }, { privateSandboxControlToken: TOKEN });
    plain = await startSandbox({ port: 0, logLevel: 'silent' });
  });

  after(async () => {
    await main.close();
    await plain.close();
  });

  it('are not served without the token, with a wrong one, or by a sandbox started without one: the ordinary 404', async () => {
    for (const [url, headers] of [
      [main.url, {}],
      [main.url, { [CONTROL_TOKEN_HEADER]: `${TOKEN}x` }],
      [plain.url, { [CONTROL_TOKEN_HEADER]: TOKEN }],
    ] as const) {
      const response = await fetch(`${url}${PRIVATE_SANDBOXES_PATH}`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ settings: {} }) });
      assert.equal(response.status, 404, `${url} ${JSON.stringify(headers)}`);
    }
  });

  it('start with their own settings, and refuse bad ones with 400 naming the setting', async () => {
    const client = privateSandboxClient(main.url, TOKEN);
    const limited = await client.start({ rateLimit: { limit: 2, windowSeconds: 60 } });
    try {
      assert.notEqual(limited.url, main.url);
      const token = await obtainToken(limited.url, localClient(main), { username: 'BBUser00003' });
      const read = () => fetch(`${limited.url}/v1/fhir/Coverage/`, { headers: { Authorization: `Bearer ${token.access_token}` } });
      assert.deepEqual([(await read()).status, (await read()).status, (await read()).status], [200, 200, 429]);
    } finally {
      await limited.close();
    }
    await assert.rejects(client.start({ rateLimit: { limit: -1, windowSeconds: 60 } } as never), /answered 400: .*rateLimit/);
  });

  it('have a clock of their own, and the main sandbox\'s behaviour, a fault included', async () => {
    const clocked = await privateSandboxClient(main.url, TOKEN).start({});
    const token = await obtainToken(clocked.url, localClient(main), { username: 'BBUser00004' });
    await clocked.advanceClock(Number(token.expires_in) + 1);
    // The main sandbox's fault accepts the expired token: without it this would be 401.
    assert.equal((await fetch(`${clocked.url}/v1/fhir/Coverage/`, { headers: { Authorization: `Bearer ${token.access_token}` } })).status, 200);
    await clocked.close();
    await assert.rejects(clocked.advanceClock(1), /answered 404/);
  });

  it('close with the main sandbox', async () => {
    const owner = await startSandbox({ port: 0, logLevel: 'silent' }, {}, { privateSandboxControlToken: TOKEN });
    const child = await privateSandboxClient(owner.url, TOKEN).start({});
    await owner.close();
    await assert.rejects(fetch(`${child.url}/v1/fhir/metadata`));
  });
});

describe('private sandboxes without the main sandbox\'s fault', () => {
  it('expire a token once their clock has passed its lifetime', async () => {
    const main = await startSandbox({ port: 0, logLevel: 'silent' }, {}, { privateSandboxControlToken: TOKEN });
    try {
      const clocked = await privateSandboxClient(main.url, TOKEN).start({});
      const token = await obtainToken(clocked.url, localClient(main), { username: 'BBUser00004' });
      const read = () => fetch(`${clocked.url}/v1/fhir/Coverage/`, { headers: { Authorization: `Bearer ${token.access_token}` } });
      assert.equal((await read()).status, 200);
      await clocked.advanceClock(Number(token.expires_in) + 1);
      assert.equal((await read()).status, 401);
    } finally {
      await main.close();
    }
  });
});

/**
 * The worker's secret channel (secret-channel.ts): a value whose attachment failed must still reach the
 * reporter when a later flush of the same test runs while that attachment was on its way.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestInfo } from '@playwright/test';
import { Secret } from '../oauth/secret.js';
import { flushSecrets, installWorkerRedaction, redactingWrite, SECRET_ATTACHMENT_NAME } from './secret-channel.js';

describe('secret channel', () => {
  it('a flush started while an earlier one is on its way sends the values that earlier one could not attach', async () => {
    installWorkerRedaction();
    const value = 'SecretChannelTestAccessToken-0123456789';
    new Secret(value, 'access token');
    const sent: string[] = [];
    let calls = 0;
    // The first attachment is refused after a while (its test step had ended); later ones go through.
    const testInfo = {
      attach: async (name: string, options: { body: string }) => {
        calls += 1;
        assert.equal(name, SECRET_ATTACHMENT_NAME);
        if (calls === 1) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new Error('the test has ended');
        }
        sent.push(...(JSON.parse(options.body) as string[]));
      },
    } as unknown as TestInfo;
    // The flush a Secret's creation starts without waiting, then the one at the end of the test.
    const first = flushSecrets(testInfo);
    await flushSecrets(testInfo);
    await first;
    assert.deepEqual(sent, [value]);
  });

  it('a stream write keeps bytes without a secret as they were, and redacts one with a secret', () => {
    installWorkerRedaction();
    const value = 'SecretChannelTestRefreshToken-9876543210';
    new Secret(value, 'refresh token');
    const written: unknown[] = [];
    const stream = { write: (chunk: unknown) => written.push(chunk) > 0 } as unknown as Pick<NodeJS.WriteStream, 'write'>;
    redactingWrite(stream);
    // Not valid UTF-8: decoded and encoded again, these bytes would come out changed.
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41]);
    stream.write(binary);
    stream.write(Buffer.from(`token ${value} end`));
    stream.write(`plain ${value}`);
    assert.equal(written[0], binary);
    assert.equal(typeof written[1], 'string');
    assert.ok(!(written[1] as string).includes(value));
    assert.ok(!(written[2] as string).includes(value));
  });
});

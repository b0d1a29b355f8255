/** The sweep's request rate (token bucket, 429 pauses) and its progress line, on a fake clock. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Progress, formatDuration } from './progress.js';
import { retryAfterMs } from '../reporting/recorded-request.js';
import { DEFAULT_429_PAUSE_MS, observeResponse, RateLimiter, type Clock } from './rate-limiter.js';

function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('RateLimiter', () => {
  it('lets `perSecond` requests through each second, in order', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(2, clock);
    for (let i = 0; i < 6; i += 1) await limiter.take();
    // 2 at once (the burst), then one every 500 ms.
    assert.equal(clock.now(), 2000);
  });

  it('browser requests charged after the fact make the next requests wait', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(10, clock);
    // A full bucket (10) minus 20 charged: 11 tokens short of the next request, 1.1 s at 10/s.
    limiter.charge(20);
    await limiter.take();
    assert.equal(Math.round(clock.now()), 1100);
  });

  it('a 429 pauses everyone for its Retry-After (capped), with or without a rate', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(undefined, clock);
    await limiter.take();
    assert.equal(clock.now(), 0);
    observeResponse(limiter, 429, '3');
    await limiter.take();
    assert.equal(clock.now(), 3000);
    observeResponse(limiter, 429, '86400');
    await limiter.take();
    assert.equal(clock.now(), 63_000);
    observeResponse(limiter, 429, undefined);
    observeResponse(limiter, 200, '99');
    await limiter.take();
    assert.equal(clock.now(), 63_000 + DEFAULT_429_PAUSE_MS);
  });

  it('reads Retry-After as seconds or a date', () => {
    assert.equal(retryAfterMs(undefined), undefined);
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.throws(() => new RateLimiter(0), /above 0/);
  });
});

describe('Progress', () => {
  it('shows users done of all, rate and time left; plain lines at most every interval', () => {
    let now = 0;
    const out: string[] = [];
    const progress = new Progress({ total: 10, alreadyDone: 5, mode: 'lines', write: (text) => out.push(text), now: () => now, plainEveryMs: 10_000 });
    progress.start();
    now = 60_000;
    progress.userDone('ok');
    progress.userDone('violations');
    now = 61_000;
    progress.userDone('login-failed');
    assert.equal(out.length, 2, out.join(''));
    assert.equal(progress.line(), '8/15 users (53%), 3.0 users/min, about 2m22s left; 1 ok, 1 violations, 1 login failed, 0 unavailable');
  });

  it('on a terminal, redraws one line in place', () => {
    const out: string[] = [];
    const progress = new Progress({ total: 2, alreadyDone: 0, mode: 'bar', write: (text) => out.push(text), now: () => 1000, width: 4 });
    progress.userDone('ok');
    assert.ok((out.at(-1) ?? '').startsWith('\r\u001b[2K[##--] 1/2 users'), out.at(-1));
    progress.note('hello');
    assert.ok(out.includes('hello\n'));
    progress.stop();
    assert.equal(out.at(-1), '\n');
    const narrow: string[] = [];
    new Progress({ total: 2, alreadyDone: 0, mode: 'bar', write: (text) => narrow.push(text), now: () => 1000, columns: 40 }).start();
    assert.equal(narrow[0]?.replace('\r\u001b[2K', '').length, 39);
  });

  it('formats durations', () => {
    assert.equal(formatDuration(59_000), '59s');
    assert.equal(formatDuration(61_000), '1m01s');
    assert.equal(formatDuration(3_700_000), '1h01m');
  });
});

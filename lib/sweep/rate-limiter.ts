/**
 * The sweep's request budget against the target: at most `perSecond` requests a second over the whole
 * sweep (API calls and the browser's own requests alike), and a pause for everyone when the target
 * answers 429 with Retry-After.
 *
 * Hand-written (a token bucket of a few lines) rather than a queue library: the browser's requests
 * cannot be asked for permission one by one without intercepting them (route() costs about a second
 * per login), so they are charged as they leave, which a debt-taking bucket models and the libraries'
 * acquire-before-send APIs do not.
 */
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { retryAfterMs } from '../reporting/recorded-request.js';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The longest pause a Retry-After may impose on the sweep; longer answers are capped to this. */
export const MAX_PAUSE_MS = 60_000;

export class RateLimiter {
  readonly #perSecond: number | undefined;
  readonly #clock: Clock;
  #tokens: number;
  #refilledAt: number;
  #pausedUntil = 0;
  #queue: Promise<void> = Promise.resolve();
  #sent = 0;

  /** @param perSecond undefined = no limit (429s still pause the sweep). */
  constructor(perSecond: number | undefined, clock: Clock = realClock) {
    if (perSecond !== undefined && !(perSecond > 0)) throw new RangeError(`a request rate must be above 0, got ${perSecond}`);
    this.#perSecond = perSecond;
    this.#clock = clock;
    this.#tokens = perSecond === undefined ? 0 : Math.max(1, perSecond);
    this.#refilledAt = clock.now();
  }

  #refill(): void {
    const now = this.#clock.now();
    if (this.#perSecond !== undefined) {
      this.#tokens = Math.min(Math.max(1, this.#perSecond), this.#tokens + ((now - this.#refilledAt) / 1000) * this.#perSecond);
    }
    this.#refilledAt = now;
  }

  /** Requests sent so far (taken and charged). */
  get sent(): number {
    return this.#sent;
  }

  /** Waits until one more request may go (in the order asked), then counts it. */
  take(): Promise<void> {
    this.#sent += 1;
    const turn = this.#queue.then(async () => {
      for (;;) {
        const pause = this.#pausedUntil - this.#clock.now();
        if (pause > 0) {
          await this.#clock.sleep(pause);
          continue;
        }
        if (this.#perSecond === undefined) return;
        this.#refill();
        if (this.#tokens >= 1) {
          this.#tokens -= 1;
          return;
        }
        await this.#clock.sleep(((1 - this.#tokens) / this.#perSecond) * 1000);
      }
    });
    this.#queue = turn;
    return turn;
  }

  /** Counts a request already sent (a browser navigation); later requests wait for it. */
  charge(count = 1): void {
    this.#sent += count;
    if (this.#perSecond === undefined) return;
    this.#refill();
    this.#tokens -= count;
  }

  /** The target asked to wait (429 + Retry-After): nobody sends before then. */
  pauseFor(ms: number): void {
    const until = this.#clock.now() + Math.min(Math.max(ms, 0), MAX_PAUSE_MS);
    this.#pausedUntil = Math.max(this.#pausedUntil, until);
  }
}

/** When the target answers 429 without Retry-After, the sweep pauses this long. */
export const DEFAULT_429_PAUSE_MS = 5_000;

/** Notes a 429 answer: the whole sweep pauses for its Retry-After. */
export function observeResponse(limiter: RateLimiter, status: number, retryAfter: string | undefined): void {
  if (status === 429) limiter.pauseFor(retryAfterMs(retryAfter) ?? DEFAULT_429_PAUSE_MS);
}

const SENDERS = new Set(['get', 'head', 'post', 'put', 'patch', 'delete', 'fetch']);

/** An APIRequestContext whose every request first takes its turn from `limiter`, and whose 429s pause it. */
export function rateLimitedRequestContext(request: APIRequestContext, limiter: RateLimiter): APIRequestContext {
  return new Proxy(request, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      if (typeof property !== 'string' || !SENDERS.has(property)) return method;
      return async (...args: unknown[]): Promise<APIResponse> => {
        await limiter.take();
        const response = (await method(...args)) as APIResponse;
        observeResponse(limiter, response.status(), response.headers()['retry-after']);
        return response;
      };
    },
  });
}

/**
 * BB2's per-token rate limit: DRF's SimpleRateThrottle with the token as cache key
 * (apps/dot_ext/throttling.py:TokenRateThrottle), a sliding window that keeps the time of every
 * request in the window. Hand-written because BB2's response headers expose that history directly
 * (Remaining = limit - requests in window, Reset = seconds until the oldest one leaves the window),
 * which a token-bucket library would not reproduce.
 */

export interface RateLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

/** BB2's default TOKEN_THROTTLE_RATE, 100000/s (BB2's settings, BB2-FHIR-RATE-02): in practice no limit. */
export const BB2_DEFAULT_RATE_LIMIT: RateLimit = { limit: 100_000, windowSeconds: 1 };

export interface ThrottleDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the oldest request in the window expires (the full window when there is none). */
  readonly resetSeconds: number;
  /** DRF's `wait()` for a refused request: seconds until one more request is allowed. */
  readonly waitSeconds: number | undefined;
}

export class TokenRateThrottle {
  /** Request times in seconds per token key, oldest first. */
  private readonly history = new Map<string, number[]>();
  private hitsSinceSweep = 0;

  constructor(
    private readonly rate: RateLimit,
    private readonly nowSeconds: () => number = () => Date.now() / 1000,
  ) {}

  hit(tokenKey: string): ThrottleDecision {
    const now = this.nowSeconds();
    const { limit, windowSeconds } = this.rate;
    const times = this.history.get(tokenKey) ?? [];
    let expired = 0;
    while (expired < times.length && (times[expired] as number) <= now - windowSeconds) expired += 1;
    times.splice(0, expired);
    const allowed = times.length < limit;
    if (allowed) times.push(now);
    if (times.length > 0) this.history.set(tokenKey, times);
    else this.history.delete(tokenKey);
    this.sweepNowAndThen(now);

    const oldest = times[0];
    const resetSeconds = oldest === undefined ? windowSeconds : windowSeconds - (now - oldest);
    let waitSeconds: number | undefined;
    if (!allowed) {
      const available = limit - times.length + 1;
      waitSeconds = available > 0 ? resetSeconds / available : undefined;
    }
    return { allowed, limit, remaining: limit - times.length, resetSeconds, waitSeconds };
  }

  /** Forgets tokens whose whole history has left the window, so memory follows active tokens only. */
  private sweepNowAndThen(now: number): void {
    this.hitsSinceSweep += 1;
    if (this.hitsSinceSweep < 1000) return;
    this.hitsSinceSweep = 0;
    for (const [key, times] of this.history) {
      const newest = times[times.length - 1];
      if (newest === undefined || newest <= now - this.rate.windowSeconds) this.history.delete(key);
    }
  }
}

/** Python's repr of a float, which is how BB2's headers print seconds (86400 -> "86400.0"). */
export function pythonFloat(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

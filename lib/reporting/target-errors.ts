/**
 * Failures that are the target's state, not its conformance: it did not answer, or answered 429 or
 * 502/503/504 after the retries (lib/reporting/recorded-request.ts). Their messages start with
 * TARGET_UNAVAILABLE_PREFIX, which allurerc.mjs matches to file them under "Target unavailable" and the
 * nightly job summary counts separately.
 */
export const TARGET_UNAVAILABLE_PREFIX = 'target unavailable:';

export class TargetUnavailableError extends Error {
  override name = 'TargetUnavailableError';

  constructor(detail: string) {
    super(`${TARGET_UNAVAILABLE_PREFIX} ${detail}`);
  }
}

/** What every part of the sandbox (OAuth, screens, FHIR, testclient) is given to do its work. */
import type { Behaviour } from './behaviour.js';
import type { Logger } from './log.js';
import type { SandboxSettings } from './settings.js';

export interface SandboxContext {
  readonly settings: SandboxSettings;
  /** Public base URL without a trailing slash, e.g. http://127.0.0.1:41234 or the configured publicBaseUrl. */
  readonly baseUrl: string;
  readonly log: Logger;
  /** The rules the sandbox enforces, each a named, replaceable function (faults swap single ones). */
  readonly behaviour: Behaviour;
  /**
   * Headers a request the sandbox sends to itself on behalf of the request being served (the test
   * client's token exchange and API calls) carries on: the self-test's scope while it records seams
   * (faults/seam-recorder.ts), so that the seams those calls read count for the check that caused them.
   */
  readonly onwardHeaders?: () => Record<string, string>;
  /**
   * The sandbox's clock, in milliseconds since the epoch: what its own time decisions are judged by (an
   * access token's expiry at the resource servers, the DataAccessGrant's at consent and refresh). Date.now
   * unless whoever starts the sandbox passes another (StartOptions.clock); oidc-provider keeps its own.
   */
  readonly now: () => number;
}

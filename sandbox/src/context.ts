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
}

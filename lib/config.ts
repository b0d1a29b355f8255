/**
 * The suite's configuration: `.env` (dotenv; real environment variables win) validated with zod before
 * any test runs. playwright.config.ts calls `loadSuiteConfigOrExit()`, so one bad value stops the run
 * with one message naming the variable, and no stack trace. A secret's value is never part of a message.
 *
 * Variables (documented for users in .env.example):
 *   BB2_BASE_URL               target; unset or empty = the embedded sandbox, started by playwright.config.ts
 *   BB2_CLIENT_ID              required with BB2_BASE_URL; embedded: the sandbox's local client
 *   BB2_CLIENT_SECRET          required with BB2_BASE_URL; embedded: the sandbox's local client
 *   BB2_REDIRECT_URI           default http://localhost:8000/callback
 *   BB2_API_VERSION            the API versions checked: v1, v2, or both (v1,v2; the default): one Playwright project each
 *   BB2_V2_KNOWN_DEVIATIONS    which known BB2 v2 profile deviations are notes: current (today's BFD) or all (also 2020-2021 shapes);
 *                              default all for https://sandbox.bluebutton.cms.gov, current for any other target
 *   BB2_USERS                  synthetic users: "BBUser00001,BBUser00002", "BBUser00000-BBUser00099" or both mixed
 *   BB2_CLAIMS_USERS           beneficiaries with many claims of every type, one per worker (same syntax); default:
 *                              derived from the embedded sandbox's data, or BBUser29999 and four 2017 users elsewhere
 *   BB2_TIMEOUT_MS             one HTTP request or browser action
 *   BB2_NAVIGATION_TIMEOUT_MS  one page navigation
 *   BB2_RETRIES                retries of an idempotent request answered 429 or 5xx, or not answered (0 to 10)
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { z } from 'zod';
import { API_VERSIONS, isApiVersion, type ApiVersion } from './api-version.js';
import { LAST_USER_NUMBER, LOCAL_CLIENT } from './embedded-sandbox.js';
import { Secret } from './oauth/secret.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULTS = {
  redirectUri: 'http://localhost:8000/callback',
  apiVersions: 'v1,v2',
  /** The first 100 synthetic users: BBUser00000–09999 is the range the real sandbox documents today (BB2-FHIR-ID-01). */
  users: 'BBUser00000-BBUser00099',
  timeoutMs: 15_000,
  navigationTimeoutMs: 30_000,
  retries: 2,
} as const;

/** Variables whose values must never be printed, not even in an error about them. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set(['BB2_CLIENT_SECRET']);

/**
 * Which of BB2's known v2 profile deviations (schemas/bb2-v2-profiles.json) are notes rather than
 * failures: 'current' only what today's BFD renders, 'all' also the 2020-2021 shapes the real sandbox's
 * published capture shows (lib/validation/testdata/r4/sandbox-bbuser29999). See `v2DeviationsFor`.
 */
export type V2KnownDeviations = 'current' | 'all';

/** The real sandbox, whose published v2 capture (2021) has the older shapes. */
export const REAL_SANDBOX_ORIGIN = 'https://sandbox.bluebutton.cms.gov';

export type TargetConfig =
  /** The embedded sandbox; its URL is known only once it runs (see `resolveBaseUrl`). */
  | { readonly kind: 'embedded' }
  | { readonly kind: 'external'; readonly baseUrl: string };

export interface SyntheticUserCredentials {
  /** "BBUser00042": not secret. */
  readonly username: string;
  readonly password: Secret;
}

export interface SuiteConfig {
  readonly target: TargetConfig;
  readonly client: {
    readonly id: string;
    readonly secret: Secret;
    readonly redirectUri: string;
  };
  /** The API versions checked, in the order of API_VERSIONS, at least one: one Playwright project each. */
  readonly apiVersions: readonly ApiVersion[];
  /** BB2_V2_KNOWN_DEVIATIONS as given; undefined = the target's default (`v2DeviationsFor`). */
  readonly v2KnownDeviations: V2KnownDeviations | undefined;
  /** Usernames in the order given, without duplicates. */
  readonly users: readonly string[];
  /** BB2_CLAIMS_USERS in the order given; undefined when unset (lib/users.ts then picks them). */
  readonly claimsUsers: readonly string[] | undefined;
  /** How often an idempotent request answered 429 or 5xx (or not at all) is sent again (lib/reporting/recorded-request.ts). */
  readonly retries: number;
  readonly timeouts: {
    /** One HTTP request or browser action. */
    readonly requestMs: number;
    /** One page navigation. */
    readonly navigationMs: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

const USERNAME = /^BBUser(\d{5})$/;

/** "BBUser00042" → its PW00042! password (bluebutton-site-static's synthetic-data documentation). */
export function credentialsFor(username: string): SyntheticUserCredentials {
  const match = USERNAME.exec(username);
  if (!match) throw new ConfigError(`"${username}" is not a synthetic user name (BBUser followed by 5 digits)`);
  return { username, password: new Secret(`PW${match[1]}!`, `password of ${username}`) };
}

// Each schema checks one variable's text; the messages say what is expected, never echo a secret.

const baseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. https://sandbox.bluebutton.cms.gov' })
  .refine((text) => {
    const url = URL.canParse(text) ? new URL(text) : null;
    // An unparsable URL was already reported by z.url (zod runs refinements after a failed check).
    return url === null || (url.search === '' && url.hash === '' && url.username === '' && url.password === '');
  }, 'must be a base URL without query, fragment or credentials')
  .transform((text) => text.replace(/\/+$/, ''));

const clientIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9]{40}$/, 'must be the 40 letters and digits BB2 issued for your app (BB2-OAUTH-CLIENT-02)');

const clientSecretSchema = z
  .string()
  .min(1, 'must not be empty')
  .regex(/^\S+$/, 'must not contain spaces or line breaks (a copy-and-paste slip?)');

const redirectUriSchema = z
  .url({ error: 'must be an absolute URL, e.g. http://localhost:8000/callback' })
  .refine((text) => !URL.canParse(text) || new URL(text).hash === '', 'must not contain a fragment (RFC 6749 §3.1.2)');

const timeoutSchema = z
  .string()
  .regex(/^\d+$/, 'must be a whole number of milliseconds')
  .transform(Number)
  .pipe(z.number().int().min(1_000, 'must be at least 1000 ms').max(600_000, 'must be at most 600000 ms (10 minutes)'));

const retriesSchema = z
  .string()
  .regex(/^\d+$/, 'must be a whole number of retries')
  .transform(Number)
  .pipe(z.number().int().max(10, 'must be at most 10'));

/** `v1`, `v2`, `both`, or a comma-separated list (`v1,v2`); the versions in API_VERSIONS order. */
const apiVersionsSchema = z.string().transform((text, ctx) => {
  const items = text.split(',').map((item) => item.trim());
  if (items.length === 1 && items[0]?.toLowerCase() === 'both') return [...API_VERSIONS];
  const unknown = items.find((item) => !isApiVersion(item));
  if (unknown !== undefined) {
    ctx.addIssue({ code: 'custom', message: `must be v1, v2, or both (v1,v2), got "${unknown === '' ? text : unknown}"` });
    return z.NEVER;
  }
  return API_VERSIONS.filter((version) => items.includes(version));
});

const v2KnownDeviationsSchema = z.enum(['current', 'all'], { error: (issue) => `must be current or all, got "${String(issue.input)}"` });

/** `BBUser00001,BBUser00002`, `BBUser00000-BBUser00099`, or a comma-separated mix; returns usernames. */
const usersSchema = z.string().transform((text, ctx) => {
  const users: string[] = [];
  for (const rawItem of text.split(',')) {
    const item = rawItem.trim();
    if (item === '') {
      ctx.addIssue({ code: 'custom', message: 'has an empty item; write BBUser00001,BBUser00002 or BBUser00000-BBUser00099' });
      return z.NEVER;
    }
    const range = /^(BBUser\d{5})\s*-\s*(BBUser\d{5})$/.exec(item);
    const [first, last] = range ? [range[1] as string, range[2] as string] : [item, item];
    const firstMatch = USERNAME.exec(first);
    const lastMatch = USERNAME.exec(last);
    if (!firstMatch || !lastMatch) {
      ctx.addIssue({ code: 'custom', message: `"${item}" is neither a synthetic user (BBUser followed by 5 digits) nor a range BBUser00000-BBUser00099` });
      return z.NEVER;
    }
    const from = Number(firstMatch[1]);
    const to = Number(lastMatch[1]);
    if (to < from) {
      ctx.addIssue({ code: 'custom', message: `range "${item}" ends before it starts` });
      return z.NEVER;
    }
    for (let number = from; number <= to; number += 1) users.push(`BBUser${String(number).padStart(5, '0')}`);
  }
  return [...new Set(users)];
});

/**
 * A user list as BB2_USERS takes it (list, ranges, or both mixed), for other tools (the sweep's --users);
 * usernames in order, without duplicates. Throws a ConfigError saying what is wrong with the text.
 */
export function parseUserList(text: string): string[] {
  const result = usersSchema.safeParse(text);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues[0]?.message ?? 'is not a user list');
}

/** The variable's value, with empty text treated as unset (so `BB2_BASE_URL=` means the embedded sandbox). */
function valueOf(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Validates configuration from an environment (already merged with .env). Throws one ConfigError listing every bad variable. */
export function parseSuiteConfig(env: Env): SuiteConfig {
  const problems: string[] = [];
  function check<T>(name: string, schema: z.ZodType<T, string>, fallback?: string): T | undefined {
    const text = valueOf(env, name) ?? fallback;
    if (text === undefined) return undefined;
    const result = schema.safeParse(text);
    if (result.success) return result.data;
    problems.push(`${name} ${result.error.issues[0]?.message ?? 'is invalid'}`);
    return undefined;
  }

  const baseUrl = check('BB2_BASE_URL', baseUrlSchema);
  const clientId = check('BB2_CLIENT_ID', clientIdSchema);
  const clientSecret = check('BB2_CLIENT_SECRET', clientSecretSchema);
  const redirectUri = check('BB2_REDIRECT_URI', redirectUriSchema, DEFAULTS.redirectUri);
  const apiVersions = check('BB2_API_VERSION', apiVersionsSchema, DEFAULTS.apiVersions);
  const v2KnownDeviations = check('BB2_V2_KNOWN_DEVIATIONS', v2KnownDeviationsSchema);
  const users = check('BB2_USERS', usersSchema, DEFAULTS.users);
  const claimsUsers = check('BB2_CLAIMS_USERS', usersSchema);
  const requestMs = check('BB2_TIMEOUT_MS', timeoutSchema, String(DEFAULTS.timeoutMs));
  const navigationMs = check('BB2_NAVIGATION_TIMEOUT_MS', timeoutSchema, String(DEFAULTS.navigationTimeoutMs));
  const retries = check('BB2_RETRIES', retriesSchema, String(DEFAULTS.retries));

  const embedded = valueOf(env, 'BB2_BASE_URL') === undefined;
  if (embedded) {
    // The embedded sandbox knows only its local client; another client would fail later, obscurely.
    if (clientId !== undefined && clientId !== LOCAL_CLIENT.id) {
      problems.push(
        'BB2_CLIENT_ID is set but BB2_BASE_URL is not: the embedded sandbox knows only its own local client. ' +
          'Set BB2_BASE_URL to test your app against that target, or remove BB2_CLIENT_ID and BB2_CLIENT_SECRET.',
      );
    }
    if (clientSecret !== undefined && clientSecret !== LOCAL_CLIENT.secret) {
      problems.push(
        'BB2_CLIENT_SECRET is set but BB2_BASE_URL is not: the embedded sandbox knows only its own local client. ' +
          'Set BB2_BASE_URL, or remove BB2_CLIENT_ID and BB2_CLIENT_SECRET.',
      );
    }
    if (redirectUri !== undefined && !(LOCAL_CLIENT.redirectUris as readonly string[]).includes(redirectUri)) {
      problems.push(`BB2_REDIRECT_URI must be one the embedded sandbox's client registered: ${LOCAL_CLIENT.redirectUris.join(', ')}`);
    }
    for (const [name, list] of [['BB2_USERS', users], ['BB2_CLAIMS_USERS', claimsUsers]] as const) {
      const tooHigh = list?.find((username) => Number(username.slice(6)) > LAST_USER_NUMBER);
      if (tooHigh !== undefined) {
        problems.push(`${name} names ${tooHigh}, but the embedded sandbox has BBUser00000 to BBUser${String(LAST_USER_NUMBER).padStart(5, '0')} only`);
      }
    }
  } else {
    if (valueOf(env, 'BB2_CLIENT_ID') === undefined) {
      problems.push('BB2_CLIENT_ID is required when BB2_BASE_URL is set: the client id of your sandbox app');
    }
    if (valueOf(env, 'BB2_CLIENT_SECRET') === undefined) {
      problems.push('BB2_CLIENT_SECRET is required when BB2_BASE_URL is set: the client secret of your sandbox app');
    }
  }

  const shared = claimsUsers?.filter((username) => users?.includes(username)) ?? [];
  if (shared.length > 0) {
    problems.push(
      `BB2_CLAIMS_USERS and BB2_USERS both list ${shared.slice(0, 3).join(', ')}${shared.length > 3 ? ` and ${shared.length - 3} more` : ''}: ` +
        "two workers would consent for the same beneficiary, and each consent revokes the other's tokens",
    );
  }

  if (problems.length > 0) {
    const lines = problems.map((problem) => `  - ${problem}`).join('\n');
    throw new ConfigError(`Invalid suite configuration (.env or environment):\n${lines}\nSee .env.example for every variable.`);
  }
  return {
    target: embedded ? { kind: 'embedded' } : { kind: 'external', baseUrl: baseUrl as string },
    client: {
      id: embedded ? LOCAL_CLIENT.id : (clientId as string),
      secret: new Secret(embedded ? LOCAL_CLIENT.secret : (clientSecret as string), 'client secret'),
      redirectUri: redirectUri as string,
    },
    apiVersions: apiVersions as ApiVersion[],
    v2KnownDeviations,
    users: users as string[],
    claimsUsers,
    retries: retries as number,
    timeouts: { requestMs: requestMs as number, navigationMs: navigationMs as number },
  };
}

export interface LoadOptions {
  /** Default: .env at the repository root. */
  readonly envFile?: string;
  /** Default: process.env, which also receives the .env values that it does not already set. */
  readonly env?: Record<string, string | undefined>;
}

/** Reads .env into the environment (never overriding a variable already set), then validates. */
export function loadSuiteConfig(options: LoadOptions = {}): SuiteConfig {
  const envFile = options.envFile ?? path.join(REPO_ROOT, '.env');
  const env = options.env ?? process.env;
  if (existsSync(envFile)) {
    const loaded = dotenv.config({ path: envFile, override: false, quiet: true, processEnv: env });
    if (loaded.error) throw new ConfigError(`${envFile} cannot be read: ${loaded.error.message}`);
  }
  return parseSuiteConfig(env);
}

/**
 * For playwright.config.ts: the configuration, or one message on stderr and exit code 2. Exiting
 * (rather than throwing) keeps Playwright from wrapping the message in a stack trace.
 */
export function loadSuiteConfigOrExit(options?: LoadOptions): SuiteConfig {
  try {
    return loadSuiteConfig(options);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`\n${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/**
 * The known v2 deviations a target's responses are allowed, as notes. The embedded sandbox renders
 * today's BFD shapes, and so must any other BB2 implementation: only today's deviations ('current'),
 * so that a server serving an older shape fails instead of passing with a note. The real sandbox's
 * only published v2 capture (2021) has the 2020-2021 shapes, so against it those are notes too ('all');
 * each is still reported, naming the deviation. BB2_V2_KNOWN_DEVIATIONS overrides the choice (e.g. for
 * a proxy in front of the real sandbox).
 */
export function v2DeviationsFor(config: Pick<SuiteConfig, 'target' | 'v2KnownDeviations'>): V2KnownDeviations {
  if (config.v2KnownDeviations !== undefined) return config.v2KnownDeviations;
  return config.target.kind === 'external' && config.target.baseUrl === REAL_SANDBOX_ORIGIN ? 'all' : 'current';
}

/** Set by Playwright's webServer (named group `bb2_port`) once the embedded sandbox listens. */
export const EMBEDDED_PORT_VARIABLE = 'BB2_PORT';

/** The target's base URL. For the embedded sandbox this works only where the sandbox has been started (test workers). */
export function resolveBaseUrl(config: SuiteConfig, env: Env = process.env): string {
  if (config.target.kind === 'external') return config.target.baseUrl;
  const port = env[EMBEDDED_PORT_VARIABLE];
  if (port === undefined || !/^\d+$/.test(port)) {
    throw new ConfigError(
      `The embedded sandbox's port is unknown (${EMBEDDED_PORT_VARIABLE} is not set). It is set by playwright.config.ts's webServer; ` +
        'run the suite with `npx playwright test`, or set BB2_BASE_URL to a running target.',
    );
  }
  return `http://127.0.0.1:${port}`;
}

/**
 * The users of one worker slot: every `workerCount`-th user starting at `workerIndex`, so parallel workers
 * never share a beneficiary. Sharing would break tests, because BB2 revokes all earlier tokens of an
 * app/beneficiary pair on each new consent (BB2-OAUTH-CONSENT-02). lib/users.ts numbers the slots of
 * every worker of every shard.
 */
export function usersForWorker(users: readonly string[], workerIndex: number, workerCount: number): string[] {
  if (!Number.isInteger(workerIndex) || !Number.isInteger(workerCount) || workerCount < 1 || workerIndex < 0 || workerIndex >= workerCount) {
    throw new RangeError(`worker ${workerIndex} of ${workerCount} is not a valid worker slot`);
  }
  return users.filter((_, index) => index % workerCount === workerIndex);
}

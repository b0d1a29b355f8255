/**
 * The testclient's server-side session, as BB2 keeps it in Django's session: the API version being
 * tried, the PKCE verifier and state of the authorization in progress, and the token once obtained.
 * Only an opaque random id travels in an HttpOnly cookie; the verifier and token stay on the server.
 */
import { randomBytes } from 'node:crypto';
import type Koa from 'koa';

import type { ApiVersion } from '../api-version.js';

export type { ApiVersion };

/** The token as requests-oauthlib keeps it: the token response, scope as a list, plus expires_at. */
export type TokenRecord = ReadonlyArray<readonly [key: string, value: TokenValue]>;
export type TokenValue = string | number | boolean | null | { readonly float: number } | readonly string[];

export interface TestClientSession {
  apiVersion?: ApiVersion;
  state?: string;
  codeVerifier?: string;
  token?: TokenRecord;
  accessToken?: string;
  patient?: string;
  lastSeen: number;
}

const COOKIE = 'bb2_testclient_session';
const IDLE_LIMIT_MS = 2 * 60 * 60 * 1000;
/** Sessions are tiny, but a client that drops cookies would otherwise make one per request. */
const MAX_SESSIONS = 10_000;

export class SessionStore {
  private readonly sessions = new Map<string, TestClientSession>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The caller's session, if the cookie names a live one. */
  find(koa: Koa.Context): TestClientSession | undefined {
    const id = koa.cookies.get(COOKIE);
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    if (this.now() - session.lastSeen > IDLE_LIMIT_MS) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeen = this.now();
    // Re-insert so that Map order stays least-recently-used first.
    this.sessions.delete(id);
    this.sessions.set(id, session);
    return session;
  }

  /** The caller's session, starting one (and setting its cookie) when there is none. */
  open(koa: Koa.Context): TestClientSession {
    const existing = this.find(koa);
    if (existing) return existing;
    const id = randomBytes(32).toString('base64url');
    const session: TestClientSession = { lastSeen: this.now() };
    this.sessions.set(id, session);
    while (this.sessions.size > MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    koa.cookies.set(COOKIE, id, { httpOnly: true, sameSite: 'lax', path: '/testclient', secure: koa.secure, overwrite: true });
    return session;
  }
}

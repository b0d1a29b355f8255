/**
 * More sandboxes on request, for the conformance suite's checks that need settings of their own (a rate
 * limit of a few requests, a clock they move past a token's expiry): started in this process, which has
 * the sandbox's code loaded already, instead of in each Playwright worker, where loading it cost about
 * 0.75 CPU-seconds (docs/performance.md §10). Each carries this sandbox's behaviour (a self-test fault
 * included) and seam recorder, and closes with it.
 *
 * Not part of BB2: served only when whoever starts the sandbox gives a control token (the suite's
 * webServer, through BB2_SANDBOX_CONTROL_TOKEN), and only to requests that present it; any other request
 * to these paths gets the sandbox's ordinary 404. Routes (JSON):
 *
 *   POST   /__private-sandboxes                 {"settings": {...}}   → 201 {"id", "url"}
 *   POST   /__private-sandboxes/<id>/clock      {"advanceSeconds": n} → 204
 *   DELETE /__private-sandboxes/<id>                                  → 204
 */
import { randomUUID } from 'node:crypto';
import type Koa from 'koa';
import { z } from 'zod';
import { readRawBody } from './oauth/http.js';
import { secretEquals } from './secret-equality.js';
import type { SandboxSettingsInput } from './settings.js';

export const PRIVATE_SANDBOXES_PATH = '/__private-sandboxes';
/** The header a control request carries its token in. */
export const CONTROL_TOKEN_HEADER = 'x-bb2-sandbox-control';
/** The environment variable the sandbox's entry points read the control token from. */
export const CONTROL_TOKEN_VARIABLE = 'BB2_SANDBOX_CONTROL_TOKEN';

/** The control token an entry point was started with; undefined when the variable is unset or empty (routes not served). */
export function controlTokenFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[CONTROL_TOKEN_VARIABLE] || undefined;
}

/** What a private sandbox is: its URL and how to stop it. */
export interface StartedPrivateSandbox {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts one private sandbox with `settings` and `clock` (milliseconds since the epoch). */
export type StartPrivateSandbox = (settings: SandboxSettingsInput, clock: () => number) => Promise<StartedPrivateSandbox>;

const startRequest = z.object({ settings: z.record(z.string(), z.unknown()) }).strict();
const clockRequest = z.object({ advanceSeconds: z.number().finite().nonnegative() }).strict();

async function jsonBody(koa: Koa.Context): Promise<unknown> {
  return JSON.parse((await readRawBody(koa, 16_384)).toString('utf8')) as unknown;
}

function reply(koa: Koa.Context, status: number, body?: unknown): void {
  koa.status = status;
  if (body !== undefined) koa.body = body;
}

export function privateSandboxRoutes(token: string, start: StartPrivateSandbox): { middleware: Koa.Middleware; closeAll(): Promise<void> } {
  if (token.length < 16) throw new Error(`${CONTROL_TOKEN_VARIABLE} must have at least 16 characters`);
  const running = new Map<string, { sandbox: StartedPrivateSandbox; clock: { offsetMs: number } }>();

  const middleware: Koa.Middleware = async (koa, next) => {
    const path = koa.path;
    if (path !== PRIVATE_SANDBOXES_PATH && !path.startsWith(`${PRIVATE_SANDBOXES_PATH}/`)) return next();
    if (!secretEquals(koa.get(CONTROL_TOKEN_HEADER) || undefined, token)) return next();
    const [id, action] = path.slice(PRIVATE_SANDBOXES_PATH.length + 1).split('/');
    try {
      if (koa.method === 'POST' && path === PRIVATE_SANDBOXES_PATH) {
        const { settings } = startRequest.parse(await jsonBody(koa));
        const clock = { offsetMs: 0 };
        const sandbox = await start({ ...settings, port: 0, host: '127.0.0.1', logLevel: 'silent' } as SandboxSettingsInput, () => Date.now() + clock.offsetMs);
        const newId = randomUUID();
        running.set(newId, { sandbox, clock });
        return reply(koa, 201, { id: newId, url: sandbox.url });
      }
      const entry = id === undefined ? undefined : running.get(id);
      if (entry === undefined) return reply(koa, 404, { error: `no private sandbox ${id ?? ''}` });
      if (koa.method === 'POST' && action === 'clock') {
        entry.clock.offsetMs += clockRequest.parse(await jsonBody(koa)).advanceSeconds * 1000;
        return reply(koa, 204);
      }
      if (koa.method === 'DELETE' && action === undefined) {
        running.delete(id as string);
        await entry.sandbox.close();
        return reply(koa, 204);
      }
      return reply(koa, 405, { error: `${koa.method} ${path} is not a private-sandbox request` });
    } catch (error) {
      // A bad request from the suite: said plainly, never with a stack.
      return reply(koa, 400, { error: error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') : (error as Error).message });
    }
  };

  return {
    middleware,
    closeAll: async () => {
      const sandboxes = [...running.values()].map((entry) => entry.sandbox);
      running.clear();
      await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
    },
  };
}

/** The client side of these routes, for the suite's fixtures: one private sandbox per `start`. */
export function privateSandboxClient(mainSandboxUrl: string, token: string) {
  const base = `${mainSandboxUrl.replace(/\/+$/, '')}${PRIVATE_SANDBOXES_PATH}`;
  async function send(method: string, url: string, body?: unknown): Promise<Response> {
    const response = await fetch(url, {
      method,
      headers: { [CONTROL_TOKEN_HEADER]: token, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`${method} ${url.slice(mainSandboxUrl.length)} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    }
    return response;
  }
  return {
    async start(settings: SandboxSettingsInput): Promise<{ readonly url: string; advanceClock(seconds: number): Promise<void>; close(): Promise<void> }> {
      const { id, url } = (await (await send('POST', base, { settings })).json()) as { id: string; url: string };
      return {
        url,
        advanceClock: async (seconds) => {
          await send('POST', `${base}/${id}/clock`, { advanceSeconds: seconds });
        },
        close: async () => {
          await send('DELETE', `${base}/${id}`);
        },
      };
    },
  };
}

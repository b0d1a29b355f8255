/**
 * Composition root of the embedded BB2 sandbox: one Koa app with the OAuth server (oidc-provider
 * shaped to BB2), the Medicare login and consent screens, the FHIR API and the testclient, each a
 * separate module. It listens first so that the public base URL (needed by oidc-provider's issuer
 * and by every link) is known before the parts are built.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createBehaviour, type BehaviourOverrides } from './behaviour.js';
import type { SandboxContext } from './context.js';
import { createFhirRoutes } from './fhir/index.js';
import { createLogger } from './log.js';
import { createOAuth } from './oauth/index.js';
import { parseSandboxSettings, type SandboxSettingsInput } from './settings.js';
import { createTestClient } from './testclient/index.js';
import { commonMiddleware } from './http/common.js';
import { privateSandboxRoutes } from './private-sandboxes.js';
import type { SeamRecorder } from './faults/seam-recorder.js';

export interface RunningSandbox {
  readonly url: string;
  readonly port: number;
  readonly context: SandboxContext;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Records which seams each request reads, and which fault modes would answer differently (the self-test's clean run). */
  readonly seamRecorder?: SeamRecorder | undefined;
  /**
   * The sandbox's clock (SandboxContext.now); default Date.now. The suite's private sandboxes pass one they
   * can move forward, so a check sees a token expire without waiting for it (fixtures/fhir.ts).
   */
  readonly clock?: (() => number) | undefined;
  /**
   * Serves the suite's private sandboxes (./private-sandboxes.ts) to requests presenting this token;
   * undefined (the default): not served.
   */
  readonly privateSandboxControlToken?: string | undefined;
}

export async function startSandbox(
  input: SandboxSettingsInput = {},
  overrides: BehaviourOverrides = {},
  options: StartOptions = {},
): Promise<RunningSandbox> {
  const settings = parseSandboxSettings(input);
  const log = createLogger(settings.logLevel);
  const server = http.createServer();
  // Many Playwright workers hold keep-alive connections at once; Node's defaults are fine for that,
  // but a slow client must not hold a socket forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const baseUrl = (settings.publicBaseUrl ?? `http://${urlHost}:${port}`).replace(/\/+$/, '');
  const recorder = options.seamRecorder;
  const behaviour = createBehaviour(overrides);
  const now = options.clock ?? Date.now;
  const context: SandboxContext = recorder
    ? { settings, baseUrl, log, now, behaviour: recorder.watch(behaviour), onwardHeaders: () => recorder.onwardHeaders() }
    : { settings, baseUrl, log, now, behaviour };

  const app = new Koa();
  app.proxy = settings.publicBaseUrl !== undefined;
  app.silent = true; // errors are answered and logged by commonMiddleware, never printed with a stack
  const oauth = await createOAuth(context);
  // The suite's private sandboxes carry this one's behaviour (a fault included) and seam recorder.
  const privates =
    options.privateSandboxControlToken === undefined
      ? undefined
      : privateSandboxRoutes(options.privateSandboxControlToken, (privateSettings, clock) => startSandbox(privateSettings, overrides, { seamRecorder: recorder, clock }));
  if (privates) app.use(privates.middleware);
  if (recorder) app.use(recorder.middleware());
  app.use(commonMiddleware(context));
  app.use(oauth.routes);
  app.use(createFhirRoutes(context, oauth.access));
  app.use(createTestClient(context));
  server.on('request', app.callback());

  return {
    url: baseUrl,
    port,
    context,
    close: async () => {
      await privates?.closeAll();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

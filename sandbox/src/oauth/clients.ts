/**
 * The applications registered in the embedded sandbox: the configured confidential client (settings)
 * and the sandbox's own test client "TestApp" used by /testclient (the BB2-TESTCLIENT-* requirements). Both are
 * confidential, authorization-code + refresh-token clients, like every BB2 application (BB2-OAUTH-TOKENAUTH-04).
 */
import type { SandboxSettings } from '../settings.js';

export interface RegisteredClient {
  readonly id: string;
  readonly secret: string;
  readonly name: string;
  readonly redirectUris: readonly string[];
}

/**
 * TestApp's credentials. Local-only values that work against the embedded sandbox and nowhere else;
 * the id follows BB2's 40-alphanumeric format.
 */
const TEST_APP_ID = 'bb2SandboxTestApp00000000000000000000000';
const TEST_APP_SECRET = 'local-sandbox-testapp-secret-not-for-real-use-000000000000000000000000000000000000000000000000000000000000000000000000000';

/** TestApp as registered for a sandbox served at `baseUrl` (its redirect is `{base}/testclient/callback`). */
export const TEST_CLIENT = (baseUrl: string) =>
  ({
    id: TEST_APP_ID,
    secret: TEST_APP_SECRET,
    name: 'TestApp',
    redirectUri: `${baseUrl.replace(/\/+$/, '')}/testclient/callback`,
  }) as const;

export function registeredClients(settings: SandboxSettings, baseUrl: string): RegisteredClient[] {
  const testApp = TEST_CLIENT(baseUrl);
  return [
    { id: settings.client.id, secret: settings.client.secret, name: settings.client.name, redirectUris: [...settings.client.redirectUris] },
    { id: testApp.id, secret: testApp.secret, name: testApp.name, redirectUris: [testApp.redirectUri] },
  ];
}

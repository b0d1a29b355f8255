/**
 * Test support for the FHIR and testclient tests: a whole authorization-code flow with PKCE over HTTP
 * (the chain walked by ../src/login-walker.ts), then the code exchanged for tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CookieJar, walkAuthorization, type BeneficiaryChoice } from '../src/login-walker.js';
import type { RunningSandbox } from '../src/server.js';

export interface ClientCredentials {
  readonly id: string;
  readonly secret: string;
  readonly redirectUri: string;
}

/** The local client `sandbox` was started with, at its first redirect URI. */
export function localClient(sandbox: RunningSandbox): ClientCredentials {
  const { client } = sandbox.context.settings;
  return { id: client.id, secret: client.secret, redirectUri: client.redirectUris[0] as string };
}

export interface TokenResponse {
  readonly access_token: string;
  readonly patient: string;
  readonly scope: string;
  readonly [key: string]: unknown;
}

/** A full authorization-code flow with PKCE for `client`; returns the token response. */
export async function obtainToken(
  baseUrl: string,
  client: ClientCredentials,
  choice: BeneficiaryChoice & { readonly scope?: string; readonly version?: 1 | 2 },
): Promise<TokenResponse> {
  const version = choice.version ?? 1;
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(24).toString('base64url');
  const query = new URLSearchParams({
    client_id: client.id,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  if (choice.scope !== undefined) query.set('scope', choice.scope);
  const landed = await walkAuthorization(new CookieJar(), `${baseUrl}/v${version}/o/authorize/?${query}`, client.redirectUri, choice);
  const code = landed.searchParams.get('code');
  if (code === null) throw new Error(`authorization ended without a code: ${landed.searchParams.get('error') ?? 'no error'}`);
  const response = await fetch(`${baseUrl}/v${version}/o/token/`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: verifier }),
  });
  const body = (await response.json()) as TokenResponse;
  if (!response.ok || typeof body.access_token !== 'string') throw new Error(`token exchange failed with ${response.status}`);
  return body;
}

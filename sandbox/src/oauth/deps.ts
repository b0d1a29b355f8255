/** What the OAuth routes share: the sandbox context, the library bridge, BB2's records, the clients. */
import type { SandboxContext } from '../context.js';
import type { RegisteredClient } from './clients.js';
import type { ProviderBridge } from './provider.js';
import type { Bb2Records } from './state.js';

export type { ApiVersion } from '../api-version.js';

export interface OAuthDeps {
  readonly ctx: SandboxContext;
  readonly bridge: ProviderBridge;
  readonly records: Bb2Records;
  readonly clients: ReadonlyMap<string, RegisteredClient>;
}

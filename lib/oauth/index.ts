/** The suite's OAuth client side: PKCE and state, authorize URLs, token/revoke/introspect/userinfo calls, secrets. */
export * from './authorize-request.js';
export * from './client.js';
export * from './endpoints.js';
export * from './pkce.js';
export * from './secret.js';

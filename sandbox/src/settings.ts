/**
 * Settings of the embedded BB2 sandbox. Behaviour is configuration: everything a user may change
 * lives here, validated by zod, with defaults that match the real sandbox (requirements/bb2.json).
 */
import { z } from 'zod';

/**
 * The pre-registered confidential client. Local-only credentials, documented in the README: they
 * work against the embedded sandbox and nowhere else. The id follows BB2's 40-alphanumeric format (BB2-OAUTH-CLIENT-02).
 */
export const LOCAL_CLIENT = {
  id: 'bb2LocalSandboxClient0000000000000000000',
  secret: 'local-sandbox-secret-not-for-real-use-0000000000000000000000000000000000000000000000000000000000000000000000000000000000',
  name: 'BB2 Conformance Local App',
  redirectUris: [
    'http://localhost:8000/callback',
    'http://127.0.0.1:8000/callback',
    'https://bb2-conformance.invalid/callback',
  ],
} as const;

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const rateLimitSchema = z
  .object({
    limit: z.number().int().positive(),
    windowSeconds: z.number().int().positive(),
  })
  .strict();

export const sandboxSettingsSchema = z
  .object({
    /** TCP port; 0 picks a free one (printed at start). */
    port: z.number().int().min(0).max(65535).default(0),
    host: z.string().min(1).default('127.0.0.1'),
    /**
     * The public base URL put into links, redirects and discovery documents, for a sandbox that
     * sits behind a proxy. Unset: http://{host}:{port}.
     */
    publicBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Access-token lifetime; BB2 issues 3600 s tokens since 2026-05 (BB2-OAUTH-TOKEN-03). */
    tokenLifetimeSeconds: z.number().int().positive().default(3600),
    /** Authorization-code lifetime; DOT default 60 s (BB2-OAUTH-CODE-03). */
    codeLifetimeSeconds: z.number().int().positive().default(60),
    /** Consent-screen (Approval) lifetime, 600 s (BB2's AUTHORIZATION_EXPIRATION, apps/dot_ext/models.py). */
    approvalLifetimeSeconds: z.number().int().positive().default(600),
    /** Per-token request budget; null = unlimited (the sandbox default 100000/s is practically so). */
    rateLimit: rateLimitSchema.nullable().default(null),
    client: z
      .object({
        id: z.string().regex(/^[A-Za-z0-9]{40}$/, 'a client id is 40 letters and digits (BB2-OAUTH-CLIENT-02)'),
        secret: z.string().min(16),
        name: z.string().min(1),
        redirectUris: z.array(z.url()).min(1),
      })
      .default({ ...LOCAL_CLIENT, redirectUris: [...LOCAL_CLIENT.redirectUris] }),
    logLevel: z.enum(LOG_LEVELS).default('info'),
  })
  .strict();

export type SandboxSettings = z.output<typeof sandboxSettingsSchema>;
export type SandboxSettingsInput = z.input<typeof sandboxSettingsSchema>;

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** Parses settings, turning zod's issues into one readable message per bad value. */
export function parseSandboxSettings(input: SandboxSettingsInput = {}): SandboxSettings {
  const result = sandboxSettingsSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(settings)'}: ${issue.message}`);
    throw new SettingsError(`Invalid sandbox settings:\n${lines.join('\n')}`);
  }
  return result.data;
}

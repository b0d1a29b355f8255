/**
 * BB2's application lookup that runs before any OAuth processing (`get_application_from_request`
 * and `validate_app_is_active`, BB2-OAUTH-CLIENT-01..03 and BB2-OAUTH-TOKENAUTH-05): the client named by an
 * HTTP Basic header or by a `client_id` parameter, with BB2's errors for malformed and unknown ids.
 */
import type { RegisteredClient } from './clients.js';
import type { OAuthDeps } from './deps.js';
import { jsonReply, type Reply } from './http.js';

export interface ApplicationError {
  readonly status: number;
  readonly error: string;
  readonly description: string;
}

export type ApplicationLookup =
  | { readonly ok: true; readonly client: RegisteredClient | undefined }
  | { readonly ok: false; readonly failure: ApplicationError };

export interface BasicCredentials {
  readonly clientId: string;
  readonly secret: string;
}

/**
 * The credentials of an `Authorization: Basic` header, split at the first colon as BB2 does.
 * Returns undefined for any other or malformed header.
 */
export function basicCredentials(header: string | undefined): BasicCredentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { clientId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** Looks the application up from the Basic header first, then the `client_id` parameter. */
export function lookUpApplication(
  deps: OAuthDeps,
  source: { readonly basicClientId?: string | undefined; readonly clientIdParam?: string | undefined },
): ApplicationLookup {
  const { behaviour } = deps.ctx;
  let fromHeader: RegisteredClient | undefined;
  if (source.basicClientId !== undefined) {
    if (!behaviour.oauth.clientIdFormatIsValid(source.basicClientId)) {
      return { ok: false, failure: { status: 400, error: 'invalid_client', description: 'Invalid client_id format' } };
    }
    fromHeader = deps.clients.get(source.basicClientId);
    if (!fromHeader) return { ok: false, failure: { status: 401, error: 'invalid_client', description: 'Application does not exist' } };
  }
  let fromData: RegisteredClient | undefined;
  if (source.clientIdParam) {
    if (!behaviour.oauth.clientIdFormatIsValid(source.clientIdParam)) {
      return { ok: false, failure: { status: 400, error: 'invalid_client', description: 'Invalid client_id format' } };
    }
    fromData = deps.clients.get(source.clientIdParam);
    if (!fromData) {
      return { ok: false, failure: { status: 400, error: 'invalid_client', description: 'Application does not exist (client_id)' } };
    }
  }
  if (fromHeader && fromData && fromHeader !== fromData) {
    return { ok: false, failure: { status: 400, error: 'invalid_request', description: 'different app in headers than in request data' } };
  }
  return { ok: true, client: fromHeader ?? fromData };
}

/** BB2's `json_response_from_oauth2_error`. */
export function applicationErrorJson(failure: ApplicationError): Reply {
  return jsonReply(failure.status, { status_code: failure.status, error: failure.error, error_description: failure.description });
}

/** `InvalidClientError('App id failed')`: nothing in the request names an application. */
export const NO_APPLICATION: ApplicationError = { status: 401, error: 'invalid_client', description: 'App id failed' };

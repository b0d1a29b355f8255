/**
 * What every response of the sandbox shares, as BB2's Django stack does it (BB2-DISCOVERY-ROBOTS-01,
 * BB2-DISCOVERY-HEALTH-01, BB2-FHIR-CORS-01): security headers, /health and /robots.txt, a JSON 500 that never carries a stack trace, and
 * Django's HTML 404 page for any path no part of the sandbox owns.
 */
import type Koa from 'koa';
import type { SandboxContext } from '../context.js';

// django-cors-headers with CORS_ORIGIN_ALLOW_ALL (BB2-FHIR-CORS-01): its default allowed headers and methods.
const CORS_PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Headers': 'accept, accept-encoding, authorization, content-type, dnt, origin, user-agent, x-csrftoken, x-requested-with',
  'Access-Control-Allow-Methods': 'DELETE, GET, OPTIONS, PATCH, POST, PUT',
  'Access-Control-Max-Age': '86400',
};

const ROBOTS = 'User-agent: *\nDisallow: /v1/o/\nDisallow: /v2/o/\nDisallow: /v3/o/';

/** Django's templates/404.html as the sandbox renders it for an unknown route. */
const NOT_FOUND_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Page not found</title></head>
<body><main id="main-content"><h1>Page not found</h1><p>The requested page could not be found.</p></main></body>
</html>`;

export function commonMiddleware(ctx: SandboxContext): Koa.Middleware {
  return async (koa, next) => {
    const started = performance.now();
    koa.set('X-Frame-Options', 'DENY');
    koa.set('X-Content-Type-Options', 'nosniff');
    koa.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    koa.set('Access-Control-Allow-Origin', '*');
    try {
      if (koa.method === 'OPTIONS' && koa.get('Access-Control-Request-Method')) {
        // A browser app's CORS preflight, answered before any view as the middleware does in BB2.
        koa.set(CORS_PREFLIGHT_HEADERS);
        koa.status = 200;
        koa.body = '';
      } else if (koa.path === '/health' && koa.method === 'GET') {
        koa.body = { message: "all's well" };
      } else if (koa.path === '/robots.txt' && koa.method === 'GET') {
        koa.type = 'text/plain';
        koa.body = ROBOTS;
      } else {
        await next();
        if (koa.status === 404 && koa.body === undefined) {
          koa.status = 404;
          koa.type = 'text/html';
          koa.body = NOT_FOUND_PAGE;
        }
      }
    } catch (error) {
      // Koa marks client mistakes (bad JSON, oversized bodies) with `expose`; anything else is ours.
      const status = httpStatusOf(error);
      if (status < 500) {
        koa.status = status;
        koa.body = { detail: status === 413 ? 'Request entity too large.' : 'Malformed request.' };
      } else {
        ctx.log.error(`${koa.method} ${koa.path} failed: ${describe(error)}`);
        koa.status = 500;
        koa.body = { error: 'Server Error (500)' };
      }
    } finally {
      // Paths only: query strings can hold codes and tokens, so they are never logged.
      ctx.log.debug(`${koa.method} ${koa.path} ${koa.status} ${(performance.now() - started).toFixed(1)}ms`);
    }
  };
}

function httpStatusOf(error: unknown): number {
  if (typeof error === 'object' && error !== null) {
    const { status, expose } = error as { status?: unknown; expose?: unknown };
    if (typeof status === 'number' && status >= 400 && status < 500 && expose === true) return status;
  }
  return 500;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

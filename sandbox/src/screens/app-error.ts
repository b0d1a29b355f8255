/**
 * BB2's `app_inactive_401.html`: the page /authorize answers when the application named by
 * `client_id` is missing, malformed, unknown or inactive (BB2-OAUTH-CLIENT-01..04). The
 * HTTP status varies with the error (401 or 400); the page always says "401 - Unauthorized".
 */
import { escapeHtml, htmlDocument } from './html.js';

export function applicationErrorPage(error: string, description: string): string {
  return htmlDocument(
    '401 - Unauthorized',
    `<main id="main-content">
<h1>401 - Unauthorized</h1>
<p>${escapeHtml(`${error} : ${description}`)}</p>
</main>`,
  );
}

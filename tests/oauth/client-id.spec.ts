/**
 * The application named at /authorize (BB2-OAUTH-CLIENT-01..03): BB2 looks the client_id up before
 * anything else and answers a missing, malformed or unknown one with its own HTML error page
 * (templates/app_inactive_401.html: "401 - Unauthorized" and "{error} : {description}"), with the
 * error's status, and never sends the browser on to a Medicare.gov login for an application that does
 * not exist.
 */
import { buildAuthorizeRequest } from '../../lib/oauth/authorize-request.js';
import { expect, requestAuthorize, requirement, severity, test, VERSION_INDEPENDENT_TAG } from '../../fixtures/index.js';

const TAGS = ['@oauth', '@security', VERSION_INDEPENDENT_TAG];
/** 40 letters and digits, as BB2 issues client ids, but registered nowhere. */
const UNKNOWN_CLIENT_ID = 'NoSuchApplication0000000000000000000000x';
/** Not 40 letters and digits. */
const MALFORMED_CLIENT_ID = 'not-a-client-id!';

test.describe('client_id at /authorize', () => {
  const cases = [
    { name: 'without client_id', clientId: null, status: 401, text: 'invalid_client : App id failed', id: 'BB2-OAUTH-CLIENT-01' },
    { name: 'with a malformed client_id', clientId: MALFORMED_CLIENT_ID, status: 400, text: 'invalid_client : Invalid client_id format', id: 'BB2-OAUTH-CLIENT-02' },
    { name: 'with an unknown client_id', clientId: UNKNOWN_CLIENT_ID, status: 400, text: 'invalid_client : Application does not exist (client_id)', id: 'BB2-OAUTH-CLIENT-03' },
  ] as const;

  for (const { name, clientId, status, text, id } of cases) {
    test(
      `an authorize request ${name} gets BB2's ${status} page "${text}" before any login`,
      { tag: TAGS, annotation: [requirement(id), severity('critical')] },
      async ({ request, target }) => {
        const { url } = buildAuthorizeRequest({
          endpoints: target.endpoints,
          clientId: target.client.clientId,
          redirectUri: target.client.redirectUri,
          overrides: { client_id: clientId },
        });
        const response = await requestAuthorize(request, url);
        expect(response.status, `${response.location ?? ''} ${response.bodyText.slice(0, 200)}`).toBe(status);
        expect(response.location, 'no redirect (to the Medicare.gov login or elsewhere)').toBeUndefined();
        expect(response.contentType).toMatch(/^text\/html\b/);
        expect(response.bodyText).toContain('<title>401 - Unauthorized</title>');
        expect(response.bodyText).toContain(text);
      },
    );
  }
});

/**
 * Not a conformance check: the redaction test's (../redaction.e2e.test.ts) deliberate leaks. With
 * BB2_REDACTION_PROBE=1 it puts real secrets everywhere a careless check could: a failing assertion's
 * message, console output, a step title, an attachment, an error thrown. Run only by redaction.config.ts.
 */
import { expect, test } from '../../../fixtures/index.js';

test('redaction probe: secrets in a failure, the console, a step title and an attachment', async ({ issueTokens, target }, testInfo) => {
  test.skip(process.env.BB2_REDACTION_PROBE !== '1', 'runs only inside the redaction test');
  const { authorization, tokens } = await issueTokens();
  const refreshToken = tokens.refreshToken?.reveal() ?? 'no refresh token';
  console.log(`probe stdout: refresh token ${refreshToken}, verifier ${authorization.verifier.reveal()}`);
  console.error(`probe stderr: client secret ${target.client.clientSecret.reveal()}`);
  await test.step(`probe step titled with the code ${authorization.code.reveal()}`, async () => {
    await testInfo.attach('probe attachment', { body: JSON.stringify({ access_token: tokens.accessToken.reveal(), code: authorization.code.reveal() }), contentType: 'application/json' });
  });
  // Fails on purpose, with the access token in the message (Playwright prints the received value).
  expect(tokens.accessToken.reveal(), 'the redaction probe fails on purpose').toBe('not the access token');
});

/**
 * The beneficiary cancels on the consent screen (BB2-OAUTH-CONSENT-01): BB2 redirects to
 * the app with `error=access_denied` and the state, and no code.
 */
import { expect, requirement, severity, test, VERSION_INDEPENDENT_TAG } from '../../fixtures/index.js';

test(
  'Cancel on the consent screen redirects with error=access_denied, the unchanged state and no code',
  { tag: ['@oauth', VERSION_INDEPENDENT_TAG], annotation: [requirement('BB2-OAUTH-CONSENT-01', 'RFC6749-4.1.2.1'), severity('critical')] },
  async ({ authorizeAsBeneficiary }) => {
    const authorization = await authorizeAsBeneficiary({ decision: 'cancel' });
    expect(authorization.kind).toBe('error');
    if (authorization.kind !== 'error') return;
    expect(authorization.error).toBe('access_denied');
    expect(authorization.state).toBe(authorization.request.state);
    expect(new URL(authorization.redirectUrl).searchParams.has('code')).toBe(false);
  },
);

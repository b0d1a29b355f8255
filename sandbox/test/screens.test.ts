/** The sandbox's HTML screens and the date rules they show (BB2-OAUTH-CLIENT-01..03, BB2-OAUTH-CONSENT-04..05). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applicationErrorPage } from '../src/screens/app-error.js';
import { consentErrorPage, consentPage } from '../src/screens/consent.js';
import { addMonthsUtc, formatApDate, formatIsoSeconds, formatSpanishDate } from '../src/screens/dates.js';
import { escapeHtml } from '../src/screens/html.js';
import { passwordStepPage, usernameStepPage } from '../src/screens/medicare-login.js';

const HIDDEN = {
  redirect_uri: 'https://app.example/cb?x=1&y=2',
  scope: 'openid profile',
  client_id: 'c'.repeat(40),
  state: '"><script>alert(1)</script>',
  response_type: 'code',
  code_challenge: 'abc',
  code_challenge_method: 'S256',
};

describe('dates', () => {
  it('adds 13 months like relativedelta, clamping to the end of the month', () => {
    assert.equal(addMonthsUtc(new Date('2026-08-21T14:03:12Z'), 13).toISOString(), '2027-09-21T14:03:12.000Z');
    assert.equal(addMonthsUtc(new Date('2026-01-31T00:00:00Z'), 13).toISOString(), '2027-02-28T00:00:00.000Z');
    assert.equal(addMonthsUtc(new Date('2026-12-31T23:59:59Z'), 2).toISOString(), '2027-02-28T23:59:59.000Z');
    assert.equal(addMonthsUtc(new Date('2027-01-31T12:00:00Z'), 13).toISOString(), '2028-02-29T12:00:00.000Z');
  });

  it('formats dates in Django\'s English and Spanish styles and Python\'s ISO form', () => {
    assert.equal(formatApDate(new Date('2027-09-21T00:00:00Z')), 'Sept. 21, 2027');
    assert.equal(formatApDate(new Date('2027-03-05T00:00:00Z')), 'March 5, 2027');
    assert.equal(formatApDate(new Date('2027-01-05T00:00:00Z')), 'Jan. 5, 2027');
    assert.equal(formatSpanishDate(new Date('2027-09-21T00:00:00Z')), '21 de septiembre de 2027');
    assert.equal(formatIsoSeconds(new Date('2027-09-21T14:03:12.999Z')), '2027-09-21T14:03:12Z');
  });
});

describe('escaping', () => {
  it('escapes the five HTML-significant characters', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;');
  });

  it('never lets request values or application names out of their attributes and text', () => {
    const html = consentPage({
      applicationName: 'Evil <img src=x onerror=alert(1)> App',
      hiddenFields: HIDDEN,
      permissionEndDate: 'Sept. 21, 2027',
      language: 'en',
      languageToggleHref: '/v2/o/authorize/u/?lang=es&a="b"',
    });
    assert.ok(!html.includes('<script>alert(1)</script>'));
    assert.ok(!html.includes('<img src=x'));
    assert.ok(html.includes('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'));
    assert.ok(html.includes('value="https://app.example/cb?x=1&amp;y=2"'));
    assert.ok(html.includes('href="/v2/o/authorize/u/?lang=es&amp;a=&quot;b&quot;"'));
    const error = consentErrorPage('<b>App</b>', 'invalid_request', '<i>bad</i>');
    assert.ok(error.includes('<h3>Error: invalid_request</h3>\n<p>&lt;i&gt;bad&lt;/i&gt;</p>'));
    assert.ok(!error.includes('<b>App</b>'));
    assert.ok(applicationErrorPage('invalid_client', 'x <y>').includes('invalid_client : x &lt;y&gt;'));
  });
});

describe('consent screen markup (new_authorize_v2.html)', () => {
  const html = consentPage({
    applicationName: 'TestApp',
    hiddenFields: HIDDEN,
    permissionEndDate: 'Sept. 21, 2027',
    language: 'en',
    languageToggleHref: '/x?lang=es',
  });

  it('carries the documented ids, names, values and texts', () => {
    assert.match(html, /<title>Blue Button 2\.0 Sandbox<\/title>/);
    assert.match(html, /<h1 class="ds-text-heading--2xl"><span id="connect_app">Connect your Medicare claims data to <\/span>TestApp\?<\/h1>/);
    assert.match(html, /<svg role="img" aria-label="medicare.gov"/);
    assert.match(html, /<form id="authorizationForm" method="post">/);
    assert.match(html, /<span id="permission_expire_info">TestApp will have access to your data for 13 months, until <span id="permission_end_date">Sept\. 21, 2027\.<\/span><\/span>/);
    assert.match(html, /<a id="lang_toggle" href="\/x\?lang=es">Cambiar a español<\/a>/);
    assert.match(html, /id="allow_access">Uncheck to block access to personal information\./);
    assert.match(html, /id="block_access" style="display:none">Check to allow access to personal information\./);
    // The deny button has no name: that is how DOT tells Cancel from Connect.
    assert.match(html, /<input class="ds-c-button" id="deny" type="submit" value="Cancel">/);
  });

  it('replaces the form by the error block on errors', () => {
    const error = consentErrorPage('TestApp', 'invalid_request', 'Mismatching redirect URI.');
    assert.doesNotMatch(error, /authorizationForm/);
    assert.match(error, /<span id="connect_app">/);
  });
});

describe('Medicare login stand-in (the two-step form BB2\'s Selenium tests drive)', () => {
  const context = { action: '/mock-medicare/login', relay: '1'.repeat(26), redirectUri: 'http://h/mymedicare/sls-callback', language: 'en' as const };

  it('asks for the username first, then the password', () => {
    const first = usernameStepPage(context);
    assert.match(first, /<input id="username-textbox" name="username" type="text"/);
    assert.match(first, /<button id="continue-button" type="submit">Continue<\/button>/);
    const second = passwordStepPage(context, 'BBUser00001');
    assert.match(second, /<input id="password-textbox" name="password" type="password"/);
    assert.match(second, /<input type="hidden" name="username" value="BBUser00001">/);
    assert.match(second, /<button id="login-button" type="submit">Log in<\/button>/);
  });

  it('shows the bad-credentials message and keeps the typed username', () => {
    const page = usernameStepPage(context, { username: 'BBUser0000<', error: "Your username or password doesn't match. Try again." });
    assert.match(page, /<p id="login-error" role="alert">Your username or password doesn&#x27;t match\. Try again\.<\/p>/);
    assert.match(page, /value="BBUser0000&lt;"/);
  });
});

/**
 * The sandbox's stand-in for the Medicare.gov login (SLSx) that the real sandbox sends beneficiaries
 * to. It follows the current two-step form the BB2 team's Selenium suite drives (https://github.com/CMSgov/bluebutton-web-server/blob/ba0c6856a51c13bd849da2fcc0d6e44eed08dc73/apps/integration_tests/selenium_generic.py): `input[name=username]` + submit "Continue", then `input[name=password]` + submit "Log in"
 * (id `login-button`, "Entrar" in Spanish). Bad credentials show Medicare.gov's documented message.
 * The older single-page ids (`username-textbox`, `password-textbox`) are kept on the inputs so tests
 * written against the 2021–2025 form still find them.
 */
import { escapeHtml, htmlDocument } from './html.js';

export const BAD_CREDENTIALS_MESSAGE = "Your username or password doesn't match. Try again.";

export type LoginLanguage = 'en' | 'es';

export interface LoginFormContext {
  /** Where the form posts to. */
  readonly action: string;
  /** Round-tripped to the callback untouched, like SLSx's relay. */
  readonly relay: string;
  readonly redirectUri: string;
  readonly language: LoginLanguage;
}

const TEXT = {
  en: {
    title: 'Log in | Medicare.gov',
    heading: 'Log in to Medicare.gov',
    username: 'Username',
    password: 'Password',
    continue: 'Continue',
    login: 'Log in',
    loggingInAs: 'Logging in as',
    note: 'Embedded BB2 sandbox: a stand-in for the Medicare.gov test login. Synthetic users are BBUser00000 to BBUser29999 with password PW#####! (same digits).',
  },
  es: {
    title: 'Entrar | Medicare.gov',
    heading: 'Entrar a Medicare.gov',
    username: 'Nombre de usuario',
    password: 'Contraseña',
    continue: 'Continuar',
    login: 'Entrar',
    loggingInAs: 'Usuario',
    note: 'Sandbox BB2 integrado: sustituto del inicio de sesión de prueba de Medicare.gov. Usuarios sintéticos BBUser00000 a BBUser29999, contraseña PW#####! (mismos dígitos).',
  },
} as const;

function hiddenInputs(context: LoginFormContext): string {
  return [
    ['relay', context.relay],
    ['redirect_uri', context.redirectUri],
    ['lang', context.language],
  ]
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value ?? '')}">`)
    .join('\n');
}

function page(context: LoginFormContext, content: string): string {
  const text = TEXT[context.language];
  return htmlDocument(
    text.title,
    `<main id="main-content">
<h1>${escapeHtml(text.heading)}</h1>
${content}
<p class="sandbox-note"><small>${escapeHtml(text.note)}</small></p>
</main>`,
    context.language,
  );
}

/** Step 1: the username. `error` is shown after a failed attempt. */
export function usernameStepPage(context: LoginFormContext, options: { username?: string; error?: string } = {}): string {
  const text = TEXT[context.language];
  const error = options.error === undefined ? '' : `<p id="login-error" role="alert">${escapeHtml(options.error)}</p>\n`;
  return page(
    context,
    `${error}<form id="login-form" method="post" action="${escapeHtml(context.action)}">
${hiddenInputs(context)}
<input type="hidden" name="step" value="username">
<label for="username-textbox">${escapeHtml(text.username)}</label>
<input id="username-textbox" name="username" type="text" autocomplete="username" value="${escapeHtml(options.username ?? '')}" required>
<button id="continue-button" type="submit">${escapeHtml(text.continue)}</button>
</form>`,
  );
}

/** Step 2: the password, with the username carried in a hidden field. */
export function passwordStepPage(context: LoginFormContext, username: string): string {
  const text = TEXT[context.language];
  return page(
    context,
    `<form id="login-form" method="post" action="${escapeHtml(context.action)}">
${hiddenInputs(context)}
<input type="hidden" name="step" value="password">
<input type="hidden" name="username" value="${escapeHtml(username)}">
<p>${escapeHtml(text.loggingInAs)}: <strong id="login-username">${escapeHtml(username)}</strong></p>
<label for="password-textbox">${escapeHtml(text.password)}</label>
<input id="password-textbox" name="password" type="password" autocomplete="current-password" required autofocus>
<button id="login-button" type="submit">${escapeHtml(text.login)}</button>
</form>`,
  );
}

/** Answer to a request the stand-in cannot serve (bad client_id or redirect_uri, missing relay). */
export function loginRequestErrorPage(message: string): string {
  return htmlDocument('Bad request | Medicare.gov', `<main id="main-content">\n<h1>Bad request</h1>\n<p>${escapeHtml(message)}</p>\n</main>`);
}

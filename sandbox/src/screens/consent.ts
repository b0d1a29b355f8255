/**
 * The consent ("permission") screen at /v{n}/o/authorize/<uuid>/, in the shape of BB2's current
 * `new_authorize_v2.html` (https://github.com/CMSgov/bluebutton-web-server/blob/ba0c6856a51c13bd849da2fcc0d6e44eed08dc73/templates/design_system/new_authorize_v2.html). The ids, names, values and texts that tests
 * and BB2's own Selenium suite select on are kept exactly; the rest of the markup is our own.
 */
import { escapeHtml, htmlDocument } from './html.js';

/** `APPLICATION_TITLE` in the sandbox environment. */
export const SANDBOX_TITLE = 'Blue Button 2.0 Sandbox';

/** The hidden fields of DOT's AllowForm, in BB2's order. */
export const CONSENT_HIDDEN_FIELDS = [
  'redirect_uri',
  'scope',
  'client_id',
  'state',
  'response_type',
  'code_challenge',
  'code_challenge_method',
] as const;

export type ConsentHiddenField = (typeof CONSENT_HIDDEN_FIELDS)[number];

export type ConsentLanguage = 'en' | 'es';

export interface ConsentPage {
  readonly applicationName: string;
  readonly hiddenFields: Readonly<Record<ConsentHiddenField, string>>;
  /** Already formatted for the language, e.g. "Sept. 21, 2027" or "21 de septiembre de 2027". */
  readonly permissionEndDate: string;
  readonly language: ConsentLanguage;
  /** Where `a#lang_toggle` leads: the same screen in the other language. */
  readonly languageToggleHref: string;
}

/**
 * The screen's texts. BB2 documents the Spanish heading, button values and date style (BB2-OAUTH-CONSENT-04, its
 * Spanish Selenium tests); the other Spanish sentences are this sandbox's translation.
 */
const TEXT = {
  en: {
    connect: 'Connect your Medicare claims data to ',
    connectEnd: '?',
    intro: (app: string) => `If you connect, ${app} will have access to information about your:`,
    items: ['Doctor visits', 'Hospital visits', 'Prescription medications'],
    alsoGrant: 'You can also grant access to your:',
    personal: 'Personal Information',
    personalDetail: 'Your name, address, date of birth, race, and sex',
    allowHint: 'Uncheck to block access to personal information.',
    blockHint: 'Check to allow access to personal information.',
    expire: (app: string) => `${app} will have access to your data for 13 months, until `,
    stop: (app: string) => `To stop sharing your information with ${app}, visit your <a href="https://www.medicare.gov/">Medicare.gov</a> account or call 1-800-633-4227.`,
    cancel: 'Cancel',
    approve: 'Connect',
    toggle: 'Cambiar a español',
  },
  es: {
    connect: '¿Desea compartir sus datos de Medicare con ',
    connectEnd: '?',
    intro: (app: string) => `Si se conecta, ${app} tendrá acceso a información sobre sus:`,
    items: ['Visitas al médico', 'Visitas al hospital', 'Medicamentos recetados'],
    alsoGrant: 'También puede permitir el acceso a su:',
    personal: 'Información personal',
    personalDetail: 'Su nombre, dirección, fecha de nacimiento, raza y sexo',
    allowHint: 'Desmarque la casilla para bloquear el acceso a su información personal.',
    blockHint: 'Marque la casilla para permitir el acceso a su información personal.',
    expire: (app: string) => `${app} tendrá acceso a sus datos durante 13 meses, hasta el `,
    stop: (app: string) => `Para dejar de compartir su información con ${app}, visite su cuenta de <a href="https://www.medicare.gov/">Medicare.gov</a> o llame al 1-800-633-4227.`,
    cancel: 'Cancelar',
    approve: 'Conectar',
    toggle: 'Change to English',
  },
} as const;

/** Medicare.gov wordmark; an inline SVG so the page has no external resources. */
const MEDICARE_LOGO = `<svg role="img" aria-label="medicare.gov" width="198" height="29" viewBox="0 0 198 29" xmlns="http://www.w3.org/2000/svg"><title>Medicare.gov</title><text x="0" y="22" font-family="sans-serif" font-size="24" fill="#146A5D">Medicare<tspan fill="#323A45">.gov</tspan></text></svg>`;

function heading(applicationName: string, language: ConsentLanguage): string {
  const app = escapeHtml(applicationName);
  const text = TEXT[language];
  return `<h1 class="ds-text-heading--2xl"><span id="connect_app">${escapeHtml(text.connect)}</span>${app}${text.connectEnd}</h1>
<p>${escapeHtml(text.intro(applicationName))}</p>
<ul>
${text.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('\n')}
</ul>`;
}

function page(applicationName: string, language: ConsentLanguage, toggleHref: string | undefined, content: string): string {
  const toggle =
    toggleHref === undefined ? '' : `<p class="ds-u-text-align--right"><a id="lang_toggle" href="${escapeHtml(toggleHref)}">${escapeHtml(TEXT[language].toggle)}</a></p>\n`;
  return htmlDocument(
    SANDBOX_TITLE,
    `<main id="main-content">
${toggle}<div class="ds-u-text-align--center">${MEDICARE_LOGO}</div>
<div class="m-c-card">
${heading(applicationName, language)}
<hr>
${content}
</div>
</main>`,
    language,
  );
}

export function consentPage(model: ConsentPage): string {
  const app = escapeHtml(model.applicationName);
  const text = TEXT[model.language];
  const hidden = CONSENT_HIDDEN_FIELDS.map(
    (name) => `<input type="hidden" name="${name}" value="${escapeHtml(model.hiddenFields[name])}" id="id_${name}">`,
  ).join('\n');
  return page(
    model.applicationName,
    model.language,
    model.languageToggleHref,
    `<form id="authorizationForm" method="post">
<p>${escapeHtml(text.alsoGrant)}</p>
<fieldset class="ds-c-fieldset">
<div class="ds-c-choice-wrapper">
<input type="hidden" name="share_demographic_scopes" value="False">
<input class="ds-c-choice" id="radio_1" name="share_demographic_scopes" type="checkbox" value="True" checked aria-describedby="allow_access block_access">
<label class="ds-c-label" for="radio_1"><span>${escapeHtml(text.personal)}<br>${escapeHtml(text.personalDetail)}</span></label>
</div>
<span class="ds-c-field__hint" id="allow_access">${escapeHtml(text.allowHint)}</span>
<span class="ds-c-field__hint" id="block_access" style="display:none">${escapeHtml(text.blockHint)}</span>
</fieldset>
<hr>
${hidden}
<p><span id="permission_expire_info">${escapeHtml(text.expire(model.applicationName))}<span id="permission_end_date">${escapeHtml(model.permissionEndDate)}.</span></span></p>
<p>${text.stop(app)}</p>
<div class="ds-u-display--flex">
<input class="ds-c-button" id="deny" type="submit" value="${escapeHtml(text.cancel)}">
<input class="ds-c-button ds-c-button--solid" id="approve" type="submit" name="allow" value="${escapeHtml(text.approve)}">
</div>
</form>
<script>
document.getElementById('radio_1').addEventListener('change', function (event) {
  document.getElementById('allow_access').style.display = event.target.checked ? '' : 'none';
  document.getElementById('block_access').style.display = event.target.checked ? 'none' : '';
});
</script>`,
  );
}

/** The same template with DOT's error block instead of the form (BB2-OAUTH-REDIRECT-01, consent-step errors). */
export function consentErrorPage(applicationName: string, error: string, description: string, language: ConsentLanguage = 'en'): string {
  return page(applicationName, language, undefined, `<h3>Error: ${escapeHtml(error)}</h3>\n<p>${escapeHtml(description)}</p>`);
}

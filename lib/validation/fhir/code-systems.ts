/**
 * Code systems defined outside the FHIR packages whose codes the HL7 validator still checks: a
 * Coding or Quantity naming one of these systems must hold one of its codes, and a value set that
 * includes the whole system (R4's Currencies, bound `required` to Money.currency) is expanded from
 * it (scripts/generate/fhir-definitions.ts).
 *
 * ISO 4217 comes from the `currency-codes` package, which carries ISO's own "list one" of current
 * currency and fund codes (its publishDate is printed in the requirement); ICU's list
 * (Intl.supportedValuesOf('currency')) was measured and lacks fund and metal codes (USN, XAU, XXX…),
 * which would turn valid amounts into false alarms.
 */
import { codes as currencyCodes, publishDate as currencyPublishDate } from 'currency-codes';

export interface ExternalCodeSystem {
  /** The system URI as FHIR writes it. */
  readonly url: string;
  /** Short key for rule and requirement ids. */
  readonly key: string;
  readonly title: string;
  readonly codes: ReadonlySet<string>;
  /** Where the code list comes from, for the requirement's text. */
  readonly origin: string;
  /** The FHIR page (relative to the release's base) that names the system. */
  readonly page: string;
}

export const ISO_4217: ExternalCodeSystem = {
  url: 'urn:iso:std:iso:4217',
  key: 'iso-4217',
  title: 'ISO 4217 currency codes',
  codes: new Set(currencyCodes()),
  origin: `ISO 4217 list one, published ${currencyPublishDate}, as the currency-codes package carries it`,
  page: 'terminologies-systems.html',
};

export const EXTERNAL_CODE_SYSTEMS: ReadonlyMap<string, ExternalCodeSystem> = new Map([[ISO_4217.url, ISO_4217]]);

/**
 * What the v1 (STU3) rendering of a claim says, indexed the way BFD names its data: by CCW variable
 * (https://bluebutton.cms.gov/resources/variables/…) and by code system. BFD's v1 and v2 transformers
 * render the same claim record with the same variable names, only in different places (a v1 extension
 * can be a v2 adjudication or supportingInfo), so the R4 builder (eob.ts) looks each variable up here
 * to give the v2 EOB exactly the values of the v1 EOB of the same claim.
 *
 * A value is keyed by the variable its element names: an extension's url, or the variable code in a
 * category/type coding (adjudication, total, information/supportingInfo, benefitBalance.financial).
 * Codings and identifiers are kept by system, in document order. Claim lines are indexed one scope each.
 */
import { NDC_SYSTEM, VARIABLES } from '../code-systems.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';

export interface ScopeValues {
  /** Money amounts: valueMoney, adjudication/total amount, benefitBalance usedMoney. */
  readonly amounts: ReadonlyMap<string, number>;
  readonly quantities: ReadonlyMap<string, number>;
  /** valueDate and timingDate. */
  readonly dates: ReadonlyMap<string, string>;
  /** timingPeriod. */
  readonly periods: ReadonlyMap<string, JsonObject>;
  /** Every coding by system, in document order. */
  readonly codings: ReadonlyMap<string, readonly JsonObject[]>;
  /** Every identifier value by system, in document order. */
  readonly identifiers: ReadonlyMap<string, readonly string[]>;
}

export interface ClaimValues {
  readonly claim: ScopeValues;
  /** One scope per claim line (item), in line order. */
  readonly lines: readonly ScopeValues[];
}

/** The variable (full url) an element is keyed by, if any. */
export function variableOf(object: JsonObject): string | undefined {
  if (typeof object.url === 'string' && object.url.startsWith(VARIABLES)) return object.url;
  for (const key of ['category', 'type']) {
    const concept = object[key];
    if (!isJsonObject(concept) || !Array.isArray(concept.coding)) continue;
    for (const coding of concept.coding) {
      if (isJsonObject(coding) && typeof coding.code === 'string' && coding.code.startsWith(VARIABLES)) return coding.code;
    }
  }
  return undefined;
}

/**
 * Code systems v1 and v2 name differently: v1's revenue-centre NDC variable is an NDC coding of the
 * line's productOrService in v2 (BFD OutpatientClaimTransformerV2 and the other institutional ones).
 */
const SYSTEM_ALIASES: ReadonlyMap<string, string> = new Map([[`${VARIABLES}rev_cntr_ide_ndc_upc_num`, NDC_SYSTEM]]);

/** The key of an element's amount (Money), in v1 and v2 alike. */
export const MONEY_KEYS = ['valueMoney', 'amount', 'usedMoney'] as const;

class ScopeIndex implements ScopeValues {
  readonly amounts = new Map<string, number>();
  readonly quantities = new Map<string, number>();
  readonly dates = new Map<string, string>();
  readonly periods = new Map<string, JsonObject>();
  readonly codings = new Map<string, JsonObject[]>();
  readonly identifiers = new Map<string, string[]>();

  add(object: JsonObject): void {
    const variable = variableOf(object);
    if (variable !== undefined) this.addKeyed(variable, object);
    if (typeof object.system !== 'string') return;
    if (typeof object.code === 'string') {
      push(this.codings, object.system, object);
      const alias = SYSTEM_ALIASES.get(object.system);
      if (alias !== undefined) push(this.codings, alias, object);
    }
    else if (typeof object.value === 'string') push(this.identifiers, object.system, object.value);
  }

  private addKeyed(variable: string, object: JsonObject): void {
    for (const key of MONEY_KEYS) {
      const money = object[key];
      if (isJsonObject(money) && typeof money.value === 'number') setOnce(this.amounts, variable, money.value);
    }
    const quantity = object.valueQuantity;
    if (isJsonObject(quantity) && typeof quantity.value === 'number') setOnce(this.quantities, variable, quantity.value);
    for (const key of ['valueDate', 'timingDate']) {
      const date = object[key];
      if (typeof date === 'string') setOnce(this.dates, variable, date);
    }
    if (isJsonObject(object.timingPeriod)) setOnce(this.periods, variable, object.timingPeriod);
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function setOnce<T>(map: Map<string, T>, key: string, value: T): void {
  if (!map.has(key)) map.set(key, value);
}

function indexInto(node: Json, scope: ScopeIndex): void {
  if (Array.isArray(node)) {
    for (const item of node) indexInto(item, scope);
  } else if (isJsonObject(node)) {
    scope.add(node);
    for (const value of Object.values(node)) indexInto(value, scope);
  }
}

export function indexClaimValues(eob: JsonObject): ClaimValues {
  const claim = new ScopeIndex();
  for (const [key, value] of Object.entries(eob)) if (key !== 'item') indexInto(value, claim);
  const items = Array.isArray(eob.item) ? eob.item : [];
  const lines = items.map((line) => {
    const scope = new ScopeIndex();
    indexInto(line, scope);
    return scope;
  });
  return { claim, lines };
}

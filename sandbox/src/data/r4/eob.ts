/**
 * R4 ExplanationOfBenefit resources as BB2 v2 serves them: the v2 rendering of the same claim as the
 * v1 EOB. Each claim starts from BFD's v2 golden read of its type (templates/r4/eob-<type>.json), which
 * keeps BFD's v2 structure: the C4BB profile URL BFD gives the type, identifiers typed "uc",
 * supportingInfo with C4BB categories, careTeam with C4BB roles, item/adjudication slices, totals.
 *
 * The values come from the claim's v1 EOB (built first, eob.ts) so that both versions agree on ids,
 * dates, amounts, codes, providers and lines: every element that names a CCW variable, and every
 * coding or identifier of a claim code system, takes the v1 value of the same variable (claim-values.ts);
 * diagnoses, procedures and lines are matched by position (BFD's v1 and v2 goldens list them in the same
 * order); NPIs go through the v1 claim's own NPI mapping. What v1 does not show (a few v2-only
 * variables) is derived from the template the way v1 derives its values: dates moved onto the claim's
 * dates, amounts scaled by the claim's and line's factors, control numbers drawn.
 */
import type { PlannedClaim } from '../claim-plan.js';
import { CLAIM_GROUP_SYSTEM, HCPCS_SYSTEM, ICD10_SYSTEM, ICD9_SYSTEM, NDC_SYSTEM, NPI_SYSTEM, VARIABLES } from '../code-systems.js';
import { buildClaim, cents, CONTROL_NUMBER_SYSTEMS, DATE_KEYS, moveDates, type BuiltClaim } from '../eob.js';
import { child, children, forEachObject, isJsonObject, type JsonObject } from '../json.js';
import type { UserProfile } from '../profile.js';
import { SeededRandom } from '../random.js';
import type { SyntheticUser } from '../users.js';
import { indexClaimValues, MONEY_KEYS, variableOf, type ClaimValues, type ScopeValues } from './claim-values.js';
import { r4EobTemplate, r4EobTemplateDates } from './templates.js';

const C4BB_IDENTIFIER_TYPE = 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType';
const HL7_IDENTIFIER_TYPE = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const BILLING_NPI_SYSTEM = `${VARIABLES}carr_clm_blg_npi_num`;
const ICD10_CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const ICD10_PCS = 'http://www.cms.gov/Medicare/Coding/ICD10';
const TOTAL_CHARGE = `${VARIABLES}clm_tot_chrg_amt`;
const DRUG_COST = `${VARIABLES}tot_rx_cst_amt`;
/** v2 also moves extension valueDates (fi_clm_proc_dt, which v1 does not show). */
const R4_DATE_KEYS: ReadonlySet<string> = new Set([...DATE_KEYS, 'valueDate']);

type Coding = JsonObject;

interface R4Claim {
  readonly user: SyntheticUser;
  readonly profile: UserProfile;
  readonly claim: PlannedClaim;
  readonly source: BuiltClaim;
  /** NPIs v2 shows that the v1 claim has not (e.g. the carrier billing NPI), and the draws for them. */
  readonly extraNpis: Map<string, string>;
  readonly random: SeededRandom;
}

function isClaimCodeSystem(system: string): boolean {
  return system.startsWith(VARIABLES) || system === HCPCS_SYSTEM || system === NDC_SYSTEM;
}

function isClaimIdentifierSystem(system: string): boolean {
  return (system.startsWith(VARIABLES) && system !== BILLING_NPI_SYSTEM) || system === CLAIM_GROUP_SYSTEM;
}

/** The claim's synthetic NPI for a template NPI: v1's choice, else one drawn the way v1 draws them. */
function npiFor(context: R4Claim, templateNpi: string): string {
  const known = context.source.npis.get(templateNpi) ?? context.extraNpis.get(templateNpi);
  if (known !== undefined) return known;
  const npi = context.random.pick(context.profile.providerNpis);
  context.extraNpis.set(templateNpi, npi);
  return npi;
}

function hasTypeCode(identifier: JsonObject, system: string, code: string): boolean {
  const type = identifier.type;
  return isJsonObject(type) && children(type, 'coding').some((coding) => coding.system === system && coding.code === code);
}

function numeric(value: unknown): value is string {
  return typeof value === 'string' && /^\d+$/.test(value);
}

/** NPIs appear with the us-npi system, typed "npi" without a system, or as the carrier billing NPI. */
function rewriteNpi(object: JsonObject, context: R4Claim): void {
  if (object.system === NPI_SYSTEM && numeric(object.code)) object.code = npiFor(context, object.code);
  else if ((object.system === NPI_SYSTEM || object.system === BILLING_NPI_SYSTEM || hasTypeCode(object, C4BB_IDENTIFIER_TYPE, 'npi')) && numeric(object.value)) {
    object.value = npiFor(context, object.value);
  }
}

function rewriteReference(object: JsonObject, user: SyntheticUser): void {
  const reference = object.reference;
  if (typeof reference !== 'string') return;
  if (reference.startsWith('Patient/')) object.reference = `Patient/${user.patientId}`;
  const coverage = /^Coverage\/(part-[abcd])-/.exec(reference);
  if (coverage) object.reference = `Coverage/${coverage[1] ?? ''}-${user.patientId}`;
}

/** R4 Money is {value, currency}. */
function scaleMoney(object: JsonObject, factor: number): void {
  if (object.currency === 'USD' && typeof object.value === 'number') object.value = cents(object.value * factor);
}

/** Counts codings and identifiers per system while a scope is walked, to match them with v1's by position. */
class Ordinals {
  private readonly seen = new Map<string, number>();
  next(system: string): number {
    const index = this.seen.get(system) ?? 0;
    this.seen.set(system, index + 1);
    return index;
  }
}

/** Gives one element the v1 values of its variable, codings and identifiers. */
function applyValues(object: JsonObject, values: ScopeValues, ordinals: Ordinals, context: R4Claim): void {
  const variable = variableOf(object);
  if (variable !== undefined) {
    const amount = values.amounts.get(variable);
    for (const key of MONEY_KEYS) {
      const money = object[key];
      if (amount !== undefined && isJsonObject(money) && typeof money.value === 'number') money.value = amount;
    }
    const quantity = values.quantities.get(variable);
    if (quantity !== undefined && isJsonObject(object.valueQuantity)) object.valueQuantity.value = quantity;
    const date = values.dates.get(variable);
    for (const key of ['valueDate', 'timingDate']) if (date !== undefined && typeof object[key] === 'string') object[key] = date;
    const period = values.periods.get(variable);
    if (period !== undefined && isJsonObject(object.timingPeriod)) object.timingPeriod = copyPeriod(period);
  }
  const system = object.system;
  if (typeof system !== 'string') return;
  if (typeof object.code === 'string' && isClaimCodeSystem(system)) {
    const source = values.codings.get(system)?.[ordinals.next(system)];
    if (source !== undefined) copyCoding(object, source);
  } else if (typeof object.value === 'string' && isClaimIdentifierSystem(system)) {
    const source = values.identifiers.get(system)?.[ordinals.next(system)];
    if (source !== undefined) object.value = source;
    else if (CONTROL_NUMBER_SYSTEMS.has(system)) object.value = context.random.digits(object.value.length);
  }
}

function applyScope(node: JsonObject, values: ScopeValues, context: R4Claim): void {
  const ordinals = new Ordinals();
  forEachObject(node, (object) => applyValues(object, values, ordinals, context));
}

/** The template's text stays when the code is still the template's code (as in v1). */
function copyCoding(target: Coding, source: Coding): void {
  if (source.code === target.code) return;
  target.code = source.code ?? null;
  if (typeof source.display === 'string') target.display = source.display;
  else delete target.display;
}

function copyPeriod(period: JsonObject): JsonObject {
  const copy: JsonObject = {};
  if (typeof period.start === 'string') copy.start = period.start;
  if (typeof period.end === 'string') copy.end = period.end;
  return copy;
}

/** A v1 ICD coding as BFD v2 writes it: ICD-10 twice (the US and the WHO system), ICD-9 once. */
function icdCodings(source: Coding, kind: 'diagnosis' | 'procedure'): Coding[] {
  const code = source.code ?? null;
  const withDisplay = (system: string): Coding => (typeof source.display === 'string' ? { system, code, display: source.display } : { system, code });
  if (source.system === ICD10_SYSTEM) return [withDisplay(kind === 'diagnosis' ? ICD10_CM : ICD10_PCS), withDisplay(ICD10_SYSTEM)];
  return [withDisplay(ICD9_SYSTEM)];
}

function firstCoding(concept: unknown): Coding | undefined {
  return isJsonObject(concept) ? children(concept, 'coding')[0] : undefined;
}

/** v1 sequence of a coded diagnosis -> v2 sequence of the same diagnosis (v1 numbers the DRG as one). */
function setDiagnoses(eob: JsonObject, v1: JsonObject): Map<number, number> {
  const coded = children(v1, 'diagnosis').filter((diagnosis) => diagnosis.diagnosisCodeableConcept !== undefined);
  const sequences = new Map<number, number>();
  children(eob, 'diagnosis').forEach((diagnosis, index) => {
    const source = coded[index];
    const coding = firstCoding(source?.diagnosisCodeableConcept);
    if (source === undefined || coding === undefined) return;
    diagnosis.diagnosisCodeableConcept = { coding: icdCodings(coding, 'diagnosis') };
    if (typeof source.sequence === 'number' && typeof diagnosis.sequence === 'number') sequences.set(source.sequence, diagnosis.sequence);
  });
  return sequences;
}

function setProcedures(eob: JsonObject, v1: JsonObject): void {
  const sources = children(v1, 'procedure');
  children(eob, 'procedure').forEach((procedure, index) => {
    const source = sources[index];
    const coding = firstCoding(source?.procedureCodeableConcept);
    if (source === undefined || coding === undefined) return;
    procedure.procedureCodeableConcept = { coding: icdCodings(coding, 'procedure') };
    if (typeof source.date === 'string') procedure.date = source.date;
  });
}

/** The C4BB code of a supportingInfo category. */
function categoryCode(entry: JsonObject): string | undefined {
  const code = firstCoding(entry.category)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** BFD v1 puts the Part D fill number and days' supply on the line's quantity; v2 in supportingInfo. */
const PART_D_QUANTITIES: ReadonlyMap<string, string> = new Map([
  ['refillnum', `${VARIABLES}fill_num`],
  ['dayssupply', `${VARIABLES}days_suply_num`],
]);

/** The supportingInfo entries without a CCW variable, whose v1 values live elsewhere in the v1 EOB. */
function setUnkeyedSupportingInfo(eob: JsonObject, v1: JsonObject, values: ClaimValues): void {
  for (const entry of children(eob, 'supportingInfo')) {
    const code = categoryCode(entry);
    if (code === 'admissionperiod' && isJsonObject(v1.hospitalization)) entry.timingPeriod = copyPeriod(v1.hospitalization);
    const variable = code === undefined ? undefined : PART_D_QUANTITIES.get(code);
    const quantity = variable === undefined ? undefined : values.lines[0]?.quantities.get(variable);
    if (quantity !== undefined && isJsonObject(entry.valueQuantity)) entry.valueQuantity.value = quantity;
  }
}

/** Totals BFD v2 derives from amounts v1 shows elsewhere: totalCost, and the Part D lines' drug cost. */
function setTotals(eob: JsonObject, v1: JsonObject, values: ClaimValues): void {
  for (const total of children(eob, 'total')) {
    const amount = isJsonObject(total.amount) ? total.amount : undefined;
    if (amount === undefined) continue;
    if (variableOf(total) === TOTAL_CHARGE && isJsonObject(v1.totalCost) && typeof v1.totalCost.value === 'number') amount.value = v1.totalCost.value;
    if (categoryCode(total) === 'drugcost') amount.value = cents(values.lines.reduce((sum, line) => sum + (line.amounts.get(DRUG_COST) ?? 0), 0));
  }
  const payment = eob.payment;
  const v1Payment = v1.payment;
  if (!isJsonObject(payment) || !isJsonObject(v1Payment)) return;
  if (isJsonObject(payment.amount) && isJsonObject(v1Payment.amount) && typeof v1Payment.amount.value === 'number') payment.amount.value = v1Payment.amount.value;
  if (typeof payment.date === 'string' && typeof v1Payment.date === 'string') payment.date = v1Payment.date;
}

/** The contained provider Organization's provider number (PRN) is v1's prvdr_num. */
function setProviderNumber(eob: JsonObject, values: ScopeValues): void {
  const providerNumber = values.identifiers.get(`${VARIABLES}prvdr_num`)?.[0];
  if (providerNumber === undefined) return;
  for (const resource of children(eob, 'contained')) {
    for (const identifier of children(resource, 'identifier')) if (hasTypeCode(identifier, HL7_IDENTIFIER_TYPE, 'PRN')) identifier.value = providerNumber;
  }
}

function buildLines(eob: JsonObject, v1: JsonObject, context: R4Claim, values: ClaimValues, diagnosisSequences: ReadonlyMap<number, number>): void {
  const [templateLine] = children(eob, 'item');
  if (!templateLine) return;
  const text = JSON.stringify(templateLine);
  eob.item = children(v1, 'item').map((source, index) => {
    const line = JSON.parse(text) as JsonObject;
    line.sequence = index + 1;
    const factor = context.source.lineFactors[index] ?? 1;
    forEachObject(line, (object) => scaleMoney(object, factor));
    applyScope(line, values.lines[index] ?? values.claim, context);
    if (typeof line.servicedDate === 'string' && typeof source.servicedDate === 'string') line.servicedDate = source.servicedDate;
    if (isJsonObject(line.servicedPeriod) && isJsonObject(source.servicedPeriod)) line.servicedPeriod = copyPeriod(source.servicedPeriod);
    if (Array.isArray(line.diagnosisSequence) && Array.isArray(source.diagnosisLinkId)) {
      line.diagnosisSequence = source.diagnosisLinkId.map((sequence) => diagnosisSequences.get(Number(sequence)) ?? sequence);
    }
    // v1 varies the Part D quantity dispensed; elsewhere both versions keep the template's quantity.
    if (context.claim.type === 'pde' && isJsonObject(line.quantity) && isJsonObject(source.quantity) && typeof source.quantity.value === 'number') {
      line.quantity.value = source.quantity.value;
    }
    return line;
  });
}

export function buildR4Eob(user: SyntheticUser, profile: UserProfile, claim: PlannedClaim): JsonObject {
  const source = buildClaim(user, profile, claim);
  const v1 = source.eob;
  const values = indexClaimValues(v1);
  const context: R4Claim = { user, profile, claim, source, extraNpis: new Map(), random: new SeededRandom('eob-r4', user.number, claim.ordinal) };
  const eob = r4EobTemplate(claim.type);
  const templateDates = r4EobTemplateDates(claim.type);

  eob.id = v1.id ?? null;
  const lastUpdated = String(child(v1, 'meta').lastUpdated);
  eob.meta = { lastUpdated, profile: child(eob, 'meta').profile ?? [] };
  // The data's `created` is the claim's last update; the API stamps the time of the request (fhir/versions.ts).
  if (eob.created !== undefined) eob.created = lastUpdated.replace(/\.\d{3}/, '');
  // What v1 derives the same way: dates moved, amounts scaled, references, providers and places.
  forEachObject(eob, (object) => {
    moveDates(object, templateDates, claim, R4_DATE_KEYS);
    scaleMoney(object, source.amountFactor);
    rewriteReference(object, user);
    rewriteNpi(object, context);
    if (isJsonObject(object.locationAddress) && typeof object.locationAddress.state === 'string') object.locationAddress.state = profile.state;
  });
  // One walk over the claim level (a shallow copy without the lines shares every element with `eob`).
  const { item: _lines, ...claimLevel } = eob;
  applyScope(claimLevel, values.claim, context);
  if (isJsonObject(eob.billablePeriod) && isJsonObject(v1.billablePeriod)) Object.assign(eob.billablePeriod, copyPeriod(v1.billablePeriod));
  const diagnosisSequences = setDiagnoses(eob, v1);
  setProcedures(eob, v1);
  setUnkeyedSupportingInfo(eob, v1, values);
  setProviderNumber(eob, values.claim);
  buildLines(eob, v1, context, values, diagnosisSequences);
  setTotals(eob, v1, values);
  return eob;
}

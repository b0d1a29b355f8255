/**
 * STU3 ExplanationOfBenefit resources as BB2 v1 serves them. Each claim starts from BFD's v1 golden read
 * of its type (templates/eob-<type>.json), keeping its element structure, and gets its own values:
 * ids, the user's Patient/Coverage references, service dates (all template dates moved consistently),
 * amounts, provider NPIs, control numbers, diagnoses, procedures and claim lines.
 */
import { ICD10_START_DAY, dayOf, instant, isoDate } from './calendar.js';
import type { PlannedClaim } from './claim-plan.js';
import type { ClaimType } from './claim-types.js';
import { CLAIM_GROUP_SYSTEM, HCPCS_SYSTEM, ICD10_SYSTEM, ICD9_SYSTEM, NDC_SYSTEM, NPI_SYSTEM, VARIABLES } from './code-systems.js';
import {
  DME_MODIFIERS,
  DRGS,
  DRUGS,
  HCPCS_DME,
  HCPCS_MODIFIERS,
  HCPCS_OUTPATIENT,
  HCPCS_PROFESSIONAL,
  ICD10_DIAGNOSES,
  ICD10_PROCEDURES,
  ICD9_DIAGNOSES,
  REVENUE_CENTERS,
} from './code-pools.js';
import { child, children, forEachObject, isJsonObject, setCoding, type Json, type JsonObject } from './json.js';
import type { UserProfile } from './profile.js';
import { SeededRandom } from './random.js';
import { eobTemplate, eobTemplateDates, type EobTemplateDates } from './templates.js';
import type { SyntheticUser } from './users.js';

const MONEY_SYSTEM = 'urn:iso:std:iso:4217';

/** Identifiers whose values are opaque control/reference numbers: replaced by random digits of the same length. */
export const CONTROL_NUMBER_SYSTEMS: ReadonlySet<string> = new Set(
  ['carr_clm_cntl_num', 'fi_doc_clm_cntl_num', 'fi_orig_clm_cntl_num', 'rx_srvc_rfrnc_num', 'suplrnum', 'prvdr_num'].map((name) => `${VARIABLES}${name}`),
);
const CLAIM_ID_SYSTEMS = new Set([`${VARIABLES}clm_id`, `${VARIABLES}pde_id`]);
/** Keys whose string values are dates (or dateTimes) tied to the claim's service period. */
export const DATE_KEYS: ReadonlySet<string> = new Set(['start', 'end', 'timingDate', 'servicedDate', 'date']);
const DATE_PATTERN = /^(\d{4}-\d{2}-\d{2})(.*)$/;

export function cents(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Moves a template date onto the claim's dates: dates inside the template's billing period land at the
 * same relative place in the new period, dates before or after it keep their distance from its start or end.
 */
export function moveDay(day: number, template: EobTemplateDates, claim: PlannedClaim): number {
  if (day < template.startDay) return claim.startDay - (template.startDay - day);
  if (day > template.endDay) return claim.endDay + (day - template.endDay);
  if (template.endDay === template.startDay) return claim.startDay;
  return claim.startDay + Math.round(((day - template.startDay) * (claim.endDay - claim.startDay)) / (template.endDay - template.startDay));
}

/** Moves the dates under `keys` of one object (not its children) with moveDay. */
export function moveDates(object: JsonObject, template: EobTemplateDates, claim: PlannedClaim, keys: ReadonlySet<string> = DATE_KEYS): void {
  for (const key of keys) {
    const value = object[key];
    if (typeof value !== 'string') continue;
    const match = DATE_PATTERN.exec(value);
    if (match?.[1]) object[key] = `${isoDate(moveDay(dayOf(match[1]), template, claim))}${match[2] ?? ''}`;
  }
}

function scaleMoney(node: Json, factor: number): void {
  forEachObject(node, (object) => scaleIfMoney(object, factor));
}

function scaleIfMoney(object: JsonObject, factor: number): void {
  if (object.system === MONEY_SYSTEM && typeof object.value === 'number') object.value = cents(object.value * factor);
}

interface ClaimContext {
  readonly user: SyntheticUser;
  readonly profile: UserProfile;
  readonly claim: PlannedClaim;
  readonly random: SeededRandom;
  /** Template NPI -> this claim's synthetic NPI, so one template provider stays one provider. */
  readonly npis: Map<string, string>;
  /** The factor each claim line's amounts were scaled by, in line order. */
  readonly lineFactors: number[];
}

function npiFor(context: ClaimContext, templateNpi: string): string {
  let npi = context.npis.get(templateNpi);
  if (npi === undefined) {
    npi = context.random.pick(context.profile.providerNpis);
    context.npis.set(templateNpi, npi);
  }
  return npi;
}

/** Rewrites what an object points at: person, coverage, provider, place or record number. */
function rewriteReferencesAndIdentifiers(object: JsonObject, context: ClaimContext): void {
  const { user, profile, random } = context;
  const reference = object.reference;
  if (typeof reference === 'string') {
    if (reference.startsWith('Patient/')) object.reference = `Patient/${user.patientId}`;
    const coverage = /^Coverage\/(part-[abcd])-/.exec(reference);
    if (coverage) object.reference = `Coverage/${coverage[1] ?? ''}-${user.patientId}`;
  }
  const system = object.system;
  if (system === NPI_SYSTEM) {
    if (typeof object.value === 'string' && /^\d+$/.test(object.value)) object.value = npiFor(context, object.value);
    if (typeof object.code === 'string' && /^\d+$/.test(object.code)) {
      // A coded NPI (careTeam extension): BFD adds the organisation's name, which a synthetic NPI has not.
      setCoding(object, npiFor(context, object.code));
    }
  }
  if (typeof system === 'string' && CONTROL_NUMBER_SYSTEMS.has(system) && typeof object.value === 'string') {
    object.value = random.digits(object.value.length);
  }
  if (system === `${VARIABLES}prvdr_state_cd` || system === `${VARIABLES}dmerc_line_prcng_state_cd`) setCoding(object, profile.state);
  if (system === `${VARIABLES}prvdr_zip`) setCoding(object, `${profile.postalCode}${random.digits(4)}`);
  // The pricing locality is a carrier-specific number; BB2's sandbox data shows "99" without text.
  if (system === `${VARIABLES}carr_line_prcng_lclty_cd`) setCoding(object, '99');
  const address = object.locationAddress;
  if (isJsonObject(address) && typeof address.state === 'string') address.state = profile.state;
}

function setClaimIdentifiers(eob: JsonObject, claim: PlannedClaim, random: SeededRandom): void {
  for (const identifier of children(eob, 'identifier')) {
    if (typeof identifier.system !== 'string') continue;
    if (CLAIM_ID_SYSTEMS.has(identifier.system)) identifier.value = claim.claimId;
    else if (identifier.system === CLAIM_GROUP_SYSTEM) identifier.value = `-${random.int(1, 9)}${random.digits(9)}`;
  }
}

function setDiagnoses(eob: JsonObject, claim: PlannedClaim, random: SeededRandom): number[] {
  const icd10 = claim.startDay >= ICD10_START_DAY;
  const diagnoses = children(eob, 'diagnosis');
  const withCodes = diagnoses.filter((diagnosis) => diagnosis.diagnosisCodeableConcept !== undefined);
  const picked = random.sample(icd10 ? ICD10_DIAGNOSES : ICD9_DIAGNOSES, withCodes.length);
  withCodes.forEach((diagnosis, index) => {
    const [code, display] = picked[index % picked.length] ?? ['', ''];
    diagnosis.diagnosisCodeableConcept = { coding: [{ system: icd10 ? ICD10_SYSTEM : ICD9_SYSTEM, code, display }] };
  });
  for (const diagnosis of diagnoses) {
    if (diagnosis.packageCode !== undefined) setCoding(children(child(diagnosis, 'packageCode'), 'coding')[0] ?? {}, random.pick(DRGS));
  }
  return withCodes.map((diagnosis) => Number(diagnosis.sequence)).filter(Number.isInteger);
}

function setProcedures(eob: JsonObject, random: SeededRandom): void {
  const procedures = children(eob, 'procedure');
  const picked = random.sample(ICD10_PROCEDURES, procedures.length);
  procedures.forEach((procedure, index) => {
    const [code, display] = picked[index % picked.length] ?? ['', ''];
    procedure.procedureCodeableConcept = { coding: [{ system: ICD10_SYSTEM, code, display }] };
  });
}

function serviceCodes(type: ClaimType): readonly string[] {
  if (type === 'dme') return HCPCS_DME;
  if (type === 'carrier') return HCPCS_PROFESSIONAL;
  return HCPCS_OUTPATIENT;
}

function setDrug(coding: JsonObject, random: SeededRandom): void {
  const [code, display] = random.pick(DRUGS);
  setCoding(coding, code, display);
}

/** Varies one claim line cloned from the template's line. */
function varyLine(line: JsonObject, type: ClaimType, context: ClaimContext, diagnosisSequences: readonly number[]): void {
  const { random, claim } = context;
  const lineFactor = 0.6 + 0.8 * random.next();
  context.lineFactors.push(lineFactor);
  scaleMoney(line, lineFactor);
  const day = isoDate(random.int(claim.startDay, claim.endDay));
  if (typeof line.servicedDate === 'string') line.servicedDate = day;
  if (line.servicedPeriod !== undefined) line.servicedPeriod = { start: day, end: day };
  if (Array.isArray(line.diagnosisLinkId) && diagnosisSequences.length > 0) line.diagnosisLinkId = [random.pick(diagnosisSequences)];
  for (const coding of children(line.service !== undefined ? child(line, 'service') : {}, 'coding')) {
    if (coding.system === NDC_SYSTEM) setDrug(coding, random);
    else if (coding.system === HCPCS_SYSTEM) coding.code = random.pick(serviceCodes(type));
  }
  for (const modifier of children(line, 'modifier')) {
    for (const coding of children(modifier, 'coding')) coding.code = random.pick(type === 'dme' ? DME_MODIFIERS : HCPCS_MODIFIERS);
  }
  for (const extension of children(line, 'extension')) {
    if (extension.url === NDC_SYSTEM) setDrug(child(extension, 'valueCoding'), random);
    if (extension.url === `${VARIABLES}fill_num` || extension.url === `${VARIABLES}days_suply_num`) {
      child(extension, 'valueQuantity').value = extension.url.endsWith('fill_num') ? random.int(0, 5) : random.pick([30, 60, 90]);
    }
  }
  if (line.revenue !== undefined && type in REVENUE_CENTERS) {
    const codes: readonly string[] = REVENUE_CENTERS[type as keyof typeof REVENUE_CENTERS];
    const coding = children(child(line, 'revenue'), 'coding')[0];
    if (coding) {
      const code = random.pick(codes);
      // Keep the template's text only when the code is still the template's code.
      if (code !== coding.code) setCoding(coding, code);
    }
  }
  if (type === 'pde' && isJsonObject(line.quantity)) line.quantity.value = random.pick([30, 60, 90]);
}

function buildLines(eob: JsonObject, type: ClaimType, context: ClaimContext, diagnosisSequences: readonly number[]): void {
  const [templateLine] = children(eob, 'item');
  if (!templateLine) return;
  const text = JSON.stringify(templateLine);
  eob.item = Array.from({ length: context.claim.lineCount }, (_, index) => {
    const line = JSON.parse(text) as JsonObject;
    line.sequence = index + 1;
    varyLine(line, type, context, diagnosisSequences);
    return line;
  });
}

function setPartDPlan(eob: JsonObject, profile: UserProfile): void {
  const insurance = child(eob, 'insurance');
  if (insurance.coverage === undefined || !profile.partD) return;
  for (const extension of children(child(insurance, 'coverage'), 'extension')) {
    const identifier = child(extension, 'valueIdentifier');
    if (extension.url === `${VARIABLES}plan_cntrct_rec_id`) identifier.value = profile.partD.contract;
    if (extension.url === `${VARIABLES}plan_pbp_rec_num`) identifier.value = profile.partD.plan;
  }
}

/**
 * The v1 EOB of a claim and the values drawn while building it that the EOB does not show as such.
 * The v2 (R4) builder renders the same claim from these (r4/eob.ts), so both versions agree.
 */
export interface BuiltClaim {
  readonly eob: JsonObject;
  /** Template NPI -> the claim's synthetic NPI. */
  readonly npis: ReadonlyMap<string, string>;
  /** Factor applied to every claim-level amount of the template. */
  readonly amountFactor: number;
  /** Factor applied, on top of amountFactor, to the amounts of each line (by line index). */
  readonly lineFactors: readonly number[];
}

export function buildEob(user: SyntheticUser, profile: UserProfile, claim: PlannedClaim): JsonObject {
  return buildClaim(user, profile, claim).eob;
}

export function buildClaim(user: SyntheticUser, profile: UserProfile, claim: PlannedClaim): BuiltClaim {
  const { type } = claim;
  const eob = eobTemplate(type);
  const random = new SeededRandom('eob', user.number, claim.ordinal);
  const context: ClaimContext = { user, profile, claim, random, npis: new Map(), lineFactors: [] };
  eob.id = `${type}-${claim.claimId}`;
  eob.meta = { lastUpdated: instant(claim.lastUpdatedDay, claim.lastUpdatedMillisecond) };
  const templateDates = eobTemplateDates(type);
  // Claim-level amounts vary over an order of magnitude, as real claims do.
  const amountFactor = 0.25 + 2.5 * random.next();
  // One pass over the tree (this is the generator's hot loop).
  forEachObject(eob, (object) => {
    moveDates(object, templateDates, claim);
    scaleIfMoney(object, amountFactor);
    rewriteReferencesAndIdentifiers(object, context);
  });
  setClaimIdentifiers(eob, claim, random);
  const diagnosisSequences = setDiagnoses(eob, claim, random);
  setProcedures(eob, random);
  buildLines(eob, type, context, diagnosisSequences);
  if (type === 'pde') setPartDPlan(eob, profile);
  return { eob, npis: context.npis, amountFactor, lineFactors: context.lineFactors };
}

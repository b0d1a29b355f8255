/**
 * Edits shared by the two template builders (build-templates.ts for the STU3/v1 templates,
 * build-r4-templates.ts for the R4/v2 ones): reading a BFD golden response with BFD's test
 * beneficiary renamed, walking the parsed JSON, and the clean-ups both versions need. Only the build
 * scripts use this; the sandbox reads the committed templates.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NDC_SYSTEM } from '../code-systems.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const BFD_BENE = '567834';
/** BB2's default sample beneficiary (DEFAULT_SAMPLE_FHIR_ID), BBUser28324 in the sandbox. */
export const SANDBOX_BENE = '-20140000008325';

/** A BFD golden response with BFD's test beneficiary 567834 renamed to the sandbox's default beneficiary. */
export function loadGolden(folder: string, file: string): JsonObject {
  const text = readFileSync(join(folder, file), 'utf8');
  const renamed = text
    .replaceAll(`Patient/${BFD_BENE}`, `Patient/${SANDBOX_BENE}`)
    .replaceAll(`-${BFD_BENE}"`, `-${SANDBOX_BENE}"`)
    .replaceAll(`"${BFD_BENE}"`, `"${SANDBOX_BENE}"`);
  return JSON.parse(renamed) as JsonObject;
}

export function obj(value: Json | undefined, where: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`expected an object at ${where}`);
  return value;
}

export function arr(value: Json | undefined, where: string): Json[] {
  if (!Array.isArray(value)) throw new Error(`expected an array at ${where}`);
  return value;
}

/** The resources of a golden search Bundle, in order. */
export function bundleResources(bundle: JsonObject): JsonObject[] {
  return arr(bundle.entry, 'entry').map((entry) => obj(obj(entry, 'entry[]').resource, 'resource'));
}

/** Calls `visit` on every object in the tree, parents first. */
export function visitObjects(node: Json, visit: (object: JsonObject) => void): void {
  if (Array.isArray(node)) node.forEach((child) => visitObjects(child, visit));
  else if (node !== null && typeof node === 'object') {
    visit(node);
    Object.values(node).forEach((child) => visitObjects(child, visit));
  }
}

/**
 * Names that BFD looked up for the fixtures' NPIs (its NPPES test data). The generator puts synthetic
 * NPIs in their place, and a real person's name next to a made-up NPI would be misleading.
 */
export const LOOKED_UP_NAMES: ReadonlySet<string> = new Set([
  'Fake ORG Name',
  'DR. HAROLD LEROY SMITSON II M.D.',
  'DR. DAVID SMITH MD',
  'DR. ROBERT BISBEE MD',
  'ADVANTAGE HOME HEALTH CARE, INC.',
]);

/** Deletes `display` from every object whose display is one of `names`. */
export function dropDisplays(node: Json, names: ReadonlySet<string>): void {
  visitObjects(node, (object) => {
    if (typeof object.display === 'string' && names.has(object.display)) delete object.display;
  });
}

/** The latest yyyy-mm-dd date anywhere in the resource: the template's meta.lastUpdated must not precede it. */
export function latestDate(node: Json): string {
  if (typeof node === 'string') return /^\d{4}-\d{2}-\d{2}/.test(node) ? node.slice(0, 10) : '';
  if (node === null || typeof node !== 'object') return '';
  const children = Array.isArray(node) ? node : Object.values(node);
  return children.map(latestDate).reduce((a, b) => (a > b ? a : b), '');
}

/** BFD's fixture drug "000000000 Fake Diluent - WATER" becomes a drug that appears in BB2's own v1 fixtures. */
export function replaceFixtureDrug(node: Json): void {
  visitObjects(node, (object) => {
    if (object.system === NDC_SYSTEM && object.code === '000000000') {
      object.code = '00378395277';
      object.display = 'Atorvastatin Calcium - ATORVASTATIN CALCIUM TRIHYDRATE';
    }
  });
}

/** BFD's golden read of each claim type (endpoint-responses/v1/ and v2/ name them alike). */
export const EOB_GOLDENS = {
  carrier: 'eobReadCarrier.json',
  dme: 'eobReadDme.json',
  hha: 'eobReadHha.json',
  hospice: 'eobReadHospice.json',
  inpatient: 'eobReadInpatient.json',
  outpatient: 'eobReadOutpatient.json',
  pde: 'eobReadPde.json',
  snf: 'eobReadSnf.json',
} as const;

export type ClaimTypeName = keyof typeof EOB_GOLDENS;

/** Writes a template as 2-space indented JSON with a final newline. */
export function writeTemplate(file: URL, value: JsonObject): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

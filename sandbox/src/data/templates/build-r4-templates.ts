/**
 * Rebuilds the R4 (BB2 v2) JSON templates in r4/ from BFD's v2 golden responses (see SOURCES.md).
 * Only needed when the samples change; the sandbox reads the committed templates at run time.
 *
 *   npx tsx sandbox/src/data/templates/build-r4-templates.ts <bb2-r4-samples folder>
 *
 * Every edit made to the originals is listed here, so the templates stay traceable to their source:
 * - BFD's test beneficiary 567834 becomes the sandbox's default beneficiary -20140000008325 (as in v1).
 * - "IGNORED_FIELD" placeholders get real values: meta.lastUpdated (as in v1) and the EOBs' `created`
 *   (the same day; the API stamps the time of the request, as BFD does).
 * - What BFD looked up for the fixtures' NPIs is dropped, as BFD's enrichEob drops it for an NPI it
 *   does not know (every synthetic NPI): provider and facility display names, the contained
 *   Organization's name, and the NUCC taxonomy codings of careTeam.qualification (a qualification left
 *   empty goes too).
 * - BFD's fixture drug (NDC 000000000 "Fake Diluent - WATER") becomes atorvastatin, as in v1.
 * - The date fixes of the v1 templates, applied to the same fixture dates here (a 1942 service line on
 *   a 2011 claim, a hospice stay a year after its billing period, ...), plus the two claim processing
 *   dates only v2 shows (fi_clm_proc_dt), moved with the weekly processing date they precede.
 * - The carrier line's sequence 6 becomes 1 (as in v1), and its contained Observation, named after
 *   the line, line-observation-1.
 */
import { join } from 'node:path';
import { VARIABLES } from '../code-systems.js';
import {
  arr,
  bundleResources,
  dropDisplays,
  EOB_GOLDENS,
  latestDate,
  loadGolden,
  LOOKED_UP_NAMES,
  obj,
  replaceFixtureDrug,
  visitObjects,
  writeTemplate,
  type ClaimTypeName,
  type Json,
  type JsonObject,
} from './template-edits.js';

const NUCC_TAXONOMY = 'http://nucc.org/provider-taxonomy';
const RECORD_UPDATED = '2021-06-07T21:51:07.769+00:00';


/** The supportingInfo entry whose category names this CCW variable or C4BB code. */
function supportingInfo(eob: JsonObject, category: string): JsonObject {
  for (const entry of arr(eob.supportingInfo, 'supportingInfo')) {
    const codings = arr(obj(obj(entry, 'supportingInfo[]').category, 'category').coding, 'category.coding');
    if (codings.some((coding) => [category, `${VARIABLES}${category}`].includes(String(obj(coding, 'coding').code)))) return obj(entry, category);
  }
  throw new Error(`no supportingInfo ${category}`);
}

function extension(eob: JsonObject, variable: string): JsonObject {
  const found = arr(eob.extension, 'extension').find((entry) => obj(entry, 'extension[]').url === `${VARIABLES}${variable}`);
  return obj(found, `extension ${variable}`);
}

function firstItem(eob: JsonObject): JsonObject {
  return obj(arr(eob.item, 'item')[0], 'item[0]');
}

function firstProcedure(eob: JsonObject): JsonObject {
  return obj(arr(eob.procedure, 'procedure')[0], 'procedure[0]');
}

/** The v1 templates' date fixes, found by what the dates mean rather than by position. */
const DATE_FIXES: Record<ClaimTypeName, (eob: JsonObject) => void> = {
  carrier: (eob) => {
    firstItem(eob).sequence = 1;
    const observation = obj(arr(eob.contained, 'contained')[0], 'contained[0]');
    observation.id = 'line-observation-1';
    supportingInfo(eob, 'line_hct_hgb_rslt_num').valueReference = { reference: '#line-observation-1' };
  },
  dme: () => undefined,
  hha: (eob) => {
    supportingInfo(eob, 'nch_wkly_proc_dt').timingDate = '2015-07-10';
    extension(eob, 'fi_clm_proc_dt').valueDate = '2015-07-03';
  },
  hospice: (eob) => {
    supportingInfo(eob, 'nch_wkly_proc_dt').timingDate = '2014-02-14';
    extension(eob, 'fi_clm_proc_dt').valueDate = '2014-02-11';
    supportingInfo(eob, 'admissionperiod').timingPeriod = { start: '2014-01-01', end: '2014-01-30' };
    firstItem(eob).servicedDate = '2014-01-01';
  },
  inpatient: () => undefined,
  outpatient: (eob) => {
    firstItem(eob).servicedDate = '2011-01-24';
    firstProcedure(eob).date = '2011-01-24T00:00:00+00:00';
  },
  pde: () => undefined,
  snf: (eob) => {
    supportingInfo(eob, 'nch_vrfd_ncvrd_stay_from_dt').timingPeriod = { start: '2013-08-11', end: '2013-08-21' };
    supportingInfo(eob, 'nch_bene_mdcr_bnfts_exhtd_dt_i').timingDate = '2013-08-31';
    firstProcedure(eob).date = '2013-12-05T00:00:00+00:00';
  },
};

/** What BFD's enrichEob leaves of an NPI it cannot find: no names, no taxonomy. */
function dropNpiLookups(eob: JsonObject): void {
  dropDisplays(eob, LOOKED_UP_NAMES);
  for (const contained of eob.contained === undefined ? [] : arr(eob.contained, 'contained')) {
    const resource = obj(contained, 'contained[]');
    if (typeof resource.name === 'string' && LOOKED_UP_NAMES.has(resource.name)) delete resource.name;
  }
  for (const member of eob.careTeam === undefined ? [] : arr(eob.careTeam, 'careTeam')) {
    const careTeam = obj(member, 'careTeam[]');
    if (careTeam.qualification === undefined) continue;
    const qualification = obj(careTeam.qualification, 'qualification');
    const kept = arr(qualification.coding, 'qualification.coding').filter((coding) => obj(coding, 'coding').system !== NUCC_TAXONOMY);
    if (kept.length === 0) delete careTeam.qualification;
    else qualification.coding = kept;
  }
}

function resolveIgnoredFields(resource: JsonObject, lastUpdated: string): void {
  obj(resource.meta, 'meta').lastUpdated = lastUpdated;
  // HAPI writes `created` (a dateTime) to the second.
  if (resource.created !== undefined) resource.created = lastUpdated.replace(/\.\d{3}/, '');
  let unresolved = false;
  visitObjects(resource as Json, (object) => {
    if (Object.values(object).includes('IGNORED_FIELD')) unresolved = true;
  });
  if (unresolved) throw new Error(`unresolved IGNORED_FIELD in ${String(resource.id)}`);
}

function templateFile(name: string): URL {
  return new URL(`./r4/${name}`, import.meta.url);
}

function main(): void {
  const samples = process.argv[2];
  if (!samples) {
    console.error('usage: build-r4-templates.ts <path to bb2-r4-samples>');
    process.exit(2);
  }
  const folder = join(samples, 'bfd-endpoint-responses-v2');

  const patient = loadGolden(folder, 'patientRead.json');
  resolveIgnoredFields(patient, RECORD_UPDATED);
  writeTemplate(templateFile('patient.json'), patient);

  for (const coverage of bundleResources(loadGolden(folder, 'coverageSearchByPatientId.json'))) {
    resolveIgnoredFields(coverage, RECORD_UPDATED);
    writeTemplate(templateFile(`coverage-${String(coverage.id).slice(0, 6)}.json`), coverage);
  }

  for (const [type, file] of Object.entries(EOB_GOLDENS) as [ClaimTypeName, string][]) {
    const eob = loadGolden(folder, file);
    DATE_FIXES[type](eob);
    dropNpiLookups(eob);
    replaceFixtureDrug(eob);
    resolveIgnoredFields(eob, `${latestDate({ ...eob, meta: null, created: null })}T12:00:00.000+00:00`);
    writeTemplate(templateFile(`eob-${type}.json`), eob);
  }
}

main();

/**
 * Rebuilds the JSON templates in this folder from the CMS reference samples (see SOURCES.md).
 * Only needed when the samples change; the sandbox reads the committed templates at run time.
 *
 *   npx tsx sandbox/src/data/templates/build-templates.ts <bb2-stu3-samples folder>
 *
 * Every edit made to the originals is listed here, so the templates stay traceable to their source:
 * - BFD's test beneficiary 567834 becomes the sandbox's default beneficiary -20140000008325.
 * - "IGNORED_FIELD" placeholders get real values: contained ids "1"/"2" with references "#1"/"#2"
 *   (the form BB2's own v1 fixtures show) and a meta.lastUpdated after the claim's dates.
 * - Names that BFD looked up for real NPIs ("Fake ORG Name", NPPES names) are dropped: the generator
 *   puts synthetic NPIs there, and a real person's name next to a made-up NPI would be misleading.
 * - Test-fixture dates that contradict the claim (a 1942 service line on a 2011 claim, a hospice stay a
 *   year after its billing period) are moved inside or just after the billing period, so that shifting
 *   the template to new service dates keeps every date consistent.
 * - BFD's fixture drug (NDC 000000000 "Fake Diluent - WATER") becomes atorvastatin, NDC 00378395277,
 *   a code/display pair from BB2's own fixtures.
 * - The carrier line's sequence 6 (a fixture artefact; the claim has one line) becomes 1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  writeTemplate as writeJson,
  type ClaimTypeName,
  type JsonObject,
} from './template-edits.js';

function load(samples: string, file: string): JsonObject {
  return loadGolden(join(samples, 'bfd-endpoint-responses-v1'), file);
}

function resolveIgnoredFields(resource: JsonObject, lastUpdated: string): void {
  obj(resource.meta, 'meta').lastUpdated = lastUpdated;
  const contained = resource.contained === undefined ? [] : arr(resource.contained, 'contained');
  contained.forEach((child, index) => {
    obj(child, 'contained[]').id = String(index + 1);
  });
  let text = JSON.stringify(resource);
  // The referral points at the contained ReferralRequest, the hct/hgb line result at the Observation.
  text = text.replace('"referral":{"reference":"IGNORED_FIELD"}', '"referral":{"reference":"#1"}');
  text = text.replace('"valueReference":{"reference":"IGNORED_FIELD"}', '"valueReference":{"reference":"#2"}');
  if (text.includes('IGNORED_FIELD')) throw new Error(`unresolved IGNORED_FIELD in ${String(resource.id)}`);
  Object.assign(resource, JSON.parse(text) as JsonObject);
}


/** Date fixes per template; paths are applied after parsing. */
const DATE_FIXES: Record<ClaimTypeName, (eob: JsonObject) => void> = {
  carrier: (eob) => {
    obj(arr(eob.item, 'item')[0], 'item[0]').sequence = 1;
  },
  dme: () => undefined,
  hha: (eob) => {
    obj(arr(eob.information, 'information')[0], 'information[0]').timingDate = '2015-07-10';
  },
  hospice: (eob) => {
    obj(arr(eob.information, 'information')[0], 'information[0]').timingDate = '2014-02-14';
    const stay = obj(eob.hospitalization, 'hospitalization');
    stay.start = '2014-01-01';
    stay.end = '2014-01-30';
    obj(arr(eob.item, 'item')[0], 'item[0]').servicedDate = '2014-01-01';
  },
  inpatient: () => undefined,
  outpatient: (eob) => {
    obj(arr(eob.item, 'item')[0], 'item[0]').servicedDate = '2011-01-24';
    obj(arr(eob.procedure, 'procedure')[0], 'procedure[0]').date = '2011-01-24T00:00:00+00:00';
  },
  pde: () => undefined,
  snf: (eob) => {
    const information = arr(eob.information, 'information');
    obj(obj(information[3], 'information[3]').timingPeriod, 'timingPeriod').start = '2013-08-11';
    obj(obj(information[3], 'information[3]').timingPeriod, 'timingPeriod').end = '2013-08-21';
    obj(information[4], 'information[4]').timingDate = '2013-08-31';
    obj(arr(eob.procedure, 'procedure')[0], 'procedure[0]').date = '2013-12-05T00:00:00+00:00';
  },
};

function writeTemplate(name: string, value: JsonObject): void {
  writeJson(new URL(`./${name}`, import.meta.url), value);
}

/**
 * The site's CSV has one row per user with the claim counts of the 2017 synthetic data set (carrier and
 * inpatient claims, and their line counts; Part D is always 0). Keep just those numbers, ordered by user.
 */
function writeClaimCounts(samples: string): void {
  const csv = readFileSync(join(samples, 'synthetic-users', 'synthetic_users_by_claim_count_full.csv'), 'utf8');
  const [header = '', ...rows] = csv.trim().split(/\r?\n/);
  const columns = header.split(',');
  const at = (name: string) => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`claim-count CSV lacks column ${name}`);
    return index;
  };
  const picked = ['carrier_claim_count', 'carrier_claim_line_count', 'inpatient_claim_count', 'inpatient_claim_line_count'].map(at);
  const user = at('FRONTEND_USER_NAME');
  const lines = rows
    .map((row) => row.split(','))
    .filter((cells) => /^BBUser\d{5}$/.test(cells[user] ?? ''))
    .map((cells) => [Number((cells[user] ?? '').slice(6)), ...picked.map((index) => Number(cells[index]))])
    .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))
    .map((numbers) => numbers.join(','));
  writeFileSync(new URL('./claim-counts.csv', import.meta.url), `user,carrier,carrier_lines,inpatient,inpatient_lines\n${lines.join('\n')}\n`);
}

function main(): void {
  const samples = process.argv[2];
  if (!samples) {
    console.error('usage: build-templates.ts <path to bb2-stu3-samples>');
    process.exit(2);
  }
  const patient = load(samples, 'patientRead.json');
  resolveIgnoredFields(patient, '2021-06-07T21:51:07.769+00:00');
  writeTemplate('patient.json', patient);

  for (const coverage of bundleResources(load(samples, 'coverageSearchByPatientId.json'))) {
    resolveIgnoredFields(coverage, '2021-06-07T21:51:07.769+00:00');
    writeTemplate(`coverage-${String(coverage.id).slice(0, 6)}.json`, coverage);
  }

  for (const [type, file] of Object.entries(EOB_GOLDENS) as [ClaimTypeName, string][]) {
    const eob = load(samples, file);
    DATE_FIXES[type](eob);
    dropDisplays(eob, LOOKED_UP_NAMES);
    replaceFixtureDrug(eob);
    resolveIgnoredFields(eob, `${latestDate(eob)}T12:00:00.000+00:00`);
    writeTemplate(`eob-${type}.json`, eob);
  }
  writeClaimCounts(samples);
}

main();

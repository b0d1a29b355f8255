/**
 * `npx tsx scripts/generate/fhir-requirements.ts [stu3|r4 …]`
 *
 * Writes requirements/fhir-<release>.json from the engine's data (lib/validation/fhir/requirements.ts):
 * one catalogue entry per invariant, JSON rule, schema rule and required binding. Run it after
 * regenerating schemas/fhir-<release>/ or changing a rule; lib/validation/fhir/requirements.test.ts
 * fails while the file is stale.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/config.js';
import { RELEASES, type ReleaseName } from '../../lib/validation/fhir/release.js';
import { buildRequirements } from '../../lib/validation/fhir/requirements.js';

export function requirementsFile(release: ReleaseName): string {
  return path.join(REPO_ROOT, 'requirements', `fhir-${release}.json`);
}

const names = process.argv.slice(2);
const unknown = names.filter((name) => !(name in RELEASES));
if (unknown.length > 0) {
  console.error(`unknown release ${unknown.join(', ')} (releases: ${Object.keys(RELEASES).join(', ')})`);
  process.exitCode = 2;
} else {
  for (const name of (names.length > 0 ? names : ['stu3']) as ReleaseName[]) {
    const file = requirementsFile(name);
    const catalogue = buildRequirements(RELEASES[name]);
    writeFileSync(file, `${JSON.stringify(catalogue, null, 2)}\n`);
    console.log(`${path.relative(REPO_ROOT, file)}: ${catalogue.requirements.length} requirements`);
  }
}

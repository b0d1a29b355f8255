/**
 * `npx tsx scripts/vendor-profiles.ts CARIN_BB.tgz US_CORE.tgz`: copies, byte for byte, the
 * conformance resources that BB2 v2 (FHIR R4) resources need out of the HL7 package files
 * hl7.fhir.us.carin-bb 1.1.0 and hl7.fhir.us.core 3.1.1 into schemas/c4bb/ and schemas/us-core/,
 * and writes each folder's PROVENANCE.md (package, version, licence, source file, sha256 of every
 * copy). Running it again on the same packages gives the same files, so the vendored set is
 * reproducible; the requirement files (requirements/c4bb.json, requirements/us-core.json) get an
 * entry for every vendored profile and profile invariant that has none yet (existing entries, and
 * whatever a person wrote in them, are kept as they are).
 *
 * What is copied:
 * - the StructureDefinitions BB2 v2 serves or references: C4BB Patient, Coverage, the four
 *   ExplanationOfBenefit profiles, Organization and Practitioner (contained in EOBs), and every
 *   profile they derive from that the packages hold (C4BB-ExplanationOfBenefit, US Core Patient,
 *   Organization, Practitioner);
 * - the ValueSets of their required and extensible bindings, and those their invariants name in
 *   memberOf(), with the ValueSets these include; the CodeSystems those include whose content is
 *   complete (a CodeSystem published with content "not-present" cannot check a code).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../lib/config.js';
import { UsageError } from '../sandbox/src/cli-arguments.js';
import type { PackageName } from '../lib/validation/profiles/conformance.js';
import { invariantRequirementId, profilePageUrl, profileRequirementId } from '../lib/validation/profiles/requirement-ids.js';

/** The profiles BB2 v2 resources claim or contain (meta.profile values, without version). */
const ROOT_PROFILES = [
  'http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-Patient',
  'http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-Coverage',
  'http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-ExplanationOfBenefit-Inpatient-Institutional',
  'http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-ExplanationOfBenefit-Outpatient-Institutional',
  'http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-ExplanationOfBenefit-Pharmacy',
  'http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-ExplanationOfBenefit-Professional-NonClinician',
  'http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-Organization',
  'http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-Practitioner',
];

/** Where each package's copies go, and where its requirement entries live. */
const PACKAGES: Record<PackageName, { folder: string; requirements: string; title: string; origin: string }> = {
  'hl7.fhir.us.carin-bb': {
    folder: 'schemas/c4bb',
    requirements: 'requirements/c4bb.json',
    title: 'CARIN IG for Blue Button (C4BB)',
    origin:
      'https://github.com/inferno-framework/carin-for-blue-button-test-kit/blob/a95b90ffea62f6ff8fa2e33ed6b7a2b4462017fb/lib/carin_for_blue_button_test_kit/igs/carin4bb-110.tgz',
  },
  'hl7.fhir.us.core': {
    folder: 'schemas/us-core',
    requirements: 'requirements/us-core.json',
    title: 'US Core',
    origin: 'https://github.com/inferno-framework/us-core-test-kit/blob/73fc69a5f45f9250d5df23aa3b9fbea2bdbba79b/lib/us_core_test_kit/igs/us_core_311.tgz',
  },
};

const USAGE = `Usage: npx tsx scripts/vendor-profiles.ts CARIN_BB_PACKAGE.tgz US_CORE_PACKAGE.tgz

Copies the StructureDefinitions, ValueSets and CodeSystems BB2 v2 needs from the HL7 FHIR package
files (hl7.fhir.us.carin-bb 1.1.0, hl7.fhir.us.core 3.1.1) into schemas/c4bb/ and schemas/us-core/
with a PROVENANCE.md each, and adds missing entries to requirements/c4bb.json and us-core.json.`;

interface PackageFile {
  readonly packageName: string;
  readonly packageVersion: string;
  readonly fileName: string;
  readonly bytes: Buffer;
  readonly resource: Record<string, unknown>;
}

interface LoadedPackage {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  readonly fhirVersions: string;
  readonly tgzName: string;
  readonly tgzSha256: string;
  readonly files: PackageFile[];
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Unpacks a package with the system's tar (every supported OS ships one) and reads its package/*.json. */
function loadPackage(tgz: string): LoadedPackage {
  if (!existsSync(tgz)) throw new UsageError(`no such file: ${tgz}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'fhir-package-'));
  try {
    try {
      execFileSync('tar', ['-xzf', tgz, '-C', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      throw new UsageError(`${tgz} is not a gzipped tar file (tar said: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`);
    }
    const manifestPath = path.join(dir, 'package', 'package.json');
    if (!existsSync(manifestPath)) throw new UsageError(`${tgz} is not a FHIR package: no package/package.json`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: string; version?: string; license?: string; fhirVersions?: string[] };
    if (!manifest.name || !manifest.version) throw new UsageError(`${tgz}: package/package.json has no name or version`);
    const files: PackageFile[] = [];
    for (const fileName of readdirSync(path.join(dir, 'package')).sort()) {
      if (!/^(StructureDefinition|ValueSet|CodeSystem)-.*\.json$/.test(fileName)) continue;
      const bytes = readFileSync(path.join(dir, 'package', fileName));
      files.push({ packageName: manifest.name, packageVersion: manifest.version, fileName, bytes, resource: JSON.parse(bytes.toString('utf8')) as Record<string, unknown> });
    }
    return {
      name: manifest.name,
      version: manifest.version,
      license: manifest.license ?? '(none stated)',
      fhirVersions: (manifest.fhirVersions ?? []).join(', '),
      tgzName: path.basename(tgz),
      tgzSha256: sha256(readFileSync(tgz)),
      files,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const canonical = (url: string): string => url.split('|')[0] as string;

interface Selected {
  readonly file: PackageFile;
  readonly why: string;
}

interface ElementLike {
  id?: string;
  binding?: { strength?: string; valueSet?: string };
  constraint?: { key?: string; expression?: string; human?: string; severity?: string; source?: string }[];
}

/** Picks the files BB2 v2 needs (see the header), each with the reason it was picked. */
function select(packages: LoadedPackage[]): Selected[] {
  const byUrl = new Map<string, PackageFile>();
  for (const pkg of packages) for (const file of pkg.files) if (typeof file.resource.url === 'string') byUrl.set(file.resource.url, file);
  const selected = new Map<string, Selected>();
  const add = (url: string, why: string): PackageFile | undefined => {
    const file = byUrl.get(canonical(url));
    if (!file) return undefined;
    if (!selected.has(file.fileName + file.packageName)) selected.set(file.fileName + file.packageName, { file, why });
    return file;
  };

  const valueSets: [string, string][] = [];
  for (const root of ROOT_PROFILES) {
    let url: string | undefined = root;
    let why = 'BB2 v2 profile';
    while (url) {
      const file = add(url, why);
      if (!file) {
        if (url === root) throw new UsageError(`the packages do not hold ${root}`);
        break;
      }
      const elements = ((file.resource.snapshot as { element?: ElementLike[] } | undefined)?.element ?? []) as ElementLike[];
      for (const element of elements) {
        const binding = element.binding;
        if (binding?.valueSet && (binding.strength === 'required' || binding.strength === 'extensible')) valueSets.push([binding.valueSet, `${binding.strength} binding of ${element.id}`]);
        for (const constraint of element.constraint ?? []) {
          for (const match of (constraint.expression ?? '').matchAll(/memberOf\('([^']+)'\)/g)) valueSets.push([match[1] as string, `memberOf() in invariant ${constraint.key}`]);
        }
      }
      why = `base of ${String(file.resource.id)}`;
      url = typeof file.resource.baseDefinition === 'string' ? file.resource.baseDefinition : undefined;
    }
  }

  const seenValueSets = new Set<string>();
  while (valueSets.length > 0) {
    const [url, why] = valueSets.shift() as [string, string];
    if (seenValueSets.has(canonical(url))) continue;
    seenValueSets.add(canonical(url));
    const file = add(url, why);
    if (!file) continue;
    const compose = file.resource.compose as { include?: { system?: string; valueSet?: string[] }[]; exclude?: { system?: string; valueSet?: string[] }[] } | undefined;
    for (const part of [...(compose?.include ?? []), ...(compose?.exclude ?? [])]) {
      for (const included of part.valueSet ?? []) valueSets.push([included, `included by ValueSet ${String(file.resource.id)}`]);
      if (part.system) {
        const system = byUrl.get(part.system);
        if (system && system.resource.content === 'complete') add(part.system, `code system of ValueSet ${String(file.resource.id)}`);
      }
    }
  }
  return [...selected.values()].sort((a, b) => a.file.fileName.localeCompare(b.file.fileName));
}

function provenance(pkg: LoadedPackage, config: (typeof PACKAGES)[PackageName], files: Selected[]): string {
  const rows = files.map(({ file, why }) => `| ${file.fileName} | ${String(file.resource.url)} | ${why} | \`${sha256(file.bytes)}\` |`);
  return `# Provenance of the ${config.title} ${pkg.version} files in this folder

| Field | Value |
|---|---|
| What | Conformance resources (StructureDefinition, ValueSet, CodeSystem) that BB2 v2 resources need, copied byte for byte |
| Package | \`${pkg.name}\` ${pkg.version} (FHIR ${pkg.fhirVersions}), the HL7 FHIR package format (\`package/*.json\`) |
| Package file | \`${pkg.tgzName}\`, sha256 \`${pkg.tgzSha256}\` |
| Package file's public source | ${config.origin} |
| Licence | ${pkg.license} (the package's \`package.json\`; HL7 publishes FHIR implementation guides under CC0) |
| Made by | \`npx tsx scripts/vendor-profiles.ts <carin-bb .tgz> <us-core .tgz>\`: running it again on the same package files gives the same files |
| Used by | \`lib/validation/profiles/\` (the profile validator) |

Never edit these files: the validator reads them as published. \`lib/validation/profiles/vendored.test.ts\`
checks every sha256 below against the file beside it.

| File | Canonical URL | Why it is here | sha256 |
|---|---|---|---|
${rows.join('\n')}
`;
}

// ---------------------------------------------------------------------------------------------
// Requirement entries

interface Requirement {
  id: string;
  title: string;
  text: string;
  strength: 'SHALL' | 'SHOULD' | 'MAY';
  area: string;
  sources: { url: string; detail: string }[];
  untested?: string;
}

interface RequirementsFile {
  $comment: string;
  requirements: Requirement[];
}

function requirementsFor(pkg: LoadedPackage, files: Selected[]): Requirement[] {
  const out: Requirement[] = [];
  for (const { file } of files) {
    const sd = file.resource;
    if (sd.resourceType !== 'StructureDefinition') continue;
    const id = String(sd.id);
    const packageName = pkg.name as PackageName;
    const page = profilePageUrl(packageName, id);
    const requirementId = profileRequirementId(packageName, id);
    out.push({
      id: requirementId,
      title: `${String(sd.title ?? sd.name)}: conformance`,
      text: `${/^[AEIOU]/.test(String(sd.type)) ? 'An' : 'A'} ${String(sd.type)} that claims ${String(sd.url)}, or a profile derived from it, in meta.profile conforms to it: the cardinality of its elements and slices, its fixed and pattern values, its required bindings, its closed slicings and its invariants (${pkg.name} ${pkg.version}).`,
      strength: 'SHALL',
      area: 'validation',
      sources: [{ url: page, detail: `StructureDefinition ${id}, snapshot` }],
    });
    const differential = ((sd.differential as { element?: ElementLike[] } | undefined)?.element ?? []) as ElementLike[];
    // One entry per invariant key: C4BB puts the same invariant on item.adjudication and adjudication.
    const invariants = new Map<string, { constraint: NonNullable<ElementLike['constraint']>[number]; elements: string[] }>();
    for (const element of differential) {
      for (const constraint of element.constraint ?? []) {
        if (!constraint.key || (constraint.source && constraint.source !== sd.url)) continue;
        const entry = invariants.get(constraint.key) ?? { constraint, elements: [] };
        entry.elements.push(String(element.id));
        invariants.set(constraint.key, entry);
      }
    }
    for (const [key, { constraint, elements }] of invariants) {
      out.push({
        id: invariantRequirementId(packageName, id, key),
        title: `${id} invariant ${key}`,
        text: `${String(constraint.human ?? '').trim()} (on ${elements.join(' and ')}; FHIRPath: ${String(constraint.expression ?? '').replace(/\s+/g, ' ').trim()})`,
        strength: constraint.severity === 'error' ? 'SHALL' : 'SHOULD',
        area: 'validation',
        sources: [{ url: page, detail: `constraint ${key} on ${elements.join(', ')}` }],
      });
    }
  }
  return out;
}

/** Adds entries whose id is missing; never changes or drops an entry already in the file. */
function mergeRequirements(file: string, comment: string, generated: Requirement[]): { added: string[] } {
  const existing: RequirementsFile = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RequirementsFile) : { $comment: comment, requirements: [] };
  if (!Array.isArray(existing.requirements)) throw new UsageError(`${file} has no "requirements" array; fix it by hand first`);
  const known = new Set(existing.requirements.map((requirement) => requirement.id));
  const added = generated.filter((requirement) => !known.has(requirement.id));
  existing.requirements.push(...added);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(existing, null, 2)}\n`);
  return { added: added.map((requirement) => requirement.id) };
}

function main(argv: readonly string[]): number {
  if (argv.includes('-h') || argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  if (argv.length !== 2) throw new UsageError(`expected two package files, got ${argv.length} argument(s)`);
  const packages = argv.map(loadPackage);
  for (const name of Object.keys(PACKAGES)) if (!packages.some((pkg) => pkg.name === name)) throw new UsageError(`none of the files is the ${name} package`);
  const selected = select(packages);
  for (const pkg of packages) {
    const config = PACKAGES[pkg.name as PackageName];
    if (!config) throw new UsageError(`unexpected package ${pkg.name}`);
    const folder = path.join(REPO_ROOT, config.folder);
    mkdirSync(folder, { recursive: true });
    // Only files this script writes are replaced; anything else in the folder stays.
    for (const name of readdirSync(folder)) if (/^(StructureDefinition|ValueSet|CodeSystem)-.*\.json$/.test(name)) rmSync(path.join(folder, name));
    const mine = selected.filter(({ file }) => file.packageName === pkg.name);
    for (const { file } of mine) writeFileSync(path.join(folder, file.fileName), file.bytes);
    writeFileSync(path.join(folder, 'PROVENANCE.md'), provenance(pkg, config, mine));
    const { added } = mergeRequirements(
      path.join(REPO_ROOT, config.requirements),
      `${config.title} ${pkg.version} profile rules: one entry per vendored profile (conformance to it) and per invariant it introduces. Entries were first written by scripts/vendor-profiles.ts from the StructureDefinitions in ${config.folder}/; edit them freely, the script only adds missing ids.`,
      requirementsFor(pkg, mine),
    );
    console.log(`${pkg.name} ${pkg.version}: ${mine.length} files -> ${config.folder}/; ${added.length} new requirement entries in ${config.requirements}`);
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else throw error;
}

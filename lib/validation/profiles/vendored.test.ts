/**
 * The vendored profile set is what its PROVENANCE.md says (every file's sha256), nothing more or less,
 * and every requirement id a profile rule can report resolves in requirements/*.json with a public
 * source.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ElementNode } from './compile.js';
import { VENDORED_FOLDERS } from './conformance.js';
import { loadBb2V2ProfileFacts } from './bb2-v2.js';
import { getProfileValidator } from './validator.js';
import { REPO_ROOT } from '../../config.js';

interface Requirement {
  id: string;
  sources: { url: string }[];
  strength: string;
  area: string;
}

function catalogue(): Map<string, Requirement> {
  const out = new Map<string, Requirement>();
  for (const file of readdirSync(`${REPO_ROOT}/requirements`).filter((name) => name.endsWith('.json'))) {
    const parsed = JSON.parse(readFileSync(`${REPO_ROOT}/requirements/${file}`, 'utf8')) as { requirements: Requirement[] };
    for (const requirement of parsed.requirements) {
      assert.ok(!out.has(requirement.id), `${requirement.id} twice in the catalogue`);
      out.set(requirement.id, requirement);
    }
  }
  return out;
}

describe('vendored C4BB / US Core files', () => {
  for (const [packageName, folder] of Object.entries(VENDORED_FOLDERS)) {
    it(`${packageName}: every file matches the sha256 in PROVENANCE.md, and PROVENANCE.md lists every file`, () => {
      const provenance = readFileSync(`${folder}PROVENANCE.md`, 'utf8');
      const listed = new Map([...provenance.matchAll(/^\| (\S+\.json) \| .* \| `([0-9a-f]{64})` \|$/gm)].map((match) => [match[1] as string, match[2] as string]));
      const files = readdirSync(folder).filter((name) => name.endsWith('.json'));
      assert.deepEqual([...listed.keys()].sort(), files.sort());
      for (const file of files) assert.equal(createHash('sha256').update(readFileSync(`${folder}${file}`)).digest('hex'), listed.get(file), `${file} differs from the package`);
      assert.match(provenance, /CC0-1\.0/);
    });
  }
});

describe('requirement ids of the profile rules', () => {
  const requirements = catalogue();
  const validator = getProfileValidator();

  it('each profile, each invariant it introduces, and the BB2 v2 profile rule has a catalogue entry with a public source', () => {
    const needed = new Set<string>([loadBb2V2ProfileFacts().requirement]);
    for (const url of validator.profileUrls) {
      const profile = validator.profile(url);
      assert.ok(profile);
      needed.add(profile.requirement);
      const visit = (node: ElementNode): void => {
        for (const rule of node.invariants) needed.add(rule.requirement);
        for (const origin of Object.values(node.rules)) needed.add(origin.requirement);
        node.children.forEach(visit);
        node.slicing?.slices.forEach(visit);
      };
      visit(profile.root);
    }
    for (const id of needed) {
      const requirement = requirements.get(id);
      assert.ok(requirement, `${id} is not in requirements/*.json`);
      assert.match(id, /^[A-Z][A-Z0-9]*(-[A-Za-z0-9.]+)+$/);
      assert.ok(requirement.sources.length > 0 && requirement.sources.every((source) => /^https?:\/\//.test(source.url)), `${id}: sources`);
    }
  });

  it('c4bb.json and us-core.json cite the IG pages of the published versions', () => {
    for (const file of ['c4bb.json', 'us-core.json']) {
      const parsed = JSON.parse(readFileSync(`${REPO_ROOT}/requirements/${file}`, 'utf8')) as { requirements: Requirement[] };
      for (const requirement of parsed.requirements) {
        assert.match(requirement.sources[0]?.url ?? '', /^http:\/\/hl7\.org\/fhir\/us\/(carin-bb\/STU1\.1|core\/STU3\.1\.1)\/StructureDefinition-[A-Za-z0-9-]+\.html$/, requirement.id);
        assert.equal(requirement.area, 'validation');
      }
    }
  });
});

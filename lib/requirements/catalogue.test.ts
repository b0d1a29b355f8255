/**
 * The catalogue loader (lib/requirements/catalogue.ts, sources.ts) on the repository's files and on bad
 * input: each problem is reported with its file and entry, all at once; ids are unique across files;
 * sources are permanent public addresses or files of this repository; `includes` expands.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { requirement, requirementIds } from '../../fixtures/annotations.js';
import { buildCatalogue, CatalogueError, citedThrough, includedBy, loadCatalogue, readCatalogue, requirementById } from './catalogue.js';
import { problemWithSourceUrl } from './sources.js';

const RFC = 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2';
const entry = (id: string, extra: Record<string, unknown> = {}) => ({ id, title: 'a title', text: 'a text', strength: 'SHALL', area: 'oauth', sources: [{ url: RFC, detail: 'why' }], ...extra });

function problemsOf(files: Array<{ file: string; document: unknown }>): string[] {
  try {
    buildCatalogue(files);
  } catch (error) {
    assert.ok(error instanceof CatalogueError, String(error));
    return [...error.problems];
  }
  return [];
}

describe('the repository catalogue', () => {
  it('loads every requirements/*.json with BB2 and RFC entries', () => {
    const catalogue = loadCatalogue();
    assert.ok(catalogue.requirements.some((each) => each.file === 'requirements/bb2.json'));
    assert.ok(catalogue.requirements.some((each) => each.file === 'requirements/oauth.json'));
    assert.equal(requirementById('BB2-OAUTH-PKCE-01')?.strength, 'SHALL');
    assert.equal(requirementById('RFC7636-4.6')?.area, 'oauth');
    assert.equal(requirementById('NO-SUCH-1'), undefined);
  });

  it('expands a requirement that includes others to its members, and finds the includer of a member', () => {
    const catalogue = buildCatalogue([
      { file: 'requirements/a.json', document: { requirements: [entry('BB2-FHIR-STU3-01', { includes: ['FHIR-STU3-'] }), entry('FHIR-STU3-per-1'), entry('FHIR-R4-per-1')] } },
    ]);
    assert.deepEqual([...citedThrough(['BB2-FHIR-STU3-01'], catalogue)].sort(), ['BB2-FHIR-STU3-01', 'FHIR-STU3-per-1']);
    assert.deepEqual([...citedThrough(['UNKNOWN-1'], catalogue)], ['UNKNOWN-1']);
    assert.deepEqual(includedBy('FHIR-STU3-per-1', catalogue).map((each) => each.id), ['BB2-FHIR-STU3-01']);
  });
});

describe('bad catalogue files', () => {
  it('names the file and the entry of every malformed entry, all at once', () => {
    const problems = problemsOf([
      {
        file: 'requirements/x.json',
        document: {
          requirements: [
            entry('BB2-OK-01'),
            entry('bb2-lower-01'),
            { ...entry('BB2-NO-TEXT-01'), text: '   ' },
            entry('BB2-STRENGTH-01', { strength: 'MUST' }),
            entry('BB2-SOURCES-01', { sources: [] }),
            entry('BB2-TYPO-01', { untestd: 'typo' }),
            'not an object',
          ],
        },
      },
    ]);
    assert.equal(problems.length, 6, problems.join('\n'));
    assert.match(problems[0] ?? '', /^requirements\/x\.json: requirements\[1\] \(bb2-lower-01\): id: must match/);
    assert.match(problems[1] ?? '', /^requirements\/x\.json: requirements\[2\] \(BB2-NO-TEXT-01\): text: must not be empty/);
    assert.match(problems[2] ?? '', /requirements\[3\] \(BB2-STRENGTH-01\): strength:/);
    assert.match(problems[3] ?? '', /requirements\[4\] \(BB2-SOURCES-01\): sources: needs at least one public source/);
    assert.match(problems[4] ?? '', /requirements\[5\] \(BB2-TYPO-01\): .*untestd/);
    assert.match(problems[5] ?? '', /requirements\[6\]: \(entry\):/);
  });

  it('refuses a file that is not a requirements document', () => {
    assert.match(problemsOf([{ file: 'requirements/y.json', document: { entries: [] } }]).join('\n'), /^requirements\/y\.json: /);
  });

  it('refuses an id defined twice, naming both files', () => {
    const problems = problemsOf([
      { file: 'requirements/a.json', document: { requirements: [entry('BB2-TWICE-01')] } },
      { file: 'requirements/b.json', document: { requirements: [entry('BB2-TWICE-01')] } },
    ]);
    assert.deepEqual(problems, ['BB2-TWICE-01 is defined twice: in requirements/a.json and in requirements/b.json']);
  });

  it('refuses a source that is not a permanent public address, or a path outside the repository', () => {
    const problems = problemsOf([
      {
        file: 'requirements/s.json',
        document: {
          requirements: [
            entry('BB2-BRANCH-01', { sources: [{ url: 'https://github.com/CMSgov/bluebutton-web-server/blob/master/apps/dot_ext/utils.py' }] }),
            entry('BB2-NOTES-01', { sources: [{ path: '../shared/reference/notes.md' }] }),
            entry('BB2-ABSOLUTE-01', { sources: [{ path: '/work/shared/reference/notes.md' }] }),
            entry('BB2-MISSING-01', { sources: [{ path: 'requirements/no-such-file.md' }] }),
            entry('BB2-BOTH-01', { sources: [{ url: RFC, path: 'requirements/README.md' }] }),
            entry('BB2-HOST-01', { sources: [{ url: 'https://example.com/notes' }] }),
            entry('BB2-RELATIVE-01', { sources: [{ url: 'requirements/README.md' }] }),
            entry('BB2-GOOD-01', { sources: [{ path: 'requirements/README.md' }] }),
          ],
        },
      },
    ]);
    assert.equal(problems.length, 7, problems.join('\n'));
    assert.match(problems[0] ?? '', /\(BB2-BRANCH-01\): sources\[0\]\.url: a GitHub source must name a 40-hex commit, not "master"/);
    assert.match(problems[1] ?? '', /\(BB2-NOTES-01\): sources\[0\]\.path: .* is outside the repository/);
    assert.match(problems[2] ?? '', /\(BB2-ABSOLUTE-01\): sources\[0\]\.path: .* must be a path relative to the repository/);
    assert.match(problems[3] ?? '', /\(BB2-MISSING-01\): sources\[0\]\.path: .* does not exist/);
    assert.match(problems[4] ?? '', /\(BB2-BOTH-01\): sources\[0\]: a source has exactly one of "url"/);
    assert.match(problems[5] ?? '', /\(BB2-HOST-01\): sources\[0\]\.url: example\.com is not a known permanent public source/);
    assert.match(problems[6] ?? '', /\(BB2-RELATIVE-01\): sources\[0\]\.url: .* is not an absolute URL \(a file of this repository goes in "path"\)/);
  });

  it('knows which public addresses are permanent', () => {
    const ok = [
      'https://github.com/CMSgov/bluebutton-web-server/blob/ba0c6856a51c13bd849da2fcc0d6e44eed08dc73/apps/dot_ext/utils.py',
      'https://www.rfc-editor.org/rfc/rfc7636#section-4.6',
      'https://hl7.org/fhir/STU3/datatypes.html#Period',
      'http://hl7.org/fhir/us/carin-bb/STU1.1/StructureDefinition-C4BB-Coverage.html',
      'https://bluebutton.cms.gov/developers/',
    ];
    for (const url of ok) assert.equal(problemWithSourceUrl(url), undefined, url);
    assert.match(problemWithSourceUrl('https://hl7.org/fhir/patient.html') ?? '', /published version/);
    assert.match(problemWithSourceUrl('https://github.com/CMSgov/bluebutton-web-server') ?? '', /a file at a commit/);
  });

  it('refuses an includes prefix that covers the entry itself', () => {
    assert.match(problemsOf([{ file: 'requirements/i.json', document: { requirements: [entry('FHIR-STU3-ALL-01', { includes: ['FHIR-STU3-'] })] } }]).join(), /covers the entry itself/);
  });

  it('reads a folder: an invalid JSON file is a problem, not a crash', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'bb2-requirements-'));
    writeFileSync(path.join(directory, 'bad.json'), '{ "requirements": [');
    assert.throws(() => readCatalogue(directory), (error: unknown) => error instanceof CatalogueError && /bad\.json: not valid JSON/.test(error.message));
  });
});

describe('requirement() annotations', () => {
  it('hold all of a check\'s ids in one annotation, and refuse what is not an id', () => {
    const annotation = requirement('BB2-OAUTH-PKCE-01', 'RFC7636-4.4.1', 'BB2-OAUTH-PKCE-01');
    assert.deepEqual(annotation, { type: 'requirement', description: 'BB2-OAUTH-PKCE-01 RFC7636-4.4.1' });
    assert.deepEqual(requirementIds(annotation.description), ['BB2-OAUTH-PKCE-01', 'RFC7636-4.4.1']);
    assert.throws(() => requirement('BB2 section 1.4 step 5'), /takes catalogue ids/);
  });
});

/**
 * AllureResultsWriter (allure-results-writer.ts) against allure-js-commons' own FileSystemWriter: the same
 * calls leave the same files with the same bytes, and no temporary file behind, even when a write fails.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { TestResult, TestResultContainer } from 'allure-js-commons';
import { FileSystemWriter, type Writer } from 'allure-js-commons/sdk/reporter';
import { AllureResultsWriter } from './allure-results-writer.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'allure-writer-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function folderContents(folder: string): Record<string, string> {
  return Object.fromEntries(readdirSync(folder).sort().map((name) => [name, readFileSync(path.join(folder, name), 'utf8')]));
}

function writeEverything(writer: Writer, source: string): void {
  writer.writeResult({ uuid: 'r-1', name: 'a check', status: 'passed', labels: [{ name: 'epic', value: 'OAuth' }] } as unknown as TestResult);
  writer.writeGroup({ uuid: 'g-1', children: ['r-1'], befores: [], afters: [] } as unknown as TestResultContainer);
  writer.writeAttachment('a-1-attachment.json', Buffer.from('{"status":401}'));
  writer.writeAttachmentFromPath('a-2-attachment.txt', source);
  writer.writeEnvironmentInfo({ target: 'embedded', 'fhir version': 'v1: 3.0.2' });
  writer.writeCategoriesDefinitions([{ name: 'Conformance findings', matchedStatuses: ['failed'] }] as never);
  writer.writeGlobals('globals-1.json', { attachments: [], errors: [] } as never);
}

describe('AllureResultsWriter', () => {
  it('leaves the files FileSystemWriter leaves, byte for byte, and no temporary file', () => {
    const source = path.join(scratch, 'source.txt');
    writeFileSync(source, 'GET /v2/fhir/Patient → 200\n');
    const theirs = path.join(scratch, 'theirs');
    const ours = path.join(scratch, 'ours');
    writeEverything(new FileSystemWriter({ resultsDir: theirs }), source);
    writeEverything(new AllureResultsWriter(ours), source);
    const expected = folderContents(theirs);
    assert.equal(Object.keys(expected).length, 7);
    assert.deepEqual(folderContents(ours), expected);
  });

  it('a failed write leaves neither the file nor its temporary file, and says why', () => {
    const folder = path.join(scratch, 'failing');
    const writer = new AllureResultsWriter(folder);
    assert.throws(() => writer.writeAttachmentFromPath('a-3-attachment.txt', path.join(scratch, 'no-such-file.txt')), /ENOENT/);
    assert.deepEqual(readdirSync(folder), []);
  });
});

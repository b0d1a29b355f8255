/** writeFileAtomically (atomic-write.ts): the whole file or nothing, and no temporary file either way. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { writeFileAtomically } from './atomic-write.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'atomic-write-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('writeFileAtomically', () => {
  it('replaces the file whole and leaves nothing else', () => {
    const file = path.join(scratch, 'entry.json');
    writeFileAtomically(file, '{"a":1}');
    writeFileAtomically(file, Buffer.from('{"a":2}'));
    assert.equal(readFileSync(file, 'utf8'), '{"a":2}');
    assert.deepEqual(readdirSync(scratch), ['entry.json']);
  });

  it('a rename that fails leaves the destination as it was and removes the temporary file', () => {
    const folder = path.join(scratch, 'failing');
    const destination = path.join(folder, 'taken');
    mkdirSync(destination, { recursive: true }); // a folder where the file should go: the rename fails
    assert.throws(() => writeFileAtomically(destination, 'data'), /EISDIR|ENOTEMPTY|EEXIST/);
    assert.deepEqual(readdirSync(folder), ['taken']);
  });
});

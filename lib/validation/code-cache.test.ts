/**
 * The code cache serves only verified entries: absent, stale, edited, truncated or unloadable ones
 * are built again (and rewritten); bad V8 data is ignored; writes never leave a partial file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { cacheKey, loadCachedCode, warmCachedCode, type CodeCacheEntry } from './code-cache.js';

let dir: string;
let builds: number;

function entry(answer: number, overrides: Partial<CodeCacheEntry> = {}): CodeCacheEntry {
  return {
    name: 'answer',
    key: cacheKey({ answer: String(answer) }),
    dir,
    require: createRequire(import.meta.url),
    build: () => {
      builds += 1;
      return `module.exports.answer = ${answer};\nmodule.exports.path = require('node:path').sep;\n`;
    },
    accept: (exports) => typeof exports.answer === 'number',
    ...overrides,
  };
}

const only = (suffix: string) => readdirSync(dir).filter((name) => name.endsWith(suffix));
const file = () => path.join(dir, only('.cjs')[0] as string);

describe('code cache', () => {
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bb2-code-cache-'));
    builds = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('builds an absent entry once, then loads it (with V8 data) without building', () => {
    const first = loadCachedCode(entry(42));
    assert.deepEqual([first.origin, first.miss, first.exports.answer, first.exports.path], ['built', 'absent', 42, path.sep]);
    const second = loadCachedCode(entry(42));
    assert.deepEqual([second.origin, second.exports.answer, builds], ['cache', 42, 1]);
    assert.equal(only('.cjs.v8').length, 1);
    assert.equal(only('.tmp').length, 0);
  });

  it('a different key is a different entry; a file holding another key is stale', () => {
    loadCachedCode(entry(1));
    const other = loadCachedCode(entry(2));
    assert.deepEqual([other.origin, other.exports.answer], ['built', 2]);
    // The same file name with another key in its header (a 16-hex-digit prefix collision, or a hand copy).
    const key = cacheKey({ answer: '3' });
    const copied = entry(3, { key });
    loadCachedCode(copied);
    const target = path.join(dir, `answer-${key.slice(0, 16)}.cjs`);
    writeFileSync(target, readFileSync(target, 'utf8').replace(key, cacheKey({ answer: 'other' })));
    const reloaded = loadCachedCode(copied);
    assert.deepEqual([reloaded.origin, reloaded.miss, reloaded.exports.answer], ['built', 'stale', 3]);
  });

  it('an edited or truncated entry is corrupt: built again, never run', () => {
    loadCachedCode(entry(42));
    const text = readFileSync(file(), 'utf8');
    writeFileSync(file(), text.replace('= 42', '= 41'));
    const edited = loadCachedCode(entry(42));
    assert.deepEqual([edited.origin, edited.miss, edited.exports.answer], ['built', 'corrupt', 42]);
    writeFileSync(file(), text.slice(0, text.length - 10));
    assert.deepEqual(loadCachedCode(entry(42)).miss, 'corrupt');
    writeFileSync(file(), '');
    assert.deepEqual(loadCachedCode(entry(42)).miss, 'corrupt');
    assert.equal(loadCachedCode(entry(42)).origin, 'cache');
  });

  it('a verified entry that does not load, or whose exports are refused, is built again', () => {
    const throwing = entry(42, { build: () => ((builds += 1), 'throw new Error("boom")') });
    assert.throws(() => loadCachedCode(throwing), /boom/);
    assert.equal(loadCachedCode(entry(42)).miss, 'failed to load');
    let accepted = false;
    const picky = entry(42, { accept: () => accepted });
    assert.throws(() => loadCachedCode(picky), /does not have the expected exports/);
    accepted = true;
    assert.equal(loadCachedCode(entry(42)).origin, 'cache');
  });

  it('V8 data that is damaged or belongs to other code is ignored and rewritten', () => {
    loadCachedCode(entry(42));
    const v8 = `${file()}.v8`;
    const good = readFileSync(v8);
    writeFileSync(v8, Buffer.concat([good.subarray(0, 128), Buffer.from('garbage')]));
    assert.deepEqual([loadCachedCode(entry(42)).origin, loadCachedCode(entry(42)).exports.answer], ['cache', 42]);
    assert.deepEqual(readFileSync(v8), good);
  });

  it('warming builds once, then finds the entry fresh; old keys beyond three are dropped', () => {
    assert.deepEqual([warmCachedCode(entry(42)).state, warmCachedCode(entry(42)).state, builds], ['built', 'fresh', 1]);
    for (const answer of [1, 2, 3, 4]) warmCachedCode(entry(answer));
    assert.equal(only('.cjs').length, 3);
    assert.equal(only('.cjs.v8').length, 3);
  });

  it('warming reads only the headers; an entry whose body was edited since is built again by the process that loads it', () => {
    warmCachedCode(entry(42));
    writeFileSync(file(), readFileSync(file(), 'utf8').replace('= 42;', '= 41;'));
    assert.equal(warmCachedCode(entry(42)).state, 'fresh');
    const loaded = loadCachedCode(entry(42));
    assert.deepEqual([loaded.origin, loaded.miss, loaded.exports.answer, builds], ['built', 'corrupt', 42, 2]);
  });

  it('warming without V8 data for the body its header names writes that data again', () => {
    warmCachedCode(entry(42));
    rmSync(`${file()}.v8`);
    assert.deepEqual([warmCachedCode(entry(42)).state, only('.cjs.v8').length, builds], ['fresh', 1, 1]);
  });

  it('an unwritable folder costs only the build: the code still loads', () => {
    writeFileSync(path.join(dir, 'blocked'), '');
    const loaded = loadCachedCode(entry(42, { dir: path.join(dir, 'blocked', 'sub') }));
    assert.deepEqual([loaded.origin, loaded.exports.answer], ['built', 42]);
    assert.match(loaded.writeError ?? '', /ENOTDIR|EEXIST/);
  });
});

/**
 * A machine-wide cache of generated JavaScript (the FHIR schemas' ajv standalone code, fhir/schema.ts):
 * built once, then loaded by every process that needs it (each Playwright worker, each test file)
 * instead of each compiling the same code again.
 *
 * Where: node_modules/.cache/bb2-conformance/ (git-ignored with node_modules; BB2_VALIDATOR_CACHE_DIR
 * moves it). One file per entry and key, `<name>-<key prefix>.cjs`, beside V8's compiled form of it
 * (`.v8`, which spares V8 parsing several megabytes again in every process).
 *
 * Never a wrong verdict from a bad cache: an entry is used only when its header names the caller's
 * key (a hash of everything the code depends on, computed by the caller) and the SHA-256 of its body;
 * the V8 data only when it names the SHA-256 of that body and of itself (V8 checks its version and
 * flags, not the source's content). Anything else (absent, stale, truncated, edited, unloadable) is
 * built again, written, and used. Writes go to a temporary file renamed into place, so two processes
 * building the same entry at once each leave a whole file, and a reader never sees half of one.
 *
 * Written by hand: the npm packages for this (write-file-atomic, find-cache-dir) would replace a
 * rename and a path, not the verification, which is the part that matters here.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { writeFileAtomically } from '../atomic-write.js';

/** Bumped when the file layout below changes: every older entry is then stale. */
const FORMAT = 'bb2-conformance code cache 1';
/** Entries kept per name (a few keys, e.g. two branches in turn, each rebuilt only once). */
const KEEP_PER_NAME = 3;

export const DEFAULT_CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/bb2-conformance/', import.meta.url));

/** The cache folder: BB2_VALIDATOR_CACHE_DIR when set, else node_modules/.cache/bb2-conformance/. */
export function codeCacheDir(): string {
  const configured = process.env.BB2_VALIDATOR_CACHE_DIR;
  return configured === undefined || configured.trim() === '' ? DEFAULT_CACHE_DIR : path.resolve(configured);
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** One key for a list of named inputs (file contents, versions, options): any change to any of them changes it. */
export function cacheKey(inputs: Readonly<Record<string, string | Buffer>>): string {
  const hash = createHash('sha256').update(FORMAT);
  for (const name of Object.keys(inputs).sort()) {
    const value = inputs[name] as string | Buffer;
    hash.update(`\0${name}\0${sha256(value)}`);
  }
  return hash.digest('hex');
}

export interface CodeCacheEntry {
  /** File name stem: "fhir-stu3-schema". */
  readonly name: string;
  /** cacheKey() of everything the code depends on. */
  readonly key: string;
  /** Generates the code (a CommonJS module body) when the cache has no valid entry. */
  readonly build: () => string;
  /** Resolves the module's own require() calls (e.g. ajv's runtime helpers). */
  readonly require: (id: string) => unknown;
  /** Whether loaded exports are whole (a last check before use); a rejected entry is rebuilt. */
  readonly accept?: (exports: Record<string, unknown>) => boolean;
  /** Default: codeCacheDir(). */
  readonly dir?: string;
}

/** Why the cache could not serve an entry, and what was done instead. */
export type CacheMiss = 'absent' | 'stale' | 'corrupt' | 'rejected by accept()' | 'failed to load';

export interface LoadedCode {
  readonly exports: Record<string, unknown>;
  /** 'cache': a verified entry was loaded; 'built': it was generated in this process. */
  readonly origin: 'cache' | 'built';
  /** Set when origin is 'built': why the cache had no usable entry. */
  readonly miss?: CacheMiss;
  /** Set when the code (or V8's data) could not be written: later processes will build it again. */
  readonly writeError?: string;
  readonly file: string;
}

const HEADER_PREFIX = `// ${FORMAT};`;
const HEADER_FIELDS = /^ key ([0-9a-f]{64}); sha256 ([0-9a-f]{64})$/;

function entryFile(entry: CodeCacheEntry): string {
  return path.join(entry.dir ?? codeCacheDir(), `${entry.name}-${entry.key.slice(0, 16)}.cjs`);
}

/** Writes the file whole into the cache folder, created when absent (../atomic-write.ts). */
function writeAtomically(file: string, data: string | Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomically(file, data);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Verified = { code: string; codeHash: string } | { miss: 'absent' | 'stale' | 'corrupt' };

/** The entry's code when its header names this key and its body's hash; otherwise why not. */
function readVerified(file: string, key: string): Verified {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return { miss: 'absent' };
  }
  const newline = bytes.indexOf(0x0a);
  const header = newline === -1 ? '' : bytes.subarray(0, newline).toString('latin1');
  const fields = header.startsWith(HEADER_PREFIX) ? HEADER_FIELDS.exec(header.slice(HEADER_PREFIX.length)) : null;
  if (!fields) return { miss: 'corrupt' };
  if (fields[1] !== key) return { miss: 'stale' };
  const body = bytes.subarray(newline + 1);
  const codeHash = sha256(body);
  if (codeHash !== fields[2]) return { miss: 'corrupt' };
  return { code: body.toString('utf8'), codeHash };
}

/** The first `length` bytes of a file (fewer when it is shorter); undefined when it cannot be read. */
function readStart(file: string, length: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(length);
    return buffer.subarray(0, readSync(fd, buffer, 0, length, 0));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether the entry's header names this key and its V8 data names the body hash the header states,
 * read from the two files' first bytes only: neither body is read or hashed (see warmCachedCode).
 */
function headersMatch(file: string, key: string): boolean {
  const start = readStart(file, 256);
  const newline = start?.indexOf(0x0a) ?? -1;
  if (start === undefined || newline === -1) return false;
  const header = start.subarray(0, newline).toString('latin1');
  const fields = header.startsWith(HEADER_PREFIX) ? HEADER_FIELDS.exec(header.slice(HEADER_PREFIX.length)) : null;
  return fields !== null && fields[1] === key && readStart(`${file}.v8`, 64)?.toString('latin1') === fields[2];
}

/** Writes the entry, then drops the oldest entries of its name beyond KEEP_PER_NAME (other keys: other checkouts or versions). */
function writeEntry(file: string, entry: CodeCacheEntry, code: string): void {
  writeAtomically(file, `${HEADER_PREFIX} key ${entry.key}; sha256 ${sha256(code)}\n${code}`);
  const dir = path.dirname(file);
  const pattern = new RegExp(`^${entry.name.replace(/[^a-z0-9]/gi, '\\$&')}-[0-9a-f]{16}\\.cjs$`);
  const entries = readdirSync(dir)
    .filter((name) => pattern.test(name))
    .map((name) => ({ file: path.join(dir, name), mtime: statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of entries.slice(KEEP_PER_NAME)) {
    rmSync(old.file, { force: true });
    rmSync(`${old.file}.v8`, { force: true });
  }
}

/** V8's compiled form of the code, when its header names this code's hash and its own. */
function readV8Data(file: string, codeHash: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.subarray(0, 64).toString('latin1') !== codeHash) return undefined;
  const data = bytes.subarray(128);
  return bytes.subarray(64, 128).toString('latin1') === sha256(data) ? data : undefined;
}

function writeV8Data(file: string, codeHash: string, data: Buffer): void {
  writeAtomically(file, Buffer.concat([Buffer.from(codeHash + sha256(data), 'latin1'), data]));
}

interface Compiled {
  readonly script: vm.Script;
  /** Set when V8's data was missing or refused and could not be written again. */
  readonly writeError: string | undefined;
}

/**
 * Compiles the code as a function of (exports, require, module), with V8's data when valid, writing that
 * data when not. `codeHash`: the code's SHA-256 when the caller has just verified it (a cache entry's
 * body, several megabytes, is then not hashed twice).
 */
function compile(code: string, file: string, codeHash = sha256(code)): Compiled {
  const v8File = `${file}.v8`;
  const cachedData = readV8Data(v8File, codeHash);
  const script = new vm.Script(`(function (exports, require, module) {${code}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (cachedData && !script.cachedDataRejected) return { script, writeError: undefined };
  try {
    writeV8Data(v8File, codeHash, script.createCachedData());
    return { script, writeError: undefined };
  } catch (error) {
    return { script, writeError: errorText(error) };
  }
}

function evaluate(script: vm.Script, require: (id: string) => unknown): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (exports: unknown, require: (id: string) => unknown, module: unknown) => void)(module.exports, require, module);
  return module.exports;
}

/**
 * The entry's exports: from the cache when a verified entry loads and is accepted, otherwise built
 * here, written (best effort: a read-only folder only costs later processes the build) and loaded.
 */
export function loadCachedCode(entry: CodeCacheEntry): LoadedCode {
  const file = entryFile(entry);
  const verified = readVerified(file, entry.key);
  let miss: CacheMiss;
  if ('code' in verified) {
    try {
      const exports = evaluate(compile(verified.code, file, verified.codeHash).script, entry.require);
      if (!entry.accept || entry.accept(exports)) return { exports, origin: 'cache', file };
      miss = 'rejected by accept()';
    } catch {
      miss = 'failed to load';
    }
  } else {
    miss = verified.miss;
  }
  const code = entry.build();
  let writeError: string | undefined;
  try {
    writeEntry(file, entry, code);
  } catch (error) {
    writeError = errorText(error);
  }
  const compiled = compile(code, file);
  const exports = evaluate(compiled.script, entry.require);
  if (entry.accept && !entry.accept(exports)) throw new Error(`${entry.name}: the code just generated does not have the expected exports`);
  writeError ??= compiled.writeError;
  return { exports, origin: 'built', miss, file, ...(writeError === undefined ? {} : { writeError }) };
}

export interface WarmedCode {
  readonly file: string;
  /** 'fresh': a verified entry was there; 'built': it was generated and written now. */
  readonly state: 'fresh' | 'built';
  readonly miss?: CacheMiss;
}

/**
 * Makes sure the cache holds an entry for this key and V8's data for it (the runner does this once,
 * before the workers start, so that they only load). Throws when either cannot be written.
 */
export function warmCachedCode(entry: CodeCacheEntry): WarmedCode {
  const file = entryFile(entry);
  // An entry already there is not verified here: every process that loads it hashes its body and V8's
  // data first (loadCachedCode), and builds again what does not match. Hashing the two schemas' ~22 MB
  // here as well cost the runner about 60 ms before the first check (docs/performance.md §12).
  if (headersMatch(file, entry.key)) return { file, state: 'fresh' };
  const verified = readVerified(file, entry.key);
  const code = 'code' in verified ? verified.code : entry.build();
  if (!('code' in verified)) writeEntry(file, entry, code);
  // V8's data is made here only when absent or not this code's: whether V8 accepts it is known only
  // when compiling, which a worker does anyway (and rewrites the data if refused).
  const codeHash = 'code' in verified ? verified.codeHash : sha256(code);
  if (readV8Data(`${file}.v8`, codeHash) === undefined) {
    const { writeError } = compile(code, file, codeHash);
    if (writeError !== undefined) throw new Error(`cannot write ${file}.v8: ${writeError}`);
  }
  return 'code' in verified ? { file, state: 'fresh' } : { file, state: 'built', miss: verified.miss };
}

/**
 * The clean run's seam recorder: every seam read is recorded under the request's scope header, each
 * fault mode replacing the seam is evaluated beside it on the same arguments and recorded only where it
 * answers differently, the clean answer (or exception) is what the sandbox gets, and reads outside a
 * request have a scope of their own.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type Koa from 'koa';
import { createBehaviour } from '../src/behaviour.js';
import { faultModeOrThrow } from '../src/faults/catalog.js';
import { NO_REQUEST_SCOPE, SCOPE_HEADER, SeamRecorder, UNSTAMPED_SCOPE } from '../src/faults/seam-recorder.js';

function lines(directory: string): unknown[] {
  return readdirSync(directory).flatMap((file) =>
    readFileSync(path.join(directory, file), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as unknown),
  );
}

/** Runs `body` as the sandbox would run a request carrying `scope` in its header (none: no header). */
async function inRequest<T>(recorder: SeamRecorder, scope: string | undefined, body: () => T): Promise<T> {
  let result: T | undefined;
  const koa = { get: (name: string) => (name === SCOPE_HEADER && scope !== undefined ? scope : '') } as unknown as Koa.Context;
  await recorder.middleware()(koa, async () => {
    result = body();
  });
  return result as T;
}

describe('seam recorder', () => {
  it('records reads by scope and a fault only where its seam answers differently', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'seam-recorder-'));
    try {
      const countIgnored = faultModeOrThrow('count-ignored');
      const recorder = new SeamRecorder(directory, [countIgnored]);
      const behaviour = recorder.watch(createBehaviour());
      const clean = createBehaviour();
      // _count=50: the fault answers 10, the clean seam 50: a divergence in t:a.
      assert.deepEqual(await inRequest(recorder, 't:a', () => behaviour.fhir.pageSize('50')), clean.fhir.pageSize('50'));
      // No _count: both answer the default page size: a read, no divergence.
      assert.deepEqual(await inRequest(recorder, 't:b', () => behaviour.fhir.pageSize(undefined)), clean.fhir.pageSize(undefined));
      await inRequest(recorder, undefined, () => behaviour.fhir.pageSize('20'));
      void behaviour.fhir.pageSize('30');
      const recorded = lines(directory);
      assert.deepEqual(recorded, [
        { scope: 't:a', seam: 'fhir.pageSize' },
        { scope: 't:a', fault: 'count-ignored' },
        { scope: 't:b', seam: 'fhir.pageSize' },
        { scope: UNSTAMPED_SCOPE, seam: 'fhir.pageSize' },
        { scope: UNSTAMPED_SCOPE, fault: 'count-ignored' },
        { scope: NO_REQUEST_SCOPE, seam: 'fhir.pageSize' },
        { scope: NO_REQUEST_SCOPE, fault: 'count-ignored' },
      ]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("counts a fault's exception where the clean seam answers as a divergence, and passes the clean exception on", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'seam-recorder-'));
    try {
      const throwing = { id: 'throws', overrides: { fhir: { pageSize: () => { throw new Error('fault'); } } } };
      const cleanThrows = { id: 'clean-throws', overrides: { fhir: { pageSize: () => { throw new Error('boom'); } } } };
      const recorder = new SeamRecorder(directory, [throwing]);
      const behaviour = recorder.watch(createBehaviour());
      await inRequest(recorder, 't:a', () => behaviour.fhir.pageSize('50'));
      // The sandbox's own seam throwing (as under another fault): the same exception reaches the caller.
      const faulty = new SeamRecorder(directory, []).watch(createBehaviour(cleanThrows.overrides as never));
      assert.throws(() => faulty.fhir.pageSize('50'), /boom/);
      assert.deepEqual(lines(directory).filter((line) => 'fault' in (line as object)), [{ scope: 't:a', fault: 'throws' }]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('hands its scope on to the requests the sandbox sends itself for the request, never an unstamped one', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'seam-recorder-'));
    try {
      const recorder = new SeamRecorder(directory);
      assert.deepEqual(await inRequest(recorder, 't:a', () => recorder.onwardHeaders()), { [SCOPE_HEADER]: 't:a' });
      assert.deepEqual(await inRequest(recorder, undefined, () => recorder.onwardHeaders()), {});
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

/**
 * An unavailable target is one finding per API version (README, "An unavailable target is said once"):
 * the whole suite against a server that answers every request 503 fails only its availability checks
 * (tests/target-available.spec.ts), and skips every other check, naming the outage
 * (fixtures/base.ts `skipWhenTargetUnavailable`). A few seconds: no check gets past its fixtures.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JSONReport, JSONReportSuite } from '@playwright/test/reporter';
import { REPO_ROOT } from '../config.js';

interface Outcome {
  readonly project: string;
  readonly title: string;
  readonly status: string;
  readonly skipReason: string | undefined;
  readonly error: string;
}

function outcomes(suite: JSONReportSuite, into: Outcome[] = []): Outcome[] {
  for (const child of suite.suites ?? []) outcomes(child, into);
  for (const spec of suite.specs) {
    for (const test of spec.tests) {
      const result = test.results.at(-1);
      into.push({
        project: test.projectName,
        title: spec.title,
        status: result?.status ?? 'none',
        skipReason: test.annotations.find((annotation) => annotation.type === 'skip')?.description,
        error: result?.errors.map((error) => error.message ?? '').join('\n') ?? '',
      });
    }
  }
  return into;
}

describe('an unavailable target', () => {
  let server: http.Server;
  let reportsDir: string;
  let run: { code: number | null; stdout: string; stderr: string };

  before(async () => {
    server = http.createServer((_request, response) => response.writeHead(503, { 'Content-Type': 'text/plain' }).end('down for maintenance'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    reportsDir = mkdtempSync(path.join(os.tmpdir(), 'bb2-outage-'));
    run = await new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules/@playwright/test/cli.js'), 'test', '--reporter=json'], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          CI: '',
          BB2_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          BB2_CLIENT_ID: 'OutageProbeClient00000000000000000000000',
          BB2_CLIENT_SECRET: 'outage-probe-secret',
          BB2_API_VERSION: 'v1,v2',
          BB2_RETRIES: '0',
          BB2_REPORTS_DIR: reportsDir,
          FORCE_COLOR: '0',
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  });

  const reported = (): Outcome[] => (JSON.parse(run.stdout) as JSONReport).suites.flatMap((suite) => outcomes(suite));

  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (reportsDir) rmSync(reportsDir, { recursive: true, force: true });
  });

  it('fails the availability check of each version, and only that', () => {
    assert.equal(run.code, 1, run.stderr.slice(-2000));
    const all = reported();
    assert.ok(all.length > 100, `only ${all.length} checks in the report`);
    const failed = all.filter((outcome) => outcome.status !== 'skipped');
    assert.deepEqual(
      failed.map(({ project, title, status }) => ({ project, title, status })).sort((a, b) => a.project.localeCompare(b.project)),
      ['v1', 'v2'].map((version) => ({
        project: version,
        title: `the target answers GET /${version}/fhir/metadata (no outage, rate limit or timeout), so its ${version} conformance can be checked`,
        status: 'failed',
      })),
    );
    for (const outcome of failed) assert.match(outcome.error, /target unavailable: GET metadata answered 503/);
  });

  it('skips every other check, naming the outage and the check that reports it', () => {
    const skipped = reported().filter((outcome) => outcome.status === 'skipped');
    assert.ok(skipped.length > 100);
    for (const outcome of skipped) {
      assert.match(outcome.skipReason ?? '', /^not run, target unavailable: GET metadata answered 503 after 1 attempt\(s\); the availability check \(@availability\) reports it$/, `${outcome.project} ${outcome.title}`);
    }
  });
});

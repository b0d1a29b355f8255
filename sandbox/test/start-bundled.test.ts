/**
 * sandbox/start-bundled.mjs, how the suite and the self-test start the sandbox: the bundled sandbox
 * serves what the sources serve (its data files, found next to the sources, included), a fault entry
 * keeps its fault, `--build` builds both bundles, and an unknown entry point ends with the usage, not a stack trace.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Started {
  readonly baseUrl: string;
  readonly stderr: () => string;
  stop(): Promise<void>;
}

async function startBundled(entry: string, ...flags: string[]): Promise<Started> {
  const child = spawn(process.execPath, ['sandbox/start-bundled.mjs', entry, '--port', '0', '--log-level', 'warn', ...flags], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const port = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /listening on port (\d+)/.exec(stdout);
      if (match) resolve(match[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`the sandbox exited (${code}) before listening: ${stderr}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

describe('sandbox/start-bundled.mjs', () => {
  it("serves both versions' CapabilityStatements, read from the data files beside the sources", async () => {
    const sandbox = await startBundled('sandbox/src/main.ts');
    try {
      for (const [version, fhirVersion] of [['v1', '3.0.2'], ['v2', '4.0.1']]) {
        const response = await fetch(`${sandbox.baseUrl}/${version}/fhir/metadata`);
        assert.equal(response.status, 200);
        assert.equal(((await response.json()) as { fhirVersion?: string }).fhirVersion, fhirVersion);
      }
    } finally {
      await sandbox.stop();
    }
  });

  it('starts the fault entry with its fault', async () => {
    const sandbox = await startBundled('sandbox/src/faults/serve.ts', '--fault', 'metadata-fhir-version-r4');
    try {
      const body = (await (await fetch(`${sandbox.baseUrl}/v1/fhir/metadata`)).json()) as { fhirVersion?: string };
      assert.equal(body.fhirVersion, '4.0.1');
      assert.match(sandbox.stderr(), /fault mode "metadata-fhir-version-r4" is active/);
    } finally {
      await sandbox.stop();
    }
  });

  it('--build builds both entry points\' bundles, each beside its source map, and exits quietly', () => {
    const result = spawnSync(process.execPath, ['sandbox/start-bundled.mjs', '--build'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.deepEqual([result.status, result.stdout, result.stderr], [0, '', '']);
    const bundles = readdirSync(path.join(REPO_ROOT, 'node_modules/.cache/bb2-sandbox'));
    for (const name of ['main', 'serve']) {
      const bundle = bundles.find((file) => file.startsWith(`${name}-`) && file.endsWith('.mjs') && bundles.includes(`${file}.map`));
      assert.ok(bundle, `a ${name} bundle with its map among ${bundles.join(', ')}`);
    }
  });

  it('names the entry points it starts when given another file', () => {
    const result = spawnSync(process.execPath, ['sandbox/start-bundled.mjs', 'sandbox/src/server.ts'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^Usage: node sandbox\/start-bundled\.mjs <sandbox\/src\/main\.ts \| sandbox\/src\/faults\/serve\.ts>/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
});

/**
 * Proves that no secret reaches a report. Runs part of the suite (one spec per area and two leak probes:
 * one fails on purpose with a token in its message, the other is a test client check that fails while the
 * page prints a live token, so its screenshot and page snapshot are taken of it: e2e/redaction.config.ts)
 * against an embedded
 * sandbox with a known client secret, behind a recording HTTP proxy that captures every authorization
 * code, access and refresh token, PKCE verifier, password and client secret that crosses the wire. Then
 * scans every file the run wrote (unpacking zips, and the HTML report's embedded zip) and the run's
 * console output for each of them, raw and encoded.
 *
 * Without redaction this test fails: BB2_REDACTION_DISABLED=1 (honoured only by the probe run's config)
 * removes the redacting reporter:
 *   BB2_REDACTION_DISABLED=1 node --import tsx --test lib/reporting/redaction.e2e.test.ts
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import AdmZip from 'adm-zip';
import { loadSandboxServer, type RunningSandbox } from '../embedded-sandbox.js';
import { REPO_ROOT } from '../config.js';
import { basicCredentialForms, encodedForms, MIN_SECRET_LENGTH } from './redactor.js';

const CLIENT_ID = 'redactionProbeClient00000000000000000000';
const CLIENT_SECRET = 'KnownRedactionProbeSecret-9f8e7d6c5b4a3210';
const REDIRECT_URI = 'http://localhost:8000/callback';
/** One Playwright worker: its shared user and the spares the specs authorize afresh. */
const USERS = 'BBUser00100-BBUser00109';

/** Captures every secret that crosses the proxy, by where OAuth puts them. */
class SecretCapture {
  readonly values = new Map<string, string>();

  add(value: string | null | undefined, kind: string): void {
    if (value && value.length >= MIN_SECRET_LENGTH && !this.values.has(value)) this.values.set(value, kind);
  }

  /**
   * Values the client made up or holds. Codes and tokens are taken where the server issues them (the
   * redirect's Location, token responses), not from requests: checks send never-issued ones on purpose,
   * which are not secrets and are shown in the report so the request can be reproduced.
   */
  fromForm(body: string): void {
    const form = new URLSearchParams(body);
    for (const [name, kind] of [
      ['code_verifier', 'PKCE verifier'],
      ['client_secret', 'client secret'],
      ['password', 'password'],
    ] as const) {
      this.add(form.get(name), kind);
    }
  }

  /** The client secret of HTTP Basic client authentication (Bearer tokens are taken from token responses). */
  fromAuthorization(header: string | undefined): void {
    const basic = /^Basic (.+)$/i.exec(header ?? '');
    if (basic) this.add(decodeURIComponent(Buffer.from(basic[1] as string, 'base64').toString('utf8').split(':')[1] ?? ''), 'client secret');
  }

  fromJson(body: string): void {
    try {
      const json = JSON.parse(body) as Record<string, unknown>;
      for (const name of ['access_token', 'refresh_token', 'id_token'] as const) {
        if (typeof json[name] === 'string') this.add(json[name], name.replace('_', ' '));
      }
    } catch {
      // Not JSON: nothing to capture.
    }
  }

  fromLocation(location: string | undefined): void {
    if (location && URL.canParse(location)) this.add(new URL(location).searchParams.get('code'), 'authorization code');
  }
}

function startRecordingProxy(capture: SecretCapture): Promise<{ server: http.Server; url: string; setUpstream(url: string): void }> {
  let upstream: URL | undefined;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      capture.fromAuthorization(request.headers.authorization);
      if (/x-www-form-urlencoded/.test(request.headers['content-type'] ?? '')) capture.fromForm(body.toString('utf8'));
      if (!upstream) {
        response.writeHead(503).end();
        return;
      }
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const answerBody = Buffer.concat(parts);
            capture.fromLocation(answer.headers.location);
            if (/json/.test(answer.headers['content-type'] ?? '')) capture.fromJson(answerBody.toString('utf8'));
            response.writeHead(answer.statusCode ?? 502, answer.headers).end(answerBody);
          });
        },
      );
      forward.on('error', () => response.writeHead(502).end());
      forward.end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, setUpstream: (url) => (upstream = new URL(url)) });
    });
  });
}

/** Every file under `dir`, with the contents of zips (and of the HTML report's embedded zip) as extra entries. */
function artefacts(dir: string): Array<{ name: string; content: Buffer }> {
  const found: Array<{ name: string; content: Buffer }> = [];
  const addZip = (name: string, zip: Buffer) => {
    for (const entry of new AdmZip(zip).getEntries()) {
      if (!entry.isDirectory) found.push({ name: `${name}!${entry.entryName}`, content: entry.getData() });
    }
  };
  for (const relative of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, relative);
    if (!statSync(file).isFile()) continue;
    const content = readFileSync(file);
    found.push({ name: relative, content });
    if (content.subarray(0, 2).toString('latin1') === 'PK') addZip(relative, content);
    const embedded = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/.exec(file.endsWith('.html') ? content.toString('latin1') : '');
    if (embedded) addZip(`${relative} (embedded report)`, Buffer.from(embedded[1] as string, 'base64'));
  }
  return found;
}

interface Leak {
  readonly where: string;
  readonly kind: string;
}

function findLeaks(texts: ReadonlyArray<{ name: string; content: Buffer }>, secrets: ReadonlyMap<string, string>): Leak[] {
  const forms: Array<{ form: string; kind: string }> = [];
  for (const [value, kind] of secrets) for (const form of encodedForms(value)) if (form.length >= MIN_SECRET_LENGTH) forms.push({ form, kind });
  for (const form of basicCredentialForms(CLIENT_ID, CLIENT_SECRET)) forms.push({ form, kind: 'Basic client credentials' });
  const leaks: Leak[] = [];
  for (const { name, content } of texts) {
    const text = content.toString('latin1');
    const utf8 = content.toString('utf8');
    for (const { form, kind } of forms) if (text.includes(form) || utf8.includes(form)) leaks.push({ where: name, kind });
  }
  return leaks;
}

describe('redaction of every report artefact', { timeout: 300_000 }, () => {
  const capture = new SecretCapture();
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let sandbox: RunningSandbox;
  let reportsDir: string;
  let run: { code: number | null; output: string };

  before(async () => {
    reportsDir = mkdtempSync(path.join(os.tmpdir(), 'bb2-redaction-'));
    proxy = await startRecordingProxy(capture);
    sandbox = await (await loadSandboxServer()).startSandbox(
      {
        port: 0,
        host: '127.0.0.1',
        publicBaseUrl: proxy.url,
        logLevel: 'silent',
        client: { id: CLIENT_ID, secret: CLIENT_SECRET, name: 'Redaction probe app', redirectUris: [REDIRECT_URI] },
      },
      {},
    );
    proxy.setUpstream(`http://127.0.0.1:${sandbox.port}`);
    const started = Date.now();
    run = await new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules/@playwright/test/cli.js'), 'test', '-c', 'lib/reporting/e2e/redaction.config.ts'], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          CI: '',
          BB2_BASE_URL: proxy.url,
          BB2_CLIENT_ID: CLIENT_ID,
          BB2_CLIENT_SECRET: CLIENT_SECRET,
          BB2_REDIRECT_URI: REDIRECT_URI,
          BB2_USERS: USERS,
          BB2_REPORTS_DIR: reportsDir,
          BB2_REDACTION_PROBE: '1',
          // Both API versions' projects, whatever a developer's .env says: each runs both probes.
          BB2_API_VERSION: 'v1,v2',
          FORCE_COLOR: '0',
        },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.on('close', (code) => resolve({ code, output }));
    });
    console.log(`redaction probe run: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  after(async () => {
    await sandbox?.close();
    await new Promise((resolve) => proxy?.server.close(resolve));
    if (reportsDir && !process.env.BB2_KEEP_REDACTION_OUTPUT) rmSync(reportsDir, { recursive: true, force: true });
  });

  it('the run failed exactly where the probes fail on purpose', () => {
    assert.equal(run.code, 1, `the probe run should fail (exit code 1) only through the probes; output:\n${run.output.slice(-3000)}`);
    assert.match(run.output, /redaction probe fails on purpose/);
    assert.match(run.output, /testclient redaction probe fails on purpose/);
    // The two probes, in the v1 and in the v2 project.
    assert.match(run.output, /4 failed/);
  });

  it("the failing test client check left a screenshot and a page snapshot, with the page's token concealed", () => {
    const resultsDir = path.join(reportsDir, 'test-results');
    const snapshots = readdirSync(resultsDir, { recursive: true, encoding: 'utf8' })
      .filter((name) => path.basename(name) === 'error-context.md')
      .map((name) => readFileSync(path.join(resultsDir, name), 'utf8'));
    const snapshot = snapshots.find((text) => text.includes('testclient redaction probe fails on purpose'));
    assert.ok(snapshot, `no error-context.md for the test client probe among ${snapshots.length}`);
    // The page snapshot shows the token response with every token replaced in the page itself ("[token
    // hidden]", not the reports' "[redacted]"), so the screenshot taken of that page shows no token either.
    assert.match(snapshot, /'access_token': '\[token hidden\]'/, `the page snapshot does not show the concealed token:\n${snapshot.slice(0, 2000)}`);
    assert.match(snapshot, /'refresh_token': '\[token hidden\]'/);
    const allureDir = path.join(reportsDir, 'allure-results');
    const probeResult = readdirSync(allureDir)
      .filter((name) => name.endsWith('-result.json'))
      .map((name) => readFileSync(path.join(allureDir, name), 'utf8'))
      .find((text) => text.includes('a test client check fails while the page shows a token'));
    assert.ok(probeResult?.includes('"screenshot at failure"'), 'no screenshot attached to the test client probe');
  });

  it('captured every kind of secret on the wire', () => {
    const kinds = new Set(capture.values.values());
    for (const kind of ['authorization code', 'PKCE verifier', 'access token', 'refresh token', 'client secret']) {
      assert.ok(kinds.has(kind), `no ${kind} crossed the proxy; captured: ${[...kinds].join(', ')}`);
    }
    // The test client's own token exchange goes through the proxy too (its token URI is the public URL).
    assert.ok([...capture.values.values()].filter((kind) => kind === 'access token').length >= 2, 'the test client probe issued no token through the proxy');
  });

  it('no captured secret is in any artefact or in the console output', () => {
    // The users' passwords never cross this proxy in a form field the capture reads (the login form posts
    // them), so they are added from the known rule (PW#####!).
    const secrets = new Map(capture.values);
    for (let number = 100; number <= 109; number += 1) secrets.set(`PW00${number}!`, 'password');
    secrets.set(CLIENT_SECRET, 'client secret');
    const files = artefacts(reportsDir);
    const expected = ['junit.xml', path.join('html', 'index.html'), 'allure-results', 'test-results'];
    for (const name of expected) assert.ok(files.some((file) => file.name.startsWith(name)), `the run wrote no ${name}`);
    const leaks = findLeaks([...files, { name: 'console output', content: Buffer.from(run.output) }], secrets);
    console.log(`scanned ${files.length} files (zip entries included) and the console output for ${secrets.size} secrets`);
    assert.deepEqual(
      leaks.map((leak) => `${leak.kind} in ${leak.where}`),
      [],
      `secrets found in artefacts (values not shown): ${leaks.length}`,
    );
  });
});

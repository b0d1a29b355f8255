/**
 * A Playwright reporter that must come FIRST in the reporter list: it removes every known secret from
 * the test results before the other reporters (list, html, junit, allure-playwright) see them.
 *
 * Playwright calls reporters in list order with the same TestResult/TestStep objects (its Multiplexer,
 * node_modules/playwright/lib/runner/index.js), so redacting those objects in place here redacts them for
 * every later reporter: step titles and errors at onStepEnd (allure-playwright builds its steps there),
 * errors, stdout/stderr and attachments (bodies and files) at onTestEnd, fatal errors at onError, and at
 * onEnd every text file left in the output directory.
 *
 * What it knows: the client secret (with its Basic-credential forms) and the password of every configured
 * user, from the configuration; and every Secret created in a worker, from the hidden attachments sent by
 * lib/reporting/secret-channel.ts, which it removes.
 *
 * Console output printed by workers is redacted in the workers (secret-channel.ts). If a chunk still
 * carries a known secret when it reaches the runner, the run is marked failed and says so.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError, TestResult, TestStep } from '@playwright/test/reporter';
import { credentialsFor, loadSuiteConfig } from '../config.js';
import { Redactor } from './redactor.js';
import { SECRET_ATTACHMENT_NAME } from './secret-channel.js';

type Attachment = TestResult['attachments'][number];

const REGISTRATION_CATEGORY = 'bb2.secret-registration';

/** Content types whose bodies are text and are redacted as such. */
function isTextType(contentType: string): boolean {
  return /^text\/|json|xml|javascript|x-www-form-urlencoded|\+json|markdown|yaml/i.test(contentType);
}

/** Files whose content is text: by extension, else by the absence of NUL bytes in the first 8 KiB. */
function looksLikeText(file: string, content: Buffer): boolean {
  if (/\.(png|jpe?g|gif|webp|zip|webm|mp4|woff2?|ttf)$/i.test(file)) return false;
  return !content.subarray(0, 8192).includes(0);
}

export interface RedactingReporterOptions {
  /** Extra directories whose text files are redacted at the end (besides every project's outputDir). */
  readonly sweepDirs?: readonly string[];
}

export default class RedactingReporter implements Reporter {
  readonly #redactor = new Redactor();
  readonly #outputDirs = new Set<string>();
  readonly #sweepDirs: readonly string[];
  /** Every result with the number of secrets known when it was redacted: redacted again at onEnd if more became known. */
  readonly #results: Array<{ result: TestResult; knownSecrets: number }> = [];
  #leakedToConsole = 0;

  constructor(options: RedactingReporterOptions = {}) {
    this.#sweepDirs = options.sweepDirs ?? [];
    // The runner validated the configuration already (playwright.config.ts); here only its secrets count.
    const config = loadSuiteConfig();
    this.#redactor.addClient(config.client.id, config.client.secret.reveal());
    for (const username of [...config.users, ...(config.claimsUsers ?? [])]) this.#redactor.add(credentialsFor(username).password.reveal());
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig, _suite: Suite): void {
    for (const project of config.projects) this.#outputDirs.add(project.outputDir);
  }

  onStdOut(chunk: string | Buffer): void {
    this.#checkConsole(chunk);
  }

  onStdErr(chunk: string | Buffer): void {
    this.#checkConsole(chunk);
  }

  onStepBegin(_test: TestCase, result: TestResult, step: TestStep): void {
    this.#harvest(result.attachments);
    // A category allure-playwright (detail: false) ignores, so it makes no step of a registration.
    if (this.#isRegistrationStep(step)) step.category = REGISTRATION_CATEGORY;
    step.title = this.#redactor.redact(step.title);
  }

  onStepEnd(_test: TestCase, result: TestResult, step: TestStep): void {
    this.#harvest(step.attachments);
    this.#harvest(result.attachments);
    if (this.#isRegistrationStep(step)) {
      this.#removeStep(result, step);
      return;
    }
    this.#redactStep(step, false);
  }

  onTestEnd(_test: TestCase, result: TestResult): void {
    this.#harvest(result.attachments);
    this.#redactResult(result);
    this.#results.push({ result, knownSecrets: this.#redactor.size });
  }

  /** A result's errors, output, steps and attachments, in place. */
  #redactResult(result: TestResult): void {
    for (const error of result.errors) this.#redactError(error);
    if (result.error) this.#redactError(result.error);
    result.stdout.splice(0, result.stdout.length, ...result.stdout.map((chunk) => this.#redactChunk(chunk)));
    result.stderr.splice(0, result.stderr.length, ...result.stderr.map((chunk) => this.#redactChunk(chunk)));
    result.steps.splice(0, result.steps.length, ...result.steps.filter((step) => !this.#isRegistrationStep(step)));
    for (const step of result.steps) this.#redactStep(step, true);
    for (const attachment of result.attachments) this.#redactAttachment(attachment);
    for (const annotation of result.annotations) {
      if (annotation.description !== undefined) annotation.description = this.#redactor.redact(annotation.description);
    }
  }

  onError(error: TestError): void {
    this.#redactError(error);
  }

  async onEnd(_result: FullResult): Promise<{ status?: FullResult['status'] } | undefined> {
    // A worker that could not attach a secret during its test sends it with a later test
    // (secret-channel.ts): the results the later reporters print or write at their onEnd (the list
    // reporter's failure summary, JUnit, HTML) are redacted again with every secret known by now.
    for (const entry of this.#results) if (entry.knownSecrets < this.#redactor.size) this.#redactResult(entry.result);
    for (const dir of [...this.#outputDirs, ...this.#sweepDirs]) this.#sweep(dir);
    if (this.#leakedToConsole > 0) {
      process.stderr.write(
        `\nredaction: ${this.#leakedToConsole} console chunk(s) from the workers still held a secret when they reached the runner; ` +
          'the run is marked failed. Find the print that bypasses the worker redaction (lib/reporting/secret-channel.ts).\n',
      );
      return { status: 'failed' };
    }
    return undefined;
  }

  /** Learns the values of registration attachments and removes those attachments from the list. */
  #harvest(attachments: Attachment[]): void {
    for (let index = attachments.length - 1; index >= 0; index -= 1) {
      const attachment = attachments[index] as Attachment;
      if (attachment.name !== SECRET_ATTACHMENT_NAME) continue;
      attachments.splice(index, 1);
      const body = attachment.body ?? (attachment.path ? readFileSync(attachment.path) : undefined);
      if (body === undefined) continue;
      const values: unknown = JSON.parse(body.toString('utf8'));
      if (Array.isArray(values)) for (const value of values) if (typeof value === 'string') this.#redactor.add(value);
    }
  }

  #isRegistrationStep(step: TestStep): boolean {
    return (
      step.category === REGISTRATION_CATEGORY ||
      ((step.category === 'test.attach' || step.category === 'attach') && step.title.includes(SECRET_ATTACHMENT_NAME))
    );
  }

  #removeStep(result: TestResult, step: TestStep): void {
    const siblings = step.parent ? step.parent.steps : result.steps;
    const index = siblings.indexOf(step);
    if (index >= 0) siblings.splice(index, 1);
  }

  #redactStep(step: TestStep, recurse: boolean): void {
    step.title = this.#redactor.redact(step.title);
    if (step.error) this.#redactError(step.error);
    for (const attachment of step.attachments) this.#redactAttachment(attachment);
    for (const annotation of step.annotations ?? []) {
      if (annotation.description !== undefined) annotation.description = this.#redactor.redact(annotation.description);
    }
    if (recurse) {
      step.steps.splice(0, step.steps.length, ...step.steps.filter((child) => !this.#isRegistrationStep(child)));
      for (const child of step.steps) this.#redactStep(child, true);
    }
  }

  #redactError(error: TestError): void {
    if (error.message !== undefined) error.message = this.#redactor.redact(error.message);
    if (error.stack !== undefined) error.stack = this.#redactor.redact(error.stack);
    if (error.value !== undefined) error.value = this.#redactor.redact(error.value);
    if (error.snippet !== undefined) error.snippet = this.#redactor.redact(error.snippet);
    if (error.cause !== undefined) this.#redactError(error.cause);
  }

  #redactChunk(chunk: string | Buffer): string | Buffer {
    return typeof chunk === 'string' ? this.#redactor.redact(chunk) : Buffer.from(this.#redactor.redact(chunk.toString('utf8')));
  }

  #checkConsole(chunk: string | Buffer): void {
    if (this.#redactor.contains(typeof chunk === 'string' ? chunk : chunk.toString('utf8'))) this.#leakedToConsole += 1;
  }

  /** Text bodies are redacted; a binary body that holds a secret is replaced by a note (it cannot be edited safely). */
  #redactContent(content: Buffer, textual: boolean, name: string): Buffer {
    if (textual) {
      const text = content.toString('utf8');
      const redacted = this.#redactor.redact(text);
      return redacted === text ? content : Buffer.from(redacted);
    }
    return this.#redactor.contains(content.toString('latin1'))
      ? Buffer.from(`[removed by redaction: the binary attachment "${name}" contained a secret]`)
      : content;
  }

  #redactAttachment(attachment: Attachment): void {
    attachment.name = this.#redactor.redact(attachment.name);
    const textual = isTextType(attachment.contentType);
    if (attachment.body !== undefined) {
      const body = this.#redactContent(attachment.body, textual, attachment.name);
      if (body !== attachment.body) {
        attachment.body = body;
        if (!textual) attachment.contentType = 'text/plain';
      }
    }
    if (attachment.path !== undefined) {
      let content: Buffer;
      try {
        content = readFileSync(attachment.path);
      } catch {
        return; // Gone already (a reporter moved it); nothing left to leak from here.
      }
      const redacted = this.#redactContent(content, textual || looksLikeText(attachment.path, content), attachment.name);
      if (redacted !== content) writeFileSync(attachment.path, redacted);
    }
  }

  /** Every text file under `dir`, redacted in place (e.g. error-context.md files nobody attached). */
  #sweep(dir: string): void {
    let entries: string[];
    try {
      entries = readdirSync(dir, { recursive: true, encoding: 'utf8' });
    } catch {
      return; // No output this run.
    }
    for (const entry of entries) {
      const file = path.join(dir, entry);
      if (!statSync(file).isFile()) continue;
      const content = readFileSync(file);
      const redacted = this.#redactContent(content, looksLikeText(file, content), entry);
      if (redacted !== content) writeFileSync(file, redacted);
    }
  }
}

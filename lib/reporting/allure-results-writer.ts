/**
 * Where allure-playwright's results and attachments go: the files FileSystemWriter (allure-js-commons)
 * writes, under the same names and with the same content, each written whole or not at all
 * (../atomic-write.ts), so that a reader (`allure generate`, the redacting reporter's sweep) never sees half a file.
 *
 * Written here because FileSystemWriter also fsyncs every file, which the reporter does on Playwright's
 * runner thread at each test's end; with about 1,000 files a run, the runner spent 2 to 3.5 s blocked in
 * fsync and in creating files behind those flushes, time in which it could not hand the next check to an
 * idle worker (measured in docs/performance.md §11). A report is rebuilt by running the suite again, so it
 * needs no durability against a power cut, only whole files. allure-playwright offers no option for its
 * writer, so MergeSafeAllureReporter (./allure-reporter.ts) puts this one in place of its own.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Globals, TestResult, TestResultContainer } from 'allure-js-commons';
import type { Category, EnvironmentInfo } from 'allure-js-commons/sdk';
import { stringifyEnvInfo, type Writer } from 'allure-js-commons/sdk/reporter';
import { writeFileAtomically } from '../atomic-write.js';

export class AllureResultsWriter implements Writer {
  readonly #resultsDir: string;

  constructor(resultsDir: string) {
    this.#resultsDir = resultsDir;
    mkdirSync(resultsDir, { recursive: true });
  }

  writeResult(result: TestResult): void {
    this.#publish(`${result.uuid}-result.json`, JSON.stringify(result));
  }

  writeGroup(result: TestResultContainer): void {
    this.#publish(`${result.uuid}-container.json`, JSON.stringify(result));
  }

  writeAttachment(distFileName: string, content: Buffer): void {
    this.#publish(distFileName, content);
  }

  writeAttachmentFromPath(distFileName: string, from: string): void {
    this.#publish(distFileName, readFileSync(from));
  }

  writeEnvironmentInfo(info: EnvironmentInfo): void {
    this.#publish('environment.properties', stringifyEnvInfo(info));
  }

  writeCategoriesDefinitions(categories: Category[]): void {
    this.#publish('categories.json', JSON.stringify(categories));
  }

  writeGlobals(distFileName: string, info: Globals): void {
    this.#publish(distFileName, JSON.stringify(info));
  }

  #publish(fileName: string, data: string | Buffer): void {
    writeFileAtomically(path.join(this.#resultsDir, fileName), data);
  }
}

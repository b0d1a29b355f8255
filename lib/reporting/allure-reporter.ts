/**
 * allure-playwright, made usable by `playwright merge-reports` (nightly.yml merges the shards' blob
 * reports). There the merged configuration reaches `onConfigure` before any project (projects arrive
 * with the merged events), and allure-playwright reads `config.projects[0]` in it: a TypeError, which
 * makes merge-reports exit 1 and stopped the nightly report job. It keeps the projects' output and
 * snapshot folders only to name visual-diff attachments, which this suite does not produce, so without
 * projects the configuration alone is kept. Known upstream: microsoft/playwright#29279 (same class).
 *
 * It also writes the results with AllureResultsWriter (./allure-results-writer.ts): the same files,
 * without an fsync of each one on the runner's thread.
 */
import type { FullConfig, Suite } from '@playwright/test/reporter';
import allurePlaywright from 'allure-playwright';
import { AllureResultsWriter } from './allure-results-writer.js';

// A CommonJS package: from ESM its default import is module.exports, whose `default` is the reporter.
const AllureReporter = allurePlaywright.default;

export default class MergeSafeAllureReporter extends AllureReporter {
  override onConfigure(config: FullConfig): void {
    if (config.projects.length > 0) {
      super.onConfigure(config);
      return;
    }
    (this as unknown as { config: FullConfig }).config = config;
  }

  override onBegin(suite: Suite): void {
    super.onBegin(suite);
    // allure-playwright builds its runtime here with its default writer and takes no writer option.
    const runtime = (this as unknown as { allureRuntime?: { writer: unknown } }).allureRuntime;
    if (runtime === undefined || typeof runtime.writer !== 'object') {
      throw new Error('allure-playwright no longer keeps its writer at allureRuntime.writer; lib/reporting/allure-reporter.ts needs updating');
    }
    const { resultsDir } = (this as unknown as { options: { resultsDir?: string } }).options;
    runtime.writer = new AllureResultsWriter(resultsDir ?? './allure-results');
  }
}

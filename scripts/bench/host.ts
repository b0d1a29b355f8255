/**
 * How fast this machine is at what the suite's processes spend their CPU on, so that a figure of another
 * section can be read as the code's or the host's. Two hosts both called "2 cores" ran the same commit's
 * suite in 18.6 s and 37.1 s, with 31.5 and 68.5 CPU-seconds (docs/performance.md §13): on the slower one
 * a page fault cost about 10 µs instead of well under 1, and a run takes about a million of them
 * (Chromium's renderers, a new process per browser login, most of them).
 *
 *   - one core's JSON work: stringify and parse of a fixed 2 MB document, as the checks do with bodies;
 *   - the first touch of fresh memory, per 4 KiB page: what every new process and growing heap pays;
 *   - a bare `node -e 0`, started and waited for: process creation, the cost of every worker and renderer.
 *
 * Each is the median of several rounds after a warm-up.
 */
import { spawnSync } from 'node:child_process';
import type { BenchSection } from './figures.js';
import { time } from './timing.js';

const PAGE = 4096;

/** A fixed document shaped like FHIR JSON (nested objects, codings, strings and numbers), about 2 MB. */
function fixedDocument(): unknown {
  return {
    resourceType: 'Bundle',
    entry: Array.from({ length: 2_000 }, (_, index) => ({
      fullUrl: `https://example.invalid/ExplanationOfBenefit/carrier-${index}`,
      resource: {
        resourceType: 'ExplanationOfBenefit',
        id: `carrier-${index}`,
        status: 'active',
        item: Array.from({ length: 3 }, (__, sequence) => ({
          sequence: sequence + 1,
          service: { coding: [{ system: 'https://bluebutton.cms.gov/resources/codesystem/hcpcs', code: `9921${sequence}`, display: 'Office visit' }] },
          adjudication: [{ category: { coding: [{ system: 'https://bluebutton.cms.gov/resources/codesystem/adjudication', code: 'paid' }] }, amount: { value: index * 1.25 + sequence, currency: 'USD' } }],
        })),
      },
    })),
  };
}

/** Microseconds for one page of fresh memory, first touched: an allocation this big is a new mapping, not reused heap. */
function firstTouchMicroseconds(): number {
  const bytes = 64 * 1024 * 1024;
  const perPage = time(() => {
    const buffer = Buffer.allocUnsafeSlow(bytes);
    for (let offset = 0; offset < bytes; offset += PAGE) buffer[offset] = 1;
  }, 5).ms;
  return (perPage * 1000) / (bytes / PAGE);
}

export const hostSection: BenchSection = {
  name: 'host',
  title: 'This machine (every other figure depends on these; compare them first)',
  run(record) {
    const document = fixedDocument();
    const size = JSON.stringify(document).length;
    record({
      key: 'host.json-round-trip-ms',
      label: `one core: JSON.stringify and JSON.parse of a ${(size / 1024 / 1024).toFixed(1)} MB document`,
      value: time(() => JSON.parse(JSON.stringify(document)), 9).ms,
      unit: 'ms',
      lowerIsBetter: true,
    });
    record({
      key: 'host.page-fault-us',
      label: 'first touch of a fresh 4 KiB memory page (a page fault)',
      value: firstTouchMicroseconds(),
      unit: 'µs',
      lowerIsBetter: true,
    });
    record({
      key: 'host.process-start-ms',
      label: 'a bare `node -e 0`, started and waited for',
      value: time(() => {
        const result = spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
        if (result.status !== 0) throw new Error(`node -e 0 exited with ${result.status ?? result.signal}`);
      }, 9).ms,
      unit: 'ms',
      lowerIsBetter: true,
    });
  },
};

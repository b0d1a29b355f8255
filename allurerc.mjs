// Allure 3 report configuration (`npm run report`, scripts/report.mjs; nightly.yml). Categories file each
// failure by its cause (lib/reporting/failure-causes.mjs, shared with the nightly job summary).
// A plain object: importing `allure` (its defineConfig is the identity) would start its command line.
import { FAILURE_CAUSES } from './lib/reporting/failure-causes.mjs';

const reportsDir = process.env.BB2_REPORTS_DIR ?? 'reports';

export default {
  name: 'BB2 conformance',
  output: `${reportsDir}/allure-report`,
  // Kept across nightly runs by nightly.yml (restored before, saved after).
  historyPath: `${reportsDir}/allure-history.jsonl`,
  historyLimit: 30,
  plugins: {
    awesome: {
      options: {
        reportName: 'BB2 conformance',
        singleFile: true,
        reportLanguage: 'en',
        groupBy: ['epic', 'feature', 'story'],
      },
    },
  },
  categories: {
    rules: FAILURE_CAUSES.map((cause) => ({
      name: cause.name,
      matchers: { statuses: ['failed', 'broken'], message: cause.pattern },
      // Outages and flow breaks read best grouped by their message; conformance failures by severity.
      ...(cause.id === 'conformance' ? { groupBy: ['severity'] } : { groupByMessage: true }),
    })),
  },
};

// Allure 3 report configuration (`npm run report`, scripts/report.ts; nightly.yml). Categories file each
// failure by its cause; they match on message prefixes the suite produces on purpose:
//   "target unavailable: …"  lib/reporting/target-errors.ts (no answer, 429, 502–504 after retries) and the
//                            globalSetup probe
//   "expect(…)"              a Playwright assertion: the target answered, and not as BB2 must
// A plain object: importing `allure` (its defineConfig is the identity) would start its command line.
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
    rules: [
      {
        name: 'Target unavailable (outage, rate limit, timeout, DNS or connection error)',
        matchers: [
          { statuses: ['failed', 'broken'], message: /^(\w*Error: )?target unavailable:/m },
          { statuses: ['failed', 'broken'], message: /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up/ },
        ],
        groupByMessage: true,
      },
      {
        name: 'Conformance failures (the target answered, not as BB2 must)',
        matchers: { statuses: ['failed'], message: /expect\(|toBeValidStu3|toFollowBb2Rules|violation/ },
        groupBy: ['severity'],
      },
      {
        name: 'Authorization flow did not complete (login or consent screens)',
        matchers: { statuses: ['failed', 'broken'], message: /^(\w*Error: )?authoriz(ing|e)/m },
        groupByMessage: true,
      },
      {
        name: 'Errors in the suite itself',
        matchers: { statuses: ['broken', 'failed'] },
        groupByMessage: true,
      },
    ],
  },
};

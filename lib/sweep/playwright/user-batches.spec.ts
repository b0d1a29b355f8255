/**
 * The population sweep, one test per batch of users (lib/sweep/playwright/sweep.config.ts). Each user of
 * the batch is swept as `npm run sweep` does (lib/sweep/sweep-user.ts), `concurrency` at a time in the
 * worker's browser; the test fails when a user's data breaks a rule, a login fails or the target is
 * unavailable, and its message lists them by rule. In Allure: epic "Population sweep", feature the API
 * version, one story per rule broken in the batch, so Behaviors groups the batches by rule.
 */
import * as allure from 'allure-js-commons';
import { expect, severity, test } from '../../../fixtures/index.js';
import { apiVersionSpec } from '../../api-version.js';
import { v2DeviationsFor } from '../../config.js';
import { aggregate } from '../aggregate.js';
import { forEachConcurrently } from '../pool.js';
import { requestRate } from '../options.js';
import { RateLimiter } from '../rate-limiter.js';
import { renderSummaryMarkdown } from '../report-page.js';
import { sweepRequestContext, sweepUserWithRetry } from '../sweep-user.js';
import type { UserResult } from '../user-result.js';
import { sweepPlanOrExit } from './plan.js';

const plan = sweepPlanOrExit();

test.describe.configure({ mode: 'parallel' });

for (const batch of plan.batches) {
  const title = batch.length === 1 ? (batch[0] as string) : `${batch[0]} … ${batch[batch.length - 1]} (${batch.length} users)`;
  test(
    title,
    {
      annotation: [
        // Labelled here, so the Allure context reporter leaves them (it labels the suite's checks by area tag).
        { type: 'allure.label.epic', description: 'Population sweep' },
        { type: 'allure.label.feature', description: `API ${apiVersionSpec(plan.apiVersion).label}` },
        severity('normal'),
        { type: 'allure.label.severity', description: 'normal' },
      ],
    },
    async ({ browser, playwright, target, suiteConfig }, testInfo) => {
      const api = await playwright.request.newContext({ timeout: target.timeouts.requestMs });
      const limiter = new RateLimiter(requestRate(plan.rate, target.kind));
      const deps = {
        browser,
        request: sweepRequestContext(api, target, limiter, suiteConfig.retries),
        target,
        apiVersion: target.apiVersion,
        v2KnownDeviations: v2DeviationsFor(suiteConfig),
        limiter,
        pageSize: plan.pageSize,
      };
      const results = new Map<string, UserResult>();
      const started = performance.now();
      try {
        await forEachConcurrently(batch, plan.concurrency, async (user) => {
          const result = await test.step(`sweep ${user}`, () => sweepUserWithRetry(user, deps));
          results.set(user, result);
        });
      } finally {
        await api.dispose();
      }

      const summary = aggregate(
        {
          apiVersion: target.apiVersion,
          target: { kind: target.kind, baseUrl: target.kind === 'external' ? target.baseUrl : undefined },
          fault: target.kind === 'embedded' ? process.env.BB2_SELFTEST_FAULT || undefined : undefined,
          selection: plan.description,
          shard: undefined,
          selected: batch.length,
          activeMs: Math.round(performance.now() - started),
          requests: limiter.sent,
          concurrency: plan.concurrency,
        },
        batch,
        results,
      );
      await testInfo.attach('sweep summary', { body: renderSummaryMarkdown(summary), contentType: 'text/markdown' });
      await testInfo.attach('users.jsonl', { body: [...results.values()].map((result) => JSON.stringify(result)).join('\n'), contentType: 'application/x-ndjson' });
      for (const rule of summary.rules) await allure.story(`${rule.rule} at ${rule.element}`);
      // As the validation matchers do: the requirements broken, for the self-test to credit this check.
      for (const requirement of new Set(summary.rules.flatMap((rule) => (rule.requirement ? [rule.requirement] : [])))) {
        testInfo.annotations.push({ type: 'violated', description: requirement });
      }

      const findings = [
        ...summary.rules.map((rule) => `${rule.rule} at ${rule.element}: ${rule.someUsers.join(', ')} (${rule.resources} resource(s))`),
        ...summary.users.loginFailed.map(({ user, error }) => `${user}: ${error}`),
        ...summary.users.targetUnavailable.map(({ user, error }) => `${user}: target unavailable: ${error}`),
      ];
      expect(findings, `the data of every user follows every rule, and every login succeeds (${batch.length} users, see the "sweep summary" attachment)`).toEqual([]);
    },
  );
}

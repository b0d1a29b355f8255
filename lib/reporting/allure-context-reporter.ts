/**
 * A Playwright reporter placed before allure-playwright (after the redacting reporter). It gives
 * allure-playwright what the specs declare once, instead of Allure calls in every spec:
 *
 *   epic         the spec's area tag (@discovery, @oauth, @fhir, @testclient)
 *   feature      the spec's describe block (else its file name)
 *   story        one per requirement id the check cites in its project (its requirement annotation and
 *                its API version's), with its title from the catalogue
 *                ("BB2-OAUTH-PKCE-03 The code_verifier must match the code_challenge")
 *   parentSuite  the API version the check ran for ("BB2 API v2 (FHIR R4)"): the Suites tab has one
 *                tree per version (the project's name; allure-playwright also adds it as the parameter
 *                "Project", so the v1 and v2 results of one check are two results, not retries)
 *   links     per requirement id, its public source and its entry in docs/requirements.md
 *             (lib/requirements/allure-links.ts)
 *   severity  the severity annotation
 *
 * by adding `allure.label.*` and link annotations to each test before allure-playwright reads them (at
 * onBegin for every test and again at onTestBegin, in list order: see redacting-reporter.ts). It also starts each run with an empty
 * allure-results directory, and writes the run's environment (gathered by lib/reporting/global-setup.ts
 * into the config's metadata, which blob reports carry to `merge-reports`) as environment.properties,
 * which the Allure report shows as the run's environment.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullConfig, Reporter, Suite, TestCase } from '@playwright/test/reporter';
import { citedRequirementIds } from '../../fixtures/annotations.js';
import { apiVersionSpec, isApiVersion } from '../api-version.js';
import { requirementLinkAnnotations, requirementStory } from '../requirements/allure-links.js';
import { ENVIRONMENT_METADATA_KEY, environmentProperties, type RunEnvironment } from './environment.js';

export const AREA_EPICS: Readonly<Record<string, string>> = {
  '@discovery': 'Discovery documents',
  '@oauth': 'OAuth 2.0 authorization',
  '@fhir': 'FHIR API',
  '@testclient': 'BB2 test client',
  '@availability': 'Target availability',
};

export interface AllureContextReporterOptions {
  /** allure-playwright's resultsDir; emptied at the start of a run. */
  readonly resultsDir: string;
}

/** The Suites tab's top level: the API version a project checks ("BB2 API v2 (FHIR R4)"), or the project's name. */
export function versionSuiteName(project: string): string {
  return isApiVersion(project) ? `BB2 API ${apiVersionSpec(project).label}` : project;
}

/** The allure.label.* and link annotations for a test, from its project, tags, describe block and annotations. */
export function allureLabelAnnotations(test: Pick<TestCase, 'tags' | 'annotations' | 'parent' | 'location'>): Array<{ type: string; description: string }> {
  const labels: Array<{ type: string; description: string }> = [];
  const epic = test.tags.map((tag) => AREA_EPICS[tag]).find((name) => name !== undefined);
  if (epic !== undefined) labels.push({ type: 'allure.label.epic', description: epic });
  const describe = test.parent.title;
  const feature = describe !== '' && test.parent.type === 'describe' ? describe : path.basename(test.location.file).replace(/\.(spec|setup)\.ts$/, '');
  labels.push({ type: 'allure.label.feature', description: feature });
  const project = typeof test.parent.project === 'function' ? test.parent.project()?.name : undefined;
  if (project !== undefined && project !== '') labels.push({ type: 'allure.label.parentSuite', description: versionSuiteName(project) });
  for (const id of citedRequirementIds(test.annotations, project)) {
    labels.push({ type: 'allure.label.story', description: requirementStory(id) }, ...requirementLinkAnnotations(id));
  }
  for (const annotation of test.annotations) {
    if (annotation.type === 'severity' && annotation.description) labels.push({ type: 'allure.label.severity', description: annotation.description });
  }
  return labels;
}

export default class AllureContextReporter implements Reporter {
  readonly #resultsDir: string;
  #config: FullConfig | undefined;

  constructor(options: AllureContextReporterOptions) {
    this.#resultsDir = path.resolve(options.resultsDir);
    // Results of an earlier run would mix into this run's report.
    rmSync(this.#resultsDir, { recursive: true, force: true });
    mkdirSync(this.#resultsDir, { recursive: true });
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.#config = config;
    // Every test now, so that those that never run (their setup failed) are grouped like the rest.
    for (const test of suite.allTests()) this.onTestBegin(test);
  }

  onTestBegin(test: TestCase): void {
    if (test.annotations.some((annotation) => annotation.type.startsWith('allure.label.'))) return; // labelled already, or a retry
    const labels = allureLabelAnnotations(test);
    // Severity moves to its Allure label (allure-playwright would otherwise show it as a step).
    const kept = test.annotations.filter((annotation) => annotation.type !== 'severity');
    test.annotations.splice(0, test.annotations.length, ...kept, ...labels);
  }

  onEnd(): void {
    const environment = this.#config?.metadata[ENVIRONMENT_METADATA_KEY] as RunEnvironment | undefined;
    if (environment === undefined) return;
    mkdirSync(this.#resultsDir, { recursive: true });
    writeFileSync(path.join(this.#resultsDir, 'environment.properties'), environmentProperties(environment));
  }
}

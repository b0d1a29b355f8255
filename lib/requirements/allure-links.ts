/**
 * How the Allure report shows a check's requirements: a story label per requirement, named by its id
 * and title ("BB2-OAUTH-PKCE-01 PKCE parameters are required at /authorize"), and links through
 * allure-playwright's `tms` annotation, whose `links.tms` templates (playwright.config.ts) turn an id
 * into a link named by it: to the requirement's first public source, and, when the run knows the
 * repository on GitHub (GitHub Actions' GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA), to its entry
 * in docs/requirements.md. allure-playwright 3 makes links only from `issue`, `tms` and `test_key`
 * annotations, and applies templates only to values that are not URLs, hence ids as the values.
 */
import { COVERAGE_PAGE } from './coverage-page.js';
import { loadCatalogue } from './catalogue.js';

/** The annotation allure-playwright turns into a link. */
export const LINK_ANNOTATION = 'tms';
/** Appended to an id: the link goes to the id's entry in docs/requirements.md instead of its source. */
const DOCS_SUFFIX = '#docs';

export interface LinkTemplate {
  readonly urlTemplate: (value: string) => string;
  readonly nameTemplate: (value: string) => string;
}

/** The repository's files on GitHub at the run's commit, when the run knows them. */
function repositoryBlobUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: commit } = env;
  return server && repository && commit ? `${server}/${repository}/blob/${commit}` : undefined;
}

/** docs/requirements.md on GitHub at the run's commit, when the run knows them. */
export function coveragePageUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const blob = repositoryBlobUrl(env);
  return blob === undefined ? undefined : `${blob}/${COVERAGE_PAGE}`;
}

export function requirementStory(id: string): string {
  const title = loadCatalogue().byId.get(id)?.title;
  return title === undefined ? id : `${id} ${title}`;
}

/** The `tms` annotations for one cited id: its source, and its docs entry when the page's URL is known. */
export function requirementLinkAnnotations(id: string, env: NodeJS.ProcessEnv = process.env): Array<{ type: string; description: string }> {
  return [{ type: LINK_ANNOTATION, description: id }, ...(coveragePageUrl(env) === undefined ? [] : [{ type: LINK_ANNOTATION, description: `${id}${DOCS_SUFFIX}` }])];
}

/**
 * allure-playwright's `links` option. The catalogue is read when the first link is made (in the
 * runner's reporter), not when the configuration is evaluated (in every worker too).
 */
export function requirementLinkTemplates(env: NodeJS.ProcessEnv = process.env): Readonly<Record<string, LinkTemplate>> {
  const page = coveragePageUrl(env) ?? COVERAGE_PAGE;
  const blob = repositoryBlobUrl(env);
  // The first public source; else a source file of this repository on GitHub; else the docs entry.
  const source = (id: string): string => {
    const sources = loadCatalogue().byId.get(id)?.sources ?? [];
    const url = sources.find((each) => each.url !== undefined)?.url;
    const file = sources.find((each) => each.path !== undefined)?.path;
    return url ?? (file !== undefined && blob !== undefined ? `${blob}/${file}` : `${page}#${id}`);
  };
  return {
    [LINK_ANNOTATION]: {
      urlTemplate: (value) => (value.endsWith(DOCS_SUFFIX) ? `${page}#${value.slice(0, -DOCS_SUFFIX.length)}` : source(value)),
      nameTemplate: (value) => (value.endsWith(DOCS_SUFFIX) ? `${value.slice(0, -DOCS_SUFFIX.length)} in ${COVERAGE_PAGE}` : `${value} source`),
    },
  };
}

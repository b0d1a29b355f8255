/**
 * Warms the machine's validator cache (lib/validation/code-cache.ts) once per run, in the Playwright
 * runner's globalSetup, so that the workers only load the compiled schemas. A cache that cannot be
 * written is not an error: each worker then compiles in memory, as before the cache.
 */
import { RELEASES } from './fhir/release.js';
import { warmSchemaCache } from './fhir/schema.js';

/** One line per release whose code had to be built or could not be cached (nothing when all were fresh). */
export function warmValidatorCache(): string[] {
  const lines: string[] = [];
  for (const release of Object.values(RELEASES)) {
    const started = performance.now();
    try {
      const warmed = warmSchemaCache(release);
      if (warmed.state === 'built') lines.push(`FHIR ${release.label} schema compiled into the validator cache (${warmed.miss ?? 'absent'}) in ${Math.round(performance.now() - started)} ms: ${warmed.file}`);
    } catch (error) {
      lines.push(`FHIR ${release.label} schema not cached (${(error as Error).message}): each worker compiles it`);
    }
  }
  return lines;
}

// Builds the FHIR validator cache (lib/validation/code-cache.ts) for both releases; scripts/warm-caches.mjs runs it at npm install.
import { warmValidatorCache } from '../lib/validation/warm-cache.js';

for (const line of warmValidatorCache()) console.log(line);

/**
 * Profile validation of BB2 v2 (FHIR R4) resources against CARIN Blue Button 1.1.0 and US Core 3.1.1
 * (vendored in schemas/c4bb/ and schemas/us-core/). The R4 base validator adds these violations to
 * its verdict: `validateBb2V2Profiles` for a BB2 v2 response (its claimed profiles, the profile BB2
 * serves for it, known deviations as notes), `getProfileValidator().validate` for profiles alone.
 */
export { createBb2V2ProfileChecker, loadBb2V2ProfileFacts, parseBb2V2ProfileFacts, validateBb2V2Profiles, type Bb2V2ProfileChecker, type Bb2V2ProfileFacts, type Bb2V2ProfileOptions, type DeviationMode } from './bb2-v2.js';
export { Conformance } from './conformance.js';
export { createProfileValidator, getProfileValidator, type ProfileValidationOptions, type ProfileValidator } from './validator.js';
export type { RuleKind } from './walk.js';

/**
 * BB2 v2's profile facts (schemas/bb2-v2-profiles.json): the C4BB profile BB2 serves for each
 * resource type and claim type, and the known deviations of real BB2 responses from those profiles.
 *
 * validateBb2V2Profiles checks a v2 response against the profiles each resource claims and the one
 * BB2 serves for it, says when a resource does not claim that profile, and turns every violation a
 * known deviation matches into a note (severity warning) that names the deviation: never a silent
 * pass. `deviations: 'current'` tolerates only what today's BFD does (its golden responses), not the
 * 2020-2021 shapes of BB2's old fixtures and the 2021 sandbox capture; 'none' reports everything.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { claimedProfiles, forEachResource, getProfileValidator, type ProfileValidator } from './validator.js';
import { describeResource, formatPath, type JsonObject, type PathSegment, type Violation } from '../violation.js';

export const BB2_V2_PROFILES_PATH = fileURLToPath(new URL('../../../schemas/bb2-v2-profiles.json', import.meta.url));

const source = z.strictObject({ url: z.string().regex(/^https?:\/\//, 'a public URL'), detail: z.string().min(1) });
const evidence = z.strictObject({ file: z.string().regex(/^lib\/validation\/testdata\/r4\//, 'a sample under lib/validation/testdata/r4/'), path: z.string().min(1) });
const profileFact = z.strictObject({ profile: z.string().url(), source, evidence });
const regex = z.string().refine((pattern) => {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}, 'a valid regular expression');

const deviationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case'),
  seenIn: z.enum(['current', '2021']),
  summary: z.string().min(1),
  match: z.array(z.strictObject({ rule: z.string().min(1), message: z.string().optional(), resourceId: regex.optional() })).min(1),
  /** Resources the deviation is about even when no violation shows it (a profile choice): a note each. */
  noteFor: z.strictObject({ resourceId: regex }).optional(),
  evidence: z.array(evidence).min(1),
  sources: z.array(source).min(1),
});

const factsSchema = z.strictObject({
  $comment: z.string(),
  igVersions: z.record(z.string(), z.string()),
  requirement: z.string().min(1),
  resourceProfiles: z.record(z.string(), profileFact),
  claimTypeProfiles: z.record(z.string(), profileFact),
  bb2Mapping: z.strictObject({ $comment: z.string(), sources: z.array(source).min(1) }),
  deviations: z.array(deviationSchema),
});

export type Bb2V2ProfileFacts = z.infer<typeof factsSchema>;
export type KnownDeviation = z.infer<typeof deviationSchema>;
export type DeviationMode = 'all' | 'current' | 'none';

/** Parses the facts file; a mistake in it is an error naming the field, not a silent pass. */
export function parseBb2V2ProfileFacts(document: unknown, file = BB2_V2_PROFILES_PATH): Bb2V2ProfileFacts {
  const parsed = factsSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`${file} is not a valid BB2 v2 profile facts file:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

export function loadBb2V2ProfileFacts(file = BB2_V2_PROFILES_PATH): Bb2V2ProfileFacts {
  return parseBb2V2ProfileFacts(JSON.parse(readFileSync(file, 'utf8')) as unknown, file);
}

/** "profile:*:*.meta.profile:x" -> a RegExp where * stands for any run of characters other than ':'. */
function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^:]*')}$`);
}

interface CompiledDeviation {
  readonly deviation: KnownDeviation;
  readonly matchers: readonly { rule: RegExp; message: string | undefined; resourceId: RegExp | undefined }[];
}

export interface Bb2V2ProfileOptions {
  /** Which known deviations become notes (default 'all'). */
  readonly deviations?: DeviationMode;
}

export interface Bb2V2ProfileChecker {
  readonly facts: Bb2V2ProfileFacts;
  /** The C4BB profile BB2 v2 serves for this resource (by type, and claim type for an EOB), when the facts know it. */
  expectedProfile(resource: JsonObject): string | undefined;
  validate(document: unknown, options?: Bb2V2ProfileOptions): Violation[];
}

export function createBb2V2ProfileChecker(facts: Bb2V2ProfileFacts = loadBb2V2ProfileFacts(), validator: ProfileValidator = getProfileValidator()): Bb2V2ProfileChecker {
  const deviations: CompiledDeviation[] = facts.deviations.map((deviation) => ({
    deviation,
    matchers: deviation.match.map((match) => ({ rule: globToRegExp(match.rule), message: match.message, resourceId: match.resourceId === undefined ? undefined : new RegExp(match.resourceId) })),
  }));
  for (const fact of [...Object.values(facts.resourceProfiles), ...Object.values(facts.claimTypeProfiles)]) {
    if (!validator.profile(fact.profile)) throw new Error(`${BB2_V2_PROFILES_PATH}: ${fact.profile} is not a vendored profile`);
  }

  const expectedProfile = (resource: JsonObject): string | undefined => {
    const resourceType = typeof resource.resourceType === 'string' ? resource.resourceType : '';
    if (resourceType === 'ExplanationOfBenefit') {
      const claimType = typeof resource.id === 'string' ? /^([a-z]+)-/.exec(resource.id)?.[1] : undefined;
      return claimType === undefined ? undefined : facts.claimTypeProfiles[claimType]?.profile;
    }
    return facts.resourceProfiles[resourceType]?.profile;
  };

  const active = (mode: DeviationMode): CompiledDeviation[] => (mode === 'none' ? [] : mode === 'current' ? deviations.filter(({ deviation }) => deviation.seenIn === 'current') : deviations);

  const asNote = (violation: Violation, known: readonly CompiledDeviation[]): Violation => {
    if (violation.severity === 'warning') return violation;
    const found = known.find(({ matchers }) =>
      matchers.some((matcher) => matcher.rule.test(violation.ruleId) && (matcher.message === undefined || violation.message.includes(matcher.message)) && (matcher.resourceId === undefined || matcher.resourceId.test(violation.id ?? ''))),
    );
    if (!found) return violation;
    return { ...violation, severity: 'warning', message: `${violation.message}. Known BB2 deviation '${found.deviation.id}': ${found.deviation.summary}` };
  };

  /** BB2-FHIR-V2PROFILE-01: the resource claims the profile BB2 serves for it; plus the notes of profile-choice deviations. */
  const checkClaim = (resource: JsonObject, path: PathSegment[], known: readonly CompiledDeviation[], out: Violation[]): void => {
    const expected = expectedProfile(resource);
    const owner = describeResource(resource);
    const claimed = claimedProfiles(resource);
    if (expected && !claimed.some((url) => url.split('|')[0] === expected)) {
      const what = resource.resourceType === 'ExplanationOfBenefit' ? `a ${String(resource.id).split('-')[0]} claim` : `a ${owner.resourceType}`;
      out.push({
        ...owner,
        path: formatPath([...path, 'meta', 'profile']),
        ruleId: 'bb2-v2:claimed-profile',
        rule: `${facts.requirement}: the profile BB2 v2 serves for it`,
        value: claimed,
        message: `${owner.resourceType} ${owner.id ?? ''} claims ${claimed.length === 0 ? 'no profile' : claimed.join(', ')}; BB2 v2 serves ${what} with ${expected}`,
        requirement: facts.requirement,
      });
    }
    for (const { deviation } of known) {
      if (deviation.noteFor && new RegExp(deviation.noteFor.resourceId).test(owner.id ?? '')) {
        out.push({ ...owner, path: formatPath([...path, 'meta', 'profile']), ruleId: `bb2-v2:deviation:${deviation.id}`, rule: `known BB2 deviation ${deviation.id}`, message: `Known BB2 deviation '${deviation.id}': ${deviation.summary}`, requirement: facts.requirement, severity: 'warning' });
      }
    }
  };

  return {
    facts,
    expectedProfile,
    validate(document, options = {}) {
      const known = active(options.deviations ?? 'all');
      const out: Violation[] = [];
      const visit = (resource: JsonObject, path: PathSegment[]): void => {
        checkClaim(resource, path, known, out);
        const expected = expectedProfile(resource);
        const violations = validator.validate(resource, { profiles: expected ? [expected] : [] });
        // The validator saw the resource alone: put its paths under the resource's place in the document.
        const prefix = formatPath(path);
        for (const violation of violations) out.push({ ...violation, path: prefix === '' ? violation.path : violation.path === '' ? prefix : `${prefix}.${violation.path}` });
      };
      forEachResource(document, visit);
      return out.map((violation) => asNote(violation, known));
    },
  };
}

let shared: Bb2V2ProfileChecker | undefined;

/** Profile validation of a BB2 v2 response (resource or Bundle), with BB2's facts and known deviations. */
export function validateBb2V2Profiles(document: unknown, options?: Bb2V2ProfileOptions): Violation[] {
  shared ??= createBb2V2ProfileChecker();
  return shared.validate(document, options);
}

/**
 * Code membership in the vendored ValueSets, expanded locally (no terminology server: the suite
 * runs offline). A ValueSet is expandable when everything it includes is enumerable here: listed
 * concepts, other expandable ValueSets, or a whole CodeSystem that is vendored with content
 * "complete". Anything else (a filter, CPT or ICD-10 which the packages name but do not hold, a
 * core FHIR ValueSet outside the packages) makes the answer "unknown" with the reason, which the
 * validator reports as a note: never as a pass, never as a failure.
 */
import { withoutVersion, type CodeSystemConcept, type Conformance, type ValueSetInclude } from './conformance.js';

export type Membership = { readonly kind: 'member' } | { readonly kind: 'not-member' } | { readonly kind: 'unknown'; readonly reason: string };

const MEMBER: Membership = { kind: 'member' };
const NOT_MEMBER: Membership = { kind: 'not-member' };

type Expansion = { readonly codes: ReadonlySet<string> } | { readonly unknown: string };

const key = (system: string | undefined, code: string): string => `${system ?? ''}|${code}`;

export interface CodingLike {
  system?: unknown;
  code?: unknown;
}

export class Terminology {
  private readonly expansions = new Map<string, Expansion>();

  constructor(private readonly conformance: Conformance) {}

  /** The ValueSet's codes, or why they cannot be listed here; computed once per ValueSet. */
  expand(valueSetUrl: string): Expansion {
    const url = withoutVersion(valueSetUrl);
    const cached = this.expansions.get(url);
    if (cached) return cached;
    // A cycle of includes would recurse forever: mark the set as in progress first.
    this.expansions.set(url, { unknown: `ValueSet ${url} includes itself` });
    const expansion = this.computeExpansion(url);
    this.expansions.set(url, expansion);
    return expansion;
  }

  private computeExpansion(url: string): Expansion {
    const valueSet = this.conformance.valueSet(url);
    if (!valueSet) return { unknown: `ValueSet ${url} is not in the vendored C4BB/US Core packages` };
    const include = this.union(valueSet.compose?.include ?? [], url);
    if ('unknown' in include) return include;
    const exclude = this.union(valueSet.compose?.exclude ?? [], url);
    if ('unknown' in exclude) return exclude;
    const codes = new Set([...include.codes].filter((code) => !exclude.codes.has(code)));
    return { codes };
  }

  private union(parts: readonly ValueSetInclude[], url: string): Expansion {
    const codes = new Set<string>();
    for (const part of parts) {
      const partCodes = this.expandPart(part, url);
      if ('unknown' in partCodes) return partCodes;
      for (const code of partCodes.codes) codes.add(code);
    }
    return { codes };
  }

  private expandPart(part: ValueSetInclude, url: string): Expansion {
    if (part.filter && part.filter.length > 0) return { unknown: `ValueSet ${url} selects codes of ${part.system ?? 'a code system'} by a filter, which cannot be evaluated offline` };
    let codes: Set<string> | undefined;
    if (part.system !== undefined) {
      if (part.concept) codes = new Set(part.concept.map((concept) => key(part.system, concept.code)));
      else {
        const codeSystem = this.conformance.codeSystem(part.system);
        if (!codeSystem) return { unknown: `ValueSet ${url} includes all of code system ${part.system}, which the vendored packages do not hold` };
        if (codeSystem.content !== 'complete') return { unknown: `ValueSet ${url} includes all of code system ${part.system}, which is published without its codes (content "${codeSystem.content}")` };
        codes = new Set();
        const walk = (concepts: readonly CodeSystemConcept[] | undefined): void => {
          for (const concept of concepts ?? []) {
            codes?.add(key(part.system, concept.code));
            walk(concept.concept);
          }
        };
        walk(codeSystem.concept);
      }
    }
    for (const included of part.valueSet ?? []) {
      const other = this.expand(included);
      if ('unknown' in other) return other;
      // system and valueSet together mean the intersection (R4 ValueSet.compose.include).
      codes = codes === undefined ? new Set(other.codes) : new Set([...codes].filter((code) => other.codes.has(code)));
    }
    return { codes: codes ?? new Set() };
  }

  /** A Coding (or Quantity, which has system and code too) against the ValueSet. */
  codingMembership(valueSetUrl: string, coding: CodingLike | null): Membership {
    const expansion = this.expand(valueSetUrl);
    if ('unknown' in expansion) return { kind: 'unknown', reason: expansion.unknown };
    // A malformed coding (null, a string) is the JSON rules' and the schema's finding; here it is no member.
    if (typeof coding !== 'object' || coding === null || typeof coding.code !== 'string') return NOT_MEMBER;
    return expansion.codes.has(key(typeof coding.system === 'string' ? coding.system : undefined, coding.code)) ? MEMBER : NOT_MEMBER;
  }

  /** A bare code: a member when any system of the ValueSet has it. */
  codeMembership(valueSetUrl: string, code: string): Membership {
    const expansion = this.expand(valueSetUrl);
    if ('unknown' in expansion) return { kind: 'unknown', reason: expansion.unknown };
    for (const member of expansion.codes) if (member.slice(member.indexOf('|') + 1) === code) return MEMBER;
    return NOT_MEMBER;
  }

  /** A CodeableConcept: a member when one of its codings is. */
  conceptMembership(valueSetUrl: string, concept: { coding?: unknown }): Membership {
    const codings = Array.isArray(concept.coding) ? (concept.coding as CodingLike[]) : [];
    let unknown: Membership | undefined;
    for (const coding of codings) {
      const membership = this.codingMembership(valueSetUrl, coding);
      if (membership.kind === 'member') return membership;
      if (membership.kind === 'unknown') unknown = membership;
    }
    return unknown ?? NOT_MEMBER;
  }
}

/**
 * The requirements catalogue entries of a FHIR release (requirements/fhir-<release>.json, format in
 * requirements/README.md), built from the same data the engine runs on: one entry per invariant
 * (invariants.json), per JSON rule and schema rule (json-rules.ts, schema-rules.ts), per required
 * binding (elements.json, valuesets.json) and per external code system (code-systems.ts). scripts/generate/fhir-requirements.ts writes the file; a
 * unit test fails when the file and the data disagree.
 */
import { codeSystemRequirementId } from './bindings.js';
import { EXTERNAL_CODE_SYSTEMS } from './code-systems.js';
import { loadDefinitions } from './definitions.js';
import { CORRECTIONS } from './invariants.js';
import { JSON_RULES } from './json-rules.js';
import { NATIVE_INVARIANTS } from './native-invariants.js';
import type { FhirRelease } from './release.js';
import { SCHEMA_RULES } from './schema-rules.js';

export interface RequirementSource {
  readonly url: string;
  readonly detail?: string;
}

export interface Requirement {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly strength: 'SHALL' | 'SHOULD' | 'MAY';
  readonly area: 'validation';
  readonly sources: readonly RequirementSource[];
  readonly untested?: string;
}

export interface RequirementsFile {
  readonly $comment: string;
  readonly requirements: readonly Requirement[];
}

const MAX_CODES_LISTED = 12;

function invariantRequirements(release: FhirRelease): Requirement[] {
  const definitions = loadDefinitions(release);
  return definitions.invariants.map((invariant) => {
    const correction = CORRECTIONS[`${release.name}:${invariant.key}`];
    const evaluated = correction?.evaluated ?? invariant.expression;
    const gap = NATIVE_INVARIANTS[evaluated]?.gap;
    const text = [
      `${invariant.human.trim().replace(/([^.])$/, '$1.')} FHIRPath, on every ${invariant.contexts.join(', ')}: ${invariant.expression}.`,
      correction ? ` Evaluated as ${correction.evaluated}: ${correction.why}` : '',
      gap ? ` Evaluated natively where fhirpath.js is wrong (${gap.description}).` : '',
    ].join('');
    return {
      id: `${release.requirementPrefix}-${invariant.key}`,
      title: `${invariant.key}: ${invariant.human}`,
      text,
      strength: invariant.severity === 'error' ? 'SHALL' : 'SHOULD',
      area: 'validation',
      sources: [{ url: invariant.source, detail: `invariant ${invariant.key} (${invariant.contexts.join(', ')})` }, ...(correction ? [{ url: correction.source, detail: `the corrected ${invariant.key}` }] : [])],
    };
  });
}

function bindingRequirements(release: FhirRelease): Requirement[] {
  const definitions = loadDefinitions(release);
  const seen = new Map<string, Requirement>();
  for (const type of definitions.types.values()) {
    for (const child of type.children.values()) {
      if (!child.binding || child.isPrimitiveElement || seen.has(child.definitionPath)) continue;
      const valueSet = child.binding;
      const codes = [...valueSet.allCodes];
      const listed = codes.length > MAX_CODES_LISTED ? `${codes.slice(0, MAX_CODES_LISTED).join(', ')}, … (${codes.length} codes)` : codes.join(', ');
      seen.set(child.definitionPath, {
        id: `${release.requirementPrefix}-BINDING-${child.definitionPath}`,
        title: `${child.definitionPath} holds a code of ${valueSet.name}`,
        text: valueSet.codes
          ? `${child.definitionPath} (${child.choice ? `${child.name}[x]` : child.type}) is bound to ${valueSet.url} with strength required: its code is one of ${listed}${child.type === 'CodeableConcept' ? ' (at least one coding, with the code system of the value set)' : ''}.`
          : `${child.definitionPath} is bound to ${valueSet.url} with strength required.`,
        strength: 'SHALL',
        area: 'validation',
        sources: [
          { url: type.page, detail: `${child.definitionPath} binding (required)` },
          { url: `${release.pageBase}terminologies.html#required`, detail: 'required bindings' },
        ],
        ...(valueSet.codes ? {} : { untested: `the value set cannot be enumerated from the ${release.label} package (${valueSet.reason ?? 'unknown'}), so no check can tell a wrong code` }),
      });
    }
  }
  return [...seen.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function ruleRequirements(release: FhirRelease, family: 'JSON' | 'SCHEMA'): Requirement[] {
  const rules = family === 'JSON' ? JSON_RULES : SCHEMA_RULES;
  return rules.map((rule) => ({
    id: `${release.requirementPrefix}-${family}-${rule.id}`,
    title: rule.title,
    text: rule.text,
    strength: 'SHALL',
    area: 'validation',
    sources: [{ url: `${release.pageBase}${rule.page}`, detail: rule.section }],
  }));
}

function codeSystemRequirements(release: FhirRelease): Requirement[] {
  return [...EXTERNAL_CODE_SYSTEMS.values()].map((system) => ({
    id: codeSystemRequirementId(release, system),
    title: `A Coding or Quantity whose system is ${system.url} holds one of its codes`,
    text: `Wherever a Coding, a Quantity or a Money names the system ${system.url} (${system.title}), its code is a code of that system (${system.origin}; ${system.codes.size} codes).`,
    strength: 'SHALL',
    area: 'validation',
    sources: [
      { url: `${release.pageBase}${system.page}`, detail: `${system.url}: ${system.title}` },
      { url: `${release.pageBase}datatypes.html#Money`, detail: 'Money: an amount in a currency (mny-1: the code SHALL be an expression of currency)' },
    ],
  }));
}

/** The catalogue file of the release's FHIR rules, in a stable order. */
export function buildRequirements(release: FhirRelease): RequirementsFile {
  return {
    $comment: `FHIR ${release.label} (${release.fhirVersion}) rules the validation engine checks: invariants, JSON representation, structure and cardinality, required bindings. Generated by scripts/generate/fhir-requirements.ts from schemas/fhir-${release.name}/ and lib/validation/fhir/; do not edit, regenerate.`,
    requirements: [...invariantRequirements(release), ...ruleRequirements(release, 'JSON'), ...ruleRequirements(release, 'SCHEMA'), ...bindingRequirements(release), ...codeSystemRequirements(release)],
  };
}

/**
 * Required value-set bindings (terminologies.html#required): a coded element bound `required` holds
 * a code of its value set. The bindings come from the StructureDefinitions (elements.json) and the
 * value sets from the same package (valuesets.json); a value set the package cannot enumerate
 * (MIME types, BCP 13) is not checked, and says so in the requirements catalogue.
 *
 * code: the value is one of the value set's codes. Coding: its system and code are a pair of the
 * value set. CodeableConcept: at least one of its codings is (text alone does not satisfy a
 * required binding).
 *
 * Also, whatever the binding: a Coding or Quantity (Money included) whose system is an external code
 * system the engine knows (code-systems.ts: ISO 4217) holds a code of that system, as the HL7
 * validator checks codes of the systems it knows. STU3's Money has no binding, only mny-1's words
 * "it SHALL be an expression of currency", which its FHIRPath cannot test.
 */
import { isJsonObject, truncateValue, type JsonObject } from '../violation.js';
import { EXTERNAL_CODE_SYSTEMS, type ExternalCodeSystem } from './code-systems.js';
import type { ChildElement, TypeInfo, ValueSet } from './definitions.js';
import type { FhirRelease } from './release.js';
import type { Check, Cursor } from './walk.js';

const MAX_LISTED = 12;

function codesOf(valueSet: ValueSet): string {
  const codes = [...valueSet.allCodes];
  return codes.length > MAX_LISTED ? `${codes.slice(0, MAX_LISTED).join(' | ')} … (${codes.length} codes)` : codes.join(' | ');
}

function codingMatches(coding: unknown, valueSet: ValueSet): boolean {
  if (!isJsonObject(coding) || typeof coding.system !== 'string' || typeof coding.code !== 'string') return false;
  return valueSet.codes?.get(coding.system)?.has(coding.code) ?? false;
}

export class BindingChecks implements Check {
  constructor(private readonly release: FhirRelease) {}

  private report(at: Cursor, element: ChildElement, valueSet: ValueSet, value: unknown, message: string): void {
    at.report({
      ruleId: `binding:${element.definitionPath}`,
      rule: `${this.release.label} required binding ${element.definitionPath}`,
      value: truncateValue(value),
      message: `${message}; ${element.definitionPath} is bound (required) to ${valueSet.name} (${valueSet.url}): ${codesOf(valueSet)}`,
      requirement: `${this.release.requirementPrefix}-BINDING-${element.definitionPath}`,
    });
  }

  primitive(value: unknown, element: ChildElement, at: Cursor): void {
    const valueSet = element.binding;
    if (!valueSet?.codes || typeof value !== 'string') return;
    if (!valueSet.allCodes.has(value)) this.report(at, element, valueSet, value, `"${value}" is not a code of the value set`);
  }

  private reportCodeSystem(at: Cursor, system: ExternalCodeSystem, node: JsonObject): void {
    at.report({
      ruleId: `code-system:${system.key}`,
      rule: `${this.release.label} code system ${system.url}`,
      value: node.code,
      message: `"${String(node.code)}" is not a code of ${system.title} (${system.url}), the system it names`,
      requirement: codeSystemRequirementId(this.release, system),
    }, 'code');
  }

  complex(node: JsonObject, type: TypeInfo, element: ChildElement | undefined, at: Cursor): void {
    // An empty code is the JSON rule no-empty-string's finding, not a second one.
    if (typeof node.system === 'string' && typeof node.code === 'string' && node.code !== '' && (type.name === 'Coding' || type.lineage.includes('Quantity'))) {
      const system = EXTERNAL_CODE_SYSTEMS.get(node.system);
      if (system && !system.codes.has(node.code)) this.reportCodeSystem(at, system, node);
    }
    const valueSet = element?.binding;
    if (!element || !valueSet?.codes) return;
    if (type.name === 'Coding') {
      if (!codingMatches(node, valueSet)) this.report(at, element, valueSet, node, `the coding ${describeCoding(node)} is not in the value set`);
      return;
    }
    if (type.name === 'CodeableConcept') {
      const codings = Array.isArray(node.coding) ? node.coding : [];
      if (!codings.some((coding) => codingMatches(coding, valueSet))) {
        const listed = codings.map(describeCoding).join(', ');
        this.report(at, element, valueSet, node, codings.length === 0 ? 'no coding (text alone does not satisfy a required binding)' : `none of its codings (${listed}) is in the value set`);
      }
    }
  }
}

function describeCoding(coding: unknown): string {
  if (!isJsonObject(coding)) return JSON.stringify(coding) ?? String(coding);
  return `${typeof coding.system === 'string' ? coding.system : '(no system)'}|${typeof coding.code === 'string' ? coding.code : '(no code)'}`;
}

/** The catalogue id of "codes of this external system are codes of it" in a release. */
export function codeSystemRequirementId(release: FhirRelease, system: ExternalCodeSystem): string {
  return `${release.requirementPrefix}-CODESYSTEM-${system.key}`;
}

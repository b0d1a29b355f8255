/**
 * Minimum cardinalities from the StructureDefinitions: an element with min ≥ 1 is present (a
 * primitive by its value or its `_name` extensions, a choice by any one of its types, a repeating
 * element by at least one item). The JSON schema requires only complex elements, never a primitive
 * (Extension.url, Bundle.type, OperationOutcome.issue.severity…), so this check covers both, and a
 * complex element the schema also reports is one violation (same rule id, same path).
 */
import type { JsonObject } from '../violation.js';
import type { ChildElement, TypeInfo } from './definitions.js';
import type { FhirRelease } from './release.js';
import { schemaRuleFields } from './schema-rules.js';
import type { Check, Cursor } from './walk.js';

interface Mandatory {
  readonly name: string;
  /** The JSON names that satisfy it: name, _name, or every valueX / _valueX of a choice. */
  readonly keys: readonly string[];
  readonly min: number;
  readonly choice: boolean;
}

function itemCount(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value)) return value.filter((item) => item !== null && item !== undefined).length;
  return 1;
}

export class MinimumCardinality implements Check {
  private readonly byType = new Map<string, readonly Mandatory[]>();

  constructor(private readonly release: FhirRelease) {}

  private mandatoryOf(type: TypeInfo): readonly Mandatory[] {
    let list = this.byType.get(type.name);
    if (!list) {
      const byName = new Map<string, { keys: string[]; min: number; choice: boolean }>();
      for (const [key, child] of type.children) {
        if (child.min < 1) continue;
        const entry = byName.get(child.name) ?? { keys: [], min: child.min, choice: child.choice };
        entry.keys.push(key);
        byName.set(child.name, entry);
      }
      list = [...byName].map(([name, entry]) => ({ name, ...entry }));
      this.byType.set(type.name, list);
    }
    return list;
  }

  complex(node: JsonObject, type: TypeInfo, _element: ChildElement | undefined, at: Cursor): void {
    for (const mandatory of this.mandatoryOf(type)) {
      let count = 0;
      for (const key of mandatory.keys) {
        // A primitive counts once whether it has a value, extensions, or both.
        if (key.startsWith('_') && node[key.slice(1)] !== undefined) continue;
        count += itemCount(node[key]);
      }
      if (count >= mandatory.min) continue;
      const label = mandatory.choice ? `${mandatory.name}[x]` : mandatory.name;
      at.report(
        {
          ...schemaRuleFields(this.release, 'required'),
          rule: `${this.release.label} schema: required element`,
          message: `${label} is mandatory in ${type.name} (${this.release.label} minimum cardinality ${mandatory.min}${count > 0 ? `, found ${count}` : ''})`,
        },
        label,
      );
    }
  }
}


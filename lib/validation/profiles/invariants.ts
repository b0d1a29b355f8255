/**
 * The profiles' own invariants (ElementDefinition.constraint), each compiled once with fhirpath.js
 * and its R4 model, evaluated synchronously and offline. Two FHIRPath functions need the outside
 * world and are answered locally instead:
 * - memberOf(valueSet) by the vendored ValueSets (./terminology.ts);
 * - resolve() by the resource itself: "#id" finds a contained resource, "Type/id" (and a reference
 *   whose `type` is set) gives a resource of that type, which is all `resolve() is Practitioner`
 *   needs.
 * When either cannot answer (a ValueSet that cannot be expanded here, a logical reference by
 * identifier only) the invariant's verdict is "unknown" with the reason, reported as a note.
 */
import fhirpath, { type UserInvocationTable } from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4/index.js';
import type { InvariantRule } from './compile.js';
import type { Terminology } from './terminology.js';

export type InvariantVerdict = { readonly kind: 'pass' } | { readonly kind: 'fail' } | { readonly kind: 'unknown'; readonly reason: string };

type Evaluator = (node: unknown, environment: Record<string, unknown>) => unknown[];

interface Evaluation {
  readonly resource: Record<string, unknown>;
  readonly unknowns: string[];
}

const asRecord = (value: unknown): Record<string, unknown> | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);

export class InvariantEvaluator {
  private readonly compiled = new Map<string, Evaluator>();
  /** The evaluation in progress (evaluation is synchronous, so one at a time). */
  private current: Evaluation | undefined;
  private readonly functions: UserInvocationTable;

  constructor(private readonly terminology: Terminology) {
    this.functions = {
      memberOf: { fn: (input: unknown[], valueSet: string) => this.memberOf(input, valueSet), arity: { 1: ['String'] } },
      resolve: { fn: (input: unknown[]) => this.resolve(input), arity: { 0: [] }, internalStructures: true },
    };
  }

  /** The compiled expression for this rule at this element path, compiled on first use. */
  private evaluatorFor(rule: InvariantRule, elementPath: string): Evaluator {
    const cacheKey = `${elementPath}\u0000${rule.expression}`;
    let evaluator = this.compiled.get(cacheKey);
    if (!evaluator) {
      const isRoot = !elementPath.includes('.');
      const path = isRoot ? rule.expression : { base: elementPath, expression: rule.expression };
      evaluator = fhirpath.compile(path, r4Model, { userInvocationTable: this.functions }) as Evaluator;
      this.compiled.set(cacheKey, evaluator);
    }
    return evaluator;
  }

  /** Compiles every expression of the rules ahead of use (one process compiles each once). */
  precompile(rules: readonly InvariantRule[], elementPath: string): void {
    for (const rule of rules) this.evaluatorFor(rule, elementPath);
  }

  evaluate(rule: InvariantRule, elementPath: string, node: unknown, resource: Record<string, unknown>): InvariantVerdict {
    const evaluator = this.evaluatorFor(rule, elementPath);
    const evaluation: Evaluation = { resource, unknowns: [] };
    this.current = evaluation;
    let result: unknown[];
    try {
      result = evaluator(node, { resource, rootResource: resource });
    } catch (error) {
      return { kind: 'unknown', reason: `fhirpath.js could not evaluate it: ${(error as Error).message}` };
    } finally {
      this.current = undefined;
    }
    // An invariant holds when it evaluates to true; an empty result counts as true (FHIR R4 conformance rules).
    const holds = result.length === 0 || (result.length === 1 && result[0] === true);
    if (holds) return { kind: 'pass' };
    if (evaluation.unknowns.length > 0) return { kind: 'unknown', reason: [...new Set(evaluation.unknowns)].join('; ') };
    return { kind: 'fail' };
  }

  private memberOf(input: unknown[], valueSet: string): boolean[] {
    const evaluation = this.current;
    if (input.length !== 1) return [];
    const value = input[0];
    const record = asRecord(value);
    const membership =
      typeof value === 'string'
        ? this.terminology.codeMembership(valueSet, value)
        : record && 'coding' in record
          ? this.terminology.conceptMembership(valueSet, record)
          : this.terminology.codingMembership(valueSet, record ?? {});
    if (membership.kind === 'unknown') {
      evaluation?.unknowns.push(`memberOf: ${membership.reason}`);
      return [];
    }
    return [membership.kind === 'member'];
  }

  /** input: fhirpath.js ResourceNodes (internalStructures), each a Reference. */
  private resolve(input: unknown[]): unknown[] {
    const evaluation = this.current;
    const out: unknown[] = [];
    for (const node of input) {
      const reference = asRecord(asRecord(node)?.data);
      const literal = typeof reference?.reference === 'string' ? reference.reference : undefined;
      let target: Record<string, unknown> | undefined;
      if (literal?.startsWith('#')) {
        const contained = Array.isArray(evaluation?.resource.contained) ? (evaluation.resource.contained as unknown[]) : [];
        target = contained.map(asRecord).find((candidate) => candidate?.id === literal.slice(1));
      } else {
        const type = literal ? /^(?:.*\/)?([A-Z][A-Za-z]+)\/[^/]+$/.exec(literal)?.[1] : typeof reference?.type === 'string' ? reference.type : undefined;
        if (type) target = { resourceType: type };
      }
      if (target) out.push(...(fhirpath.evaluate(target, '$this', undefined, r4Model, { resolveInternalTypes: false }) as unknown[]));
      else evaluation?.unknowns.push(`resolve(): the reference ${JSON.stringify(reference ?? null)} names no resource this response holds or types`);
    }
    return out;
  }
}

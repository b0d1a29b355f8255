/**
 * Seam recording, for the self-test's clean run (`npm run selftest`): which fault modes could change
 * what each check sees. The suite stamps every request with the scope it belongs to (a check, or a
 * worker fixture) in the `x-bb2-selftest-scope` header (fixtures/check-scopes.ts). Here, every read of
 * a behaviour seam (sandbox/src/behaviour.ts) during a request is recorded under that scope, and every
 * fault mode replacing that seam is evaluated beside it on the same arguments (shadow evaluation): when
 * its answer differs from the clean one (another value, or an exception where there was none), the fault
 * "diverges" in that scope, and that is recorded too.
 *
 * Why this is exact: a fault mode replaces seams and nothing else, and the sandbox is deterministic; if
 * every seam call of a check's requests answers the same under the fault, every response the check gets
 * is the same, so the check cannot see the fault. The self-test therefore runs each fault only with the
 * checks in whose scopes it diverged (selftest/selection.ts). Reads and divergences outside any request
 * (start-up) or on a request without the header are recorded under their own scope names, so the
 * self-test can see that it cannot attribute them.
 *
 * Shadow evaluation calls the fault modes' functions on the clean request's arguments: they are pure (the
 * resource corruptions work on copies, sandbox/src/faults/corrupt.ts), and whatever one throws is
 * caught. Each distinct line is written once, as JSON, to a file of its own per sandbox.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type Koa from 'koa';
import type { Behaviour, BehaviourOverrides } from '../behaviour.js';

/** The request header naming the check (or worker fixture) a request belongs to. */
export const SCOPE_HEADER = 'x-bb2-selftest-scope';
/** The recording folder; set, the self-test's sandboxes record (serve.ts, and private sandboxes in the workers). */
export const SEAMS_VARIABLE = 'BB2_SELFTEST_SEAMS';
/** Scope of what happens outside any request (start-up). */
export const NO_REQUEST_SCOPE = '(no request)';
/** Scope of a request that did not name its scope. */
export const UNSTAMPED_SCOPE = '(no scope header)';

/** A recording line: a seam ("fhir.serveResource") read in a scope, or a fault mode whose seam would have answered differently there. */
export type SeamRecord = { readonly scope: string; readonly seam: string } | { readonly scope: string; readonly fault: string };

/** What the recorder needs of a fault mode. */
export interface FaultVariant {
  readonly id: string;
  readonly overrides: BehaviourOverrides;
}

type Outcome = { readonly threw: false; readonly value: unknown } | { readonly threw: true; readonly error: unknown };

function outcomeOf(call: () => unknown): Outcome {
  try {
    return { threw: false, value: call() };
  } catch (error) {
    return { threw: true, error };
  }
}

function isThenable(value: unknown): boolean {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Whether two answers of a seam are the same: equal values, or errors of the same kind and message. A promise is never compared: counted as different. */
function sameOutcome(clean: Outcome, faulty: Outcome): boolean {
  if (clean.threw || faulty.threw) {
    if (!clean.threw || !faulty.threw) return false;
    const [a, b] = [clean.error as Error, faulty.error as Error];
    return a?.name === b?.name && a?.message === b?.message;
  }
  if (isThenable(clean.value) || isThenable(faulty.value)) return false;
  return Object.is(clean.value, faulty.value) || isDeepStrictEqual(clean.value, faulty.value);
}

export class SeamRecorder {
  readonly #requests = new AsyncLocalStorage<string>();
  readonly #written = new Set<string>();
  readonly #file: string;
  /** "fhir.serveResource" → the fault modes replacing it, with their variant. */
  readonly #variants = new Map<string, Array<{ readonly id: string; readonly value: unknown }>>();

  /** Writes into `directory` (created), one file per recorder; `faults` are evaluated beside the seams they replace. */
  constructor(directory: string, faults: readonly FaultVariant[] = []) {
    mkdirSync(directory, { recursive: true });
    this.#file = path.join(directory, `sandbox-${process.pid}-${randomUUID().slice(0, 8)}.jsonl`);
    for (const fault of faults) {
      for (const part of ['oauth', 'fhir'] as const) {
        for (const [name, value] of Object.entries(fault.overrides[part] ?? {})) {
          const seam = `${part}.${name}`;
          this.#variants.set(seam, [...(this.#variants.get(seam) ?? []), { id: fault.id, value }]);
        }
      }
    }
  }

  get file(): string {
    return this.#file;
  }

  /** First in the middleware chain: everything a request runs (oidc-provider included) sees its scope. */
  middleware(): Koa.Middleware {
    return (koa, next) => this.#requests.run(koa.get(SCOPE_HEADER) || UNSTAMPED_SCOPE, next);
  }

  /** The scope header of the request being served, for the requests the sandbox sends itself on its behalf. */
  onwardHeaders(): Record<string, string> {
    const scope = this.#requests.getStore();
    return scope === undefined || scope === UNSTAMPED_SCOPE ? {} : { [SCOPE_HEADER]: scope };
  }

  /** The same behaviour, with every seam read recorded and the fault modes evaluated beside it. */
  watch(behaviour: Behaviour): Behaviour {
    return { oauth: this.#watchPart('oauth', behaviour.oauth), fhir: this.#watchPart('fhir', behaviour.fhir) };
  }

  #scope(): string {
    return this.#requests.getStore() ?? NO_REQUEST_SCOPE;
  }

  #watchPart<T extends object>(part: keyof Behaviour, seams: T): T {
    return new Proxy(seams, {
      get: (target, name, receiver) => {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof name !== 'string' || !Object.hasOwn(target, name)) return value;
        const seam = `${part}.${name}`;
        this.#write({ scope: this.#scope(), seam });
        const variants = this.#variants.get(seam);
        if (variants === undefined) return value;
        if (typeof value !== 'function') {
          for (const variant of variants) if (!Object.is(variant.value, value)) this.#diverged(variant.id);
          return value;
        }
        return (...args: unknown[]) => this.#shadow(value as (...args: unknown[]) => unknown, variants, receiver, args);
      },
    });
  }

  /** Calls the seam, then each fault's variant not yet known to diverge in this scope, on the same arguments. */
  #shadow(clean: (...args: unknown[]) => unknown, variants: ReadonlyArray<{ readonly id: string; readonly value: unknown }>, self: unknown, args: unknown[]): unknown {
    const answer = outcomeOf(() => clean.apply(self, args));
    const scope = this.#scope();
    for (const variant of variants) {
      if (this.#written.has(this.#divergenceLine(scope, variant.id))) continue;
      const faulty = typeof variant.value === 'function' ? outcomeOf(() => (variant.value as (...args: unknown[]) => unknown).apply(self, args)) : { threw: false as const, value: variant.value };
      if (!sameOutcome(answer, faulty)) this.#diverged(variant.id);
    }
    if (answer.threw) throw answer.error;
    return answer.value;
  }

  #divergenceLine(scope: string, fault: string): string {
    return JSON.stringify({ scope, fault } satisfies SeamRecord);
  }

  #diverged(fault: string): void {
    this.#writeLine(this.#divergenceLine(this.#scope(), fault));
  }

  #write(record: SeamRecord): void {
    this.#writeLine(JSON.stringify(record));
  }

  #writeLine(line: string): void {
    if (this.#written.has(line)) return;
    this.#written.add(line);
    // Synchronous and small: the line is on disk however the sandbox is stopped.
    appendFileSync(this.#file, `${line}\n`);
  }
}

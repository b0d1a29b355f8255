/**
 * The command lines of the project's tools (npm run sandbox, the self-test's faulty sandbox, npm run
 * selftest, npm run token) read their flags alike: node's parseArgs, strict, no positionals, and every
 * mistake a UsageError whose message names the flag, which the tool prints above its usage (exit 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The flags' values; an unknown flag, a positional or a missing value is a UsageError. */
export function parseFlags<const Options extends OptionsConfig>(argv: readonly string[], options: Options) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A flag that takes a whole number (digits only); undefined when it is not given. */
export function wholeNumberFlag(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  return Number(raw);
}

/** A flag that takes one of `allowed`; undefined when it is not given. */
export function choiceFlag<const Choice extends string>(name: string, raw: string | undefined, allowed: readonly Choice[]): Choice | undefined {
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as Choice;
}

/** Settings without the entries left unset, so that the defaults apply to them. */
export function withoutUnset<T extends object>(settings: T): Partial<T> {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as Partial<T>;
}

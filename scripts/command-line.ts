/**
 * The end every command-line tool of scripts/ shares: run its main with the arguments, take the exit code
 * it returns, and print a UsageError above the tool's usage with exit code 2 (no stack trace).
 */
import { UsageError } from '../sandbox/src/cli-arguments.js';

export async function runTool(main: (argv: readonly string[]) => Promise<number>, usage: string): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    process.exitCode = 2;
  }
}

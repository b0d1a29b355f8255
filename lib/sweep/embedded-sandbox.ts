/**
 * The embedded sandbox for a sweep that has no BB2_BASE_URL: started as a child process with the same
 * command Playwright's webServer uses (sandbox/src/faults/webserver.ts, so BB2_SELFTEST_FAULT selects a
 * fault mode here too), on a free port. A process of its own, so that serving the data and validating it
 * run on different cores.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from '../config.js';
import { sandboxCommand } from '../embedded-sandbox.js';

export interface ChildSandbox {
  readonly url: string;
  /** The fault mode the sandbox serves, if any. */
  readonly fault: string | undefined;
  close(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;

/**
 * @param onWarning the sandbox's stderr lines (e.g. its fault-mode warning). Its stdout, which prints the
 *   local client's secret for people, is read for the port only and never shown.
 */
export async function startChildSandbox(onWarning: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<ChildSandbox> {
  // The command is the webServer's: plain words, no quoting (see webserver.ts), run without a shell so
  // that closing it stops the sandbox itself.
  const [program, ...args] = sandboxCommand('embedded', env).split(' ');
  const child: ChildProcess = spawn(program === 'node' ? process.execPath : (program as string), args, {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own: Ctrl-C at the terminal stops the sweep, which lets its users in flight
    // finish against a sandbox that is still there, then closes it.
    detached: true,
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    const lines = stderr.split('\n');
    stderr = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') onWarning(line);
  });
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`the embedded sandbox did not start within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /listening on port (\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        stdout = '';
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the embedded sandbox exited (code ${code}) before listening${stderr ? `: ${stderr.trim()}` : ''}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Being in a group of its own, the sandbox would outlive a sweep that quits at once (a second Ctrl-C,
  // process.exit on an error): stop it with the sweep. (Only a SIGKILL of the sweep leaves it running.)
  const stopWithUs = () => child.kill('SIGKILL');
  process.once('exit', stopWithUs);
  void exited.then(() => process.off('exit', stopWithUs));
  return {
    url: `http://127.0.0.1:${port}`,
    fault: env.BB2_SELFTEST_FAULT || undefined,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Progress of a long sweep: on a terminal, one line redrawn in place (bar, users done, rate, time left,
 * statuses); in CI or when the output is a file or pipe, a plain line every `plainEveryMs`.
 *
 * Hand-written: one line of text; a progress-bar package would be a dependency for twenty lines.
 */
import type { UserStatus } from './user-result.js';

export interface ProgressOptions {
  /** Users to sweep in this session (without those finished earlier). */
  readonly total: number;
  /** Users finished in earlier sessions (a resumed sweep), shown in the count. */
  readonly alreadyDone: number;
  readonly mode: 'bar' | 'lines';
  readonly write: (text: string) => void;
  readonly now?: () => number;
  readonly plainEveryMs?: number;
  readonly width?: number;
  /** The terminal's width: a longer bar line would wrap, and \r would no longer redraw it in place. */
  readonly columns?: number;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

export class Progress {
  readonly #options: ProgressOptions;
  readonly #now: () => number;
  readonly #started: number;
  readonly #counts: Record<UserStatus, number> = { ok: 0, violations: 0, 'login-failed': 0, 'target-unavailable': 0 };
  #done = 0;
  #lastPlain = Number.NEGATIVE_INFINITY;
  #drawn = false;

  constructor(options: ProgressOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#started = this.#now();
  }

  /** The status line as it stands. */
  line(): string {
    const { total, alreadyDone } = this.#options;
    const elapsed = this.#now() - this.#started;
    const perMinute = elapsed > 0 ? (this.#done / elapsed) * 60_000 : 0;
    const left = total - this.#done;
    const eta = this.#done > 0 ? formatDuration((left / this.#done) * elapsed) : '?';
    const all = total + alreadyDone;
    const done = this.#done + alreadyDone;
    const percent = all > 0 ? Math.floor((done / all) * 100) : 100;
    const c = this.#counts;
    const statuses = `${c.ok} ok, ${c.violations} violations, ${c['login-failed']} login failed, ${c['target-unavailable']} unavailable`;
    return `${done}/${all} users (${percent}%), ${perMinute.toFixed(1)} users/min, ${left > 0 ? `about ${eta} left` : 'done'}; ${statuses}`;
  }

  #bar(): string {
    const { total, alreadyDone } = this.#options;
    const all = total + alreadyDone;
    const width = this.#options.width ?? 24;
    const filled = all > 0 ? Math.round(((this.#done + alreadyDone) / all) * width) : width;
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  }

  #draw(force: boolean): void {
    if (this.#options.mode === 'bar') {
      const text = `${this.#bar()} ${this.line()}`;
      const columns = this.#options.columns;
      this.#options.write(`\r\u001b[2K${columns !== undefined && text.length >= columns ? text.slice(0, Math.max(columns - 1, 0)) : text}`);
      this.#drawn = true;
      return;
    }
    const now = this.#now();
    if (force || now - this.#lastPlain >= (this.#options.plainEveryMs ?? 10_000)) {
      this.#lastPlain = now;
      this.#options.write(`sweep: ${this.line()}\n`);
    }
  }

  start(): void {
    this.#draw(true);
  }

  userDone(status: UserStatus): void {
    this.#done += 1;
    this.#counts[status] += 1;
    this.#draw(this.#done === this.#options.total);
  }

  /** Prints a message above the bar (the bar is redrawn below it). */
  note(message: string): void {
    if (this.#options.mode === 'bar' && this.#drawn) this.#options.write('\r\u001b[2K');
    this.#options.write(`${message}\n`);
    if (this.#options.mode === 'bar' && this.#drawn) this.#draw(true);
  }

  /** Ends the bar's line. */
  stop(): void {
    if (this.#options.mode === 'bar' && this.#drawn) this.#options.write('\n');
    this.#drawn = false;
  }
}

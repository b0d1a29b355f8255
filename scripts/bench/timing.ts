/** How the bench sections time a piece of work: one warm-up round, then the median of several. */
import { performance } from 'node:perf_hooks';

export interface Timing {
  /** Median wall time of one round, ms. */
  readonly ms: number;
  /** Median CPU time (user + system) of one round, ms. */
  readonly cpuMs: number;
}

/** The middle value (the upper of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Runs `round` once to warm up, then `rounds` times, and gives the median wall and CPU times. */
export function time(round: () => void, rounds: number): Timing {
  round();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    round();
    walls.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  return { ms: median(walls), cpuMs: median(cpus) };
}

/**
 * The shape every benchmark section reports in, and the side-by-side table `npm run bench` prints:
 * each figure of this run next to the same figure of a baseline run (bench/baseline.json, or --baseline).
 * Figures are printed, never asserted: a timed assertion would flake on a busy 2-core machine.
 */
export interface Figure {
  /** Stable key, used to match the baseline's figure: "validation.eob-per-s". */
  readonly key: string;
  /** What was measured, for people. */
  readonly label: string;
  readonly value: number;
  /** "ms", "/s", "MiB", "s", … */
  readonly unit: string;
  /** true when a smaller value is better (times, sizes); false for rates. */
  readonly lowerIsBetter: boolean;
  /** Extra words printed after the figure (sizes of inputs, counts). */
  readonly note?: string;
}

export interface BenchSection {
  /** Short name for --only: "data", "validation", "sandbox", "suite", "reports". */
  readonly name: string;
  readonly title: string;
  run(record: (figure: Figure) => void): Promise<void> | void;
}

export type Baseline = Readonly<Record<string, { value: number; unit: string }>>;

function formatValue(value: number, unit: string): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${unit}`;
}

/** One printed row: label, this run, baseline, and the change ("1.8x slower", "12% better"). */
export function formatRow(figure: Figure, baseline: Baseline | undefined): string {
  const now = formatValue(figure.value, figure.unit);
  const before = baseline?.[figure.key];
  let comparison = 'no baseline';
  if (before && before.unit === figure.unit && before.value > 0 && figure.value > 0) {
    const ratio = figure.value / before.value;
    const better = figure.lowerIsBetter ? ratio < 1 : ratio > 1;
    const factor = ratio >= 1 ? ratio : 1 / ratio;
    comparison = Math.abs(ratio - 1) < 0.05 ? 'same' : `${factor >= 2 ? `${factor.toFixed(1)}x` : `${Math.round((factor - 1) * 100)}%`} ${better ? 'better' : 'worse'}`;
    comparison = `${formatValue(before.value, before.unit)} → ${comparison}`;
  }
  return `  ${figure.label.padEnd(64)} ${now.padStart(14)}   ${comparison}${figure.note ? `   (${figure.note})` : ''}`;
}

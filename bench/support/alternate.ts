/**
 * Baseline-versus-subject comparison for benches. Measuring the baseline
 * first and the subject second puts one of them on colder caches and lets a
 * noisy neighbour (this machine is shared) land on one side only; measuring
 * each once hides how much two runs of the same work differ. So every
 * comparison alternates A B A B … and judges the median of the per-round
 * ratios, reporting their spread beside it.
 */

export interface Round<T> {
  baseline: T;
  subject: T;
  /** subject figure ÷ baseline figure for this round. */
  ratio: number;
}

export interface Comparison<T> {
  rounds: Round<T>[];
  /** Median of the per-round ratios: what a target is judged on. */
  median: number;
  min: number;
  max: number;
}

export interface AlternateOptions<T> {
  rounds: number;
  baseline(round: number): Promise<T>;
  subject(round: number): Promise<T>;
  /** The figure compared (e.g. req/s, p99 ms, sweep ms). */
  figure(sample: T): number;
  /** Rounds before the measured ones, same alternation, results discarded (caches, JIT, connection pools). */
  warmupRounds?: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs A B A B … (`rounds` pairs after any warm-up pairs) and compares each pair. */
export async function alternate<T>(options: AlternateOptions<T>): Promise<Comparison<T>> {
  for (let w = 0; w < (options.warmupRounds ?? 0); w++) {
    await options.baseline(-1 - w);
    await options.subject(-1 - w);
  }
  const rounds: Round<T>[] = [];
  for (let r = 0; r < options.rounds; r++) {
    const baseline = await options.baseline(r);
    const subject = await options.subject(r);
    rounds.push({ baseline, subject, ratio: options.figure(subject) / options.figure(baseline) });
  }
  return summarize(rounds);
}

export function summarize<T>(rounds: Round<T>[]): Comparison<T> {
  const ratios = rounds.map((r) => r.ratio);
  return { rounds, median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

/** "0.93 (0.88–1.01 over 5 rounds)": the judged ratio and its spread, for a report line. */
export function describeRatio(c: Comparison<unknown>): string {
  return `${c.median.toFixed(2)} (${c.min.toFixed(2)}–${c.max.toFixed(2)} over ${c.rounds.length} rounds)`;
}

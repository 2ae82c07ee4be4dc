/**
 * Baseline-versus-subject comparison for benches. Measuring the baseline
 * first and the subject second puts one of them on colder caches and lets a
 * noisy neighbour (this machine is shared) land on one side only; measuring
 * each once hides how much two runs of the same work differ. So every
 * comparison alternates A B A B … and judges the median of the per-round
 * ratios, reporting their spread beside it.
 *
 * A comparison with a closing baseline (A B A B … A) is judged instead on
 * the median over every two adjacent runs, each subject against the baseline
 * before it and the one after it. On this shared VM the speed of the whole
 * machine changes by up to 2× within seconds and stays changed for tens of
 * seconds, with no steal time to tell. Inside such a spell adjacent runs are
 * alike, and only the pairs at its edges are off: a slow subject spoils its
 * two pairs and a slow baseline flatters its two, so the median ignores a
 * spell's edges whichever side they fall on, where four A-then-B pairs let one
 * edge move the judged figure. Each subject measured both after and before a
 * baseline also cancels a drift of the machine's speed over the comparison.
 * (Each subject against the mean of its two baselines would not be even: a
 * slow baseline would flatter two rounds where a slow subject spoils one. A
 * ratio of the two sides' medians fails when a spell covers more runs of one
 * side than of the other.)
 */

export interface Round<T> {
  baseline: T;
  subject: T;
  /** subject figure ÷ baseline figure for this round. */
  ratio: number;
}

export interface Comparison<T> {
  rounds: Round<T>[];
  /** The baseline run after the last round (A B … A), if there is one. */
  closingBaseline?: T;
  /** What a target is judged on: the median of the per-round ratios, or with a closing baseline of the adjacent runs' ratios. */
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
  /** A B A B … A, judged on the median over every two adjacent runs (see above). */
  closingBaseline?: boolean;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs A B A B … (`rounds` pairs after any warm-up pairs, then the closing A if asked for) and compares each pair. */
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
  if (!options.closingBaseline) return summarize(rounds);
  return summarizeClosed(rounds, await options.baseline(options.rounds), options.figure);
}

export function summarize<T>(rounds: Round<T>[]): Comparison<T> {
  const ratios = rounds.map((r) => r.ratio);
  return { rounds, median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

/** A B … A: judged on the median ratio over adjacent runs, subject r against baselines r and r + 1 (the closing one). */
export function summarizeClosed<T>(rounds: Round<T>[], closingBaseline: T, figure: (sample: T) => number): Comparison<T> {
  const baselines = [...rounds.map((r) => figure(r.baseline)), figure(closingBaseline)];
  const ratios = rounds.flatMap((r, i) => [figure(r.subject) / baselines[i]!, figure(r.subject) / baselines[i + 1]!]);
  return { rounds, closingBaseline, median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

/**
 * "0.93 (0.88–1.01 over 5 rounds)": the judged ratio and its spread, for a report line; with a closing baseline
 * "0.93 (0.88–1.01 over 10 adjacent pairs of 5 rounds A B … A)".
 */
export function describeRatio(c: Comparison<unknown>): string {
  const over = c.closingBaseline === undefined ? `${c.rounds.length} rounds` : `${c.rounds.length * 2} adjacent pairs of ${c.rounds.length} rounds A B … A`;
  return `${c.median.toFixed(2)} (${c.min.toFixed(2)}–${c.max.toFixed(2)} over ${over})`;
}

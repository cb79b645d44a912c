/**
 * Small statistics over repeated runs: every figure in the report is the median of ≥ 5 runs with
 * its spread (min–max and the interquartile range).
 * @module
 */

/** Summary of a series of run results. */
export interface Summary {
  /** Number of runs. */
  n: number;
  median: number;
  min: number;
  max: number;
  /** First and third quartiles (linear interpolation, like tinybench's `quantileSorted`). */
  q1: number;
  q3: number;
  /** The individual run results, in run order. */
  values: number[];
}

/** The `q` quantile (0..1) of already sorted numbers, interpolating linearly between neighbours. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty series');
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  return a + (b - a) * (position - lower);
}

/** Summarises run results. Throws `RangeError` on an empty series or a non-finite value. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('no runs to summarise');
  for (const value of values)
    if (!Number.isFinite(value)) throw new RangeError(`non-finite run result ${value}`);
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: values.length,
    median: quantileSorted(sorted, 0.5),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    q1: quantileSorted(sorted, 0.25),
    q3: quantileSorted(sorted, 0.75),
    values: [...values],
  };
}

/** Run-by-run ratios `ours[i] / baseline[i]` (runs are paired: measured in the same round). */
export function pairedRatios(ours: readonly number[], baseline: readonly number[]): number[] {
  if (ours.length !== baseline.length) throw new RangeError('paired series of different lengths');
  return ours.map((value, i) => value / baseline[i]!);
}

/** The p-th percentile (0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  return quantileSorted(
    [...samples].sort((a, b) => a - b),
    p / 100,
  );
}

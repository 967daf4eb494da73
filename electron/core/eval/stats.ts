/**
 * The statistics of an evaluation: the unbiased pass@k estimator, seeded bootstrap intervals and the paired
 * comparison of two models. Pure functions of their inputs and a seed, so a report computed twice from the
 * same results prints the same digits.
 */
import { rng as mulberry32 } from '../util/rng';

/** The engine's seeded PRNG (util/rng), under the name the statistics tests use. */
export { mulberry32 };

/** How many bootstrap resamples an interval uses (percentile intervals settle to ±0.5 point well before this). */
export const RESAMPLES = 2000;

/** A 31-bit seed from any parts (FNV-1a over their text): a cell's interval gets its own reproducible stream. */
export function seedFrom(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  const s = parts.map(String).join('\u0000');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0x7fffffff;
}

/**
 * Unbiased pass@k from n samples of which c are correct (Chen et al. 2021): 1 − C(n−c, k) / C(n, k),
 * computed as 1 − ∏_{i=n−c+1}^{n} (1 − k/i) so that no binomial coefficient overflows.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || c < 0 || c > n || k < 1 || k > n) {
    throw new RangeError(`pass@k needs whole numbers 0 ≤ c ≤ n and 1 ≤ k ≤ n (got n=${n}, c=${c}, k=${k}).`);
  }
  if (n - c < k) return 1;
  let miss = 1;
  for (let i = n - c + 1; i <= n; i++) miss *= 1 - k / i;
  return 1 - miss;
}

/** The value at quantile q of sorted numbers (linear interpolation between order statistics, as numpy's default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = q * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (rank - lo);
}

export interface Estimate {
  mean: number;
  /** The 95 % percentile-bootstrap interval. */
  lo: number;
  hi: number;
}

const avg = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function interval(stats: number[], mean: number): Estimate {
  stats.sort((a, b) => a - b);
  return { mean, lo: quantileSorted(stats, 0.025), hi: quantileSorted(stats, 0.975) };
}

/**
 * The cumulative distribution of Binomial(n, c/n): how many of n draws with replacement from c ones and
 * n − c zeros are ones. Computed in log space (n can be 64 × 32), normalised, summed.
 */
function binomialCdf(n: number, c: number): Float64Array {
  const cdf = new Float64Array(n + 1);
  if (c === 0 || c === n) {
    cdf.fill(0, 0, c === 0 ? 0 : n);
    cdf.fill(1, c === 0 ? 0 : n);
    return cdf;
  }
  const p = c / n;
  const logs = new Float64Array(n + 1);
  let logChoose = 0;
  let max = -Infinity;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logChoose += Math.log((n - k + 1) / k);
    logs[k] = logChoose + k * Math.log(p) + (n - k) * Math.log(1 - p);
    if ((logs[k] as number) > max) max = logs[k] as number;
  }
  let total = 0;
  for (let k = 0; k <= n; k++) total += cdf[k] = Math.exp((logs[k] as number) - max);
  let run = 0;
  for (let k = 0; k <= n; k++) cdf[k] = run += (cdf[k] as number) / total;
  cdf[n] = 1;
  return cdf;
}

/** The first k with cdf[k] ≥ u (binary search). */
function drawFrom(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cdf[mid] as number) >= u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Mean over questions of each question's mean observation, with a 95 % interval from a two-stage percentile
 * bootstrap: each resample draws the questions with replacement, then (when `inner`) draws each drawn
 * question's observations (its samples, over every repeat) with replacement, and takes the mean of the
 * per-question means; the interval is the 2.5th and 97.5th percentiles of those means. Resampling within a
 * question adds the sampling noise of k samples and R repeats to the noise of which questions were asked.
 * For 0/1 observations the inner draw of n with replacement is drawn at once from its exact distribution,
 * Binomial(n, c/n), by one uniform number and the inverse CDF (the same resample, in log n instead of n
 * steps: 500 questions × 12 samples take milliseconds, not most of a second). Questions with no observation
 * are left out. Null when there is none.
 */
export function bootstrapMean(groups: readonly (readonly number[])[], seed: number, opts: { inner?: boolean; resamples?: number } = {}): Estimate | null {
  const gs = groups.filter((g) => g.length > 0);
  if (gs.length === 0) return null;
  const inner = opts.inner ?? true;
  const B = opts.resamples ?? RESAMPLES;
  const means = gs.map(avg);
  const cdfs = new Map<string, Float64Array>();
  const binary = gs.map((g) => {
    if (!inner || !g.every((x) => x === 0 || x === 1)) return null;
    const c = (g as readonly number[]).reduce((a: number, b: number) => a + b, 0);
    const key = `${g.length}:${c}`;
    let cdf = cdfs.get(key);
    if (!cdf) cdfs.set(key, (cdf = binomialCdf(g.length, c)));
    return cdf;
  });
  const rand = mulberry32(seed);
  const n = gs.length;
  const stats: number[] = new Array<number>(B);
  for (let b = 0; b < B; b++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const qi = Math.floor(rand() * n);
      if (!inner) {
        total += means[qi] as number;
        continue;
      }
      const g = gs[qi] as readonly number[];
      const cdf = binary[qi];
      if (cdf) {
        total += drawFrom(cdf, rand()) / g.length;
        continue;
      }
      let s = 0;
      for (let j = 0; j < g.length; j++) s += g[Math.floor(rand() * g.length)] as number;
      total += s / g.length;
    }
    stats[b] = total / n;
  }
  return interval(stats, avg(means));
}

export interface PairedEstimate extends Estimate {
  /** Questions both models answered (with at least one scored sample each). */
  n: number;
  /** Whether the interval leaves out 0. */
  significant: boolean;
}

/**
 * The mean of paired differences a_q − b_q over the same questions, with a 95 % paired percentile bootstrap
 * over questions: a resample draws question indices once and uses both models' values of each drawn question,
 * so what the questions share (their difficulty) cancels out of the difference.
 */
export function pairedBootstrap(a: readonly number[], b: readonly number[], seed: number, resamples = RESAMPLES): PairedEstimate | null {
  if (a.length !== b.length) throw new RangeError(`a paired comparison needs the same questions on both sides (${a.length} against ${b.length}).`);
  const n = a.length;
  if (n === 0) return null;
  const d = a.map((x, i) => x - (b[i] as number));
  const rand = mulberry32(seed);
  const stats: number[] = new Array<number>(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[Math.floor(rand() * n)] as number;
    stats[r] = s / n;
  }
  const est = interval(stats, avg(d));
  return { ...est, n, significant: est.lo > 0 || est.hi < 0 };
}

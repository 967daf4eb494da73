import { rng } from '../util/rng';

export interface KMeansOptions {
  k: number;
  seed: number;
  /** Most Lloyd iterations. */
  maxIter?: number;
  /** Stop when at most this share of the points changed cluster in an iteration (0: only when none did). */
  tol?: number;
}

export interface KMeansResult {
  k: number;
  /** Cluster of each point, 0-based, numbered by size (0 is the largest; ties: the one holding the lowest index). */
  labels: Int32Array;
  /** k × dims unit vectors, in the same numbering. */
  centroids: Float32Array;
  sizes: number[];
  iterations: number;
  /** Sum over points of 1 − cosine to their centroid. */
  inertia: number;
}

function dot(a: Float32Array, ai: number, b: Float32Array, bi: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    s0 += (a[ai + j] as number) * (b[bi + j] as number);
    s1 += (a[ai + j + 1] as number) * (b[bi + j + 1] as number);
    s2 += (a[ai + j + 2] as number) * (b[bi + j + 2] as number);
    s3 += (a[ai + j + 3] as number) * (b[bi + j + 3] as number);
  }
  for (; j < d; j++) s0 += (a[ai + j] as number) * (b[bi + j] as number);
  return s0 + s1 + s2 + s3;
}

function normalise(v: Float32Array, off: number, d: number): void {
  let s = 0;
  for (let j = 0; j < d; j++) s += (v[off + j] as number) ** 2;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let j = 0; j < d; j++) v[off + j] = (v[off + j] as number) * inv;
}

/**
 * Spherical k-means on L2-normalised rows (cosine similarity), k-means++ seeding, deterministic from the seed:
 * the same data, k and seed always give the same labels. A generator so that a caller can yield to its event
 * loop between iterations (`kmeansAsync`); `kmeans` runs it straight through.
 */
export function* kmeansSteps(data: Float32Array, dims: number, opts: KMeansOptions): Generator<number, KMeansResult> {
  const n = dims > 0 ? Math.floor(data.length / dims) : 0;
  const k = Math.floor(opts.k);
  if (!(k >= 1)) throw new RangeError('k must be at least 1');
  if (k > n) throw new RangeError(`k (${k}) is larger than the number of points (${n})`);
  const maxIter = opts.maxIter ?? 100;
  const tol = opts.tol ?? 0;
  const r = rng(opts.seed);
  const d = dims;
  const cent = new Float32Array(k * d);

  // k-means++: the first centre uniformly, each next one with probability ∝ squared distance (2 − 2·cos) to the nearest centre.
  const dist = new Float64Array(n);
  let first = Math.min(n - 1, Math.floor(r() * n));
  cent.set(data.subarray(first * d, first * d + d), 0);
  for (let i = 0; i < n; i++) dist[i] = Math.max(0, 2 - 2 * dot(data, i * d, cent, 0, d));
  // Greedy k-means++ (as scikit-learn): 2 + ⌊ln k⌋ candidates per step, keeping the one that lowers the potential most.
  const trials = 2 + Math.floor(Math.log(k));
  const cand = new Float64Array(n);
  const bestDist = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += dist[i] as number;
    let bestPick = -1;
    let bestPot = Infinity;
    for (let t = 0; t < trials; t++) {
      let pick = -1;
      if (total > 0) {
        let target = r() * total;
        for (let i = 0; i < n && pick < 0; i++) {
          target -= dist[i] as number;
          if (target < 0) pick = i;
        }
        // rounding left the target past the end: the last point with weight
        for (let i = n - 1; i >= 0 && pick < 0; i--) if ((dist[i] as number) > 0) pick = i;
      } else {
        first = (first + 1) % n; // every point sits on a centre: take the next one
        pick = first;
      }
      let pot = 0;
      for (let i = 0; i < n; i++) {
        const x = Math.min(dist[i] as number, Math.max(0, 2 - 2 * dot(data, i * d, data, pick * d, d)));
        cand[i] = x;
        pot += x;
      }
      if (pot < bestPot) {
        bestPot = pot;
        bestPick = pick;
        bestDist.set(cand);
      }
      if (total <= 0) break;
    }
    cent.set(data.subarray(bestPick * d, bestPick * d + d), c * d);
    dist.set(bestDist);
  }
  yield 0;

  const labels = new Int32Array(n).fill(-1);
  const best = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  let iterations = 0;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let bj = 0;
      let bv = -Infinity;
      for (let j = 0; j < k; j++) {
        const v = dot(data, i * d, cent, j * d, d);
        if (v > bv) {
          bv = v;
          bj = j;
        }
      }
      best[i] = bv;
      if (labels[i] !== bj) {
        labels[i] = bj;
        changed++;
      }
    }
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i] as number;
      counts[c] = (counts[c] as number) + 1;
      const o = c * d;
      const x = i * d;
      for (let j = 0; j < d; j++) sums[o + j] = (sums[o + j] as number) + (data[x + j] as number);
    }
    // An empty cluster takes the point farthest from its centre (the lowest index among equals).
    const taken = new Set<number>();
    for (let c = 0; c < k; c++) {
      if ((counts[c] as number) > 0) {
        for (let j = 0; j < d; j++) cent[c * d + j] = sums[c * d + j] as number;
        normalise(cent, c * d, d);
        continue;
      }
      let far = -1;
      for (let i = 0; i < n; i++) if (!taken.has(i) && (far < 0 || (best[i] as number) < (best[far] as number))) far = i;
      taken.add(far);
      cent.set(data.subarray(far * d, far * d + d), c * d);
      changed++;
    }
    yield iterations;
    if (changed <= tol * n) break;
  }

  // Final assignment against the final centres, then number clusters by size.
  let inertia = 0;
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    let bj = 0;
    let bv = -Infinity;
    for (let j = 0; j < k; j++) {
      const v = dot(data, i * d, cent, j * d, d);
      if (v > bv) {
        bv = v;
        bj = j;
      }
    }
    labels[i] = bj;
    counts[bj] = (counts[bj] as number) + 1;
    inertia += 1 - bv;
  }
  const firstIndex = new Array<number>(k).fill(n);
  for (let i = n - 1; i >= 0; i--) firstIndex[labels[i] as number] = i;
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => (counts[b] as number) - (counts[a] as number) || (firstIndex[a] as number) - (firstIndex[b] as number));
  const rename = new Int32Array(k);
  order.forEach((old, nu) => (rename[old] = nu));
  const outCent = new Float32Array(k * d);
  order.forEach((old, nu) => outCent.set(cent.subarray(old * d, old * d + d), nu * d));
  for (let i = 0; i < n; i++) labels[i] = rename[labels[i] as number] as number;
  return { k, labels, centroids: outCent, sizes: order.map((old) => counts[old] as number), iterations, inertia };
}

export function kmeans(data: Float32Array, dims: number, opts: KMeansOptions): KMeansResult {
  const g = kmeansSteps(data, dims, opts);
  for (;;) {
    const s = g.next();
    if (s.done) return s.value;
  }
}

/** The same computation, handing the event loop back between iterations (an API server stays responsive). */
export async function kmeansAsync(data: Float32Array, dims: number, opts: KMeansOptions, onIteration?: (it: number) => void): Promise<KMeansResult> {
  const g = kmeansSteps(data, dims, opts);
  for (;;) {
    const s = g.next();
    if (s.done) return s.value;
    onIteration?.(s.value);
    await new Promise<void>((res) => setImmediate(res));
  }
}

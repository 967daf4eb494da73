import { fmix32, normalizeText } from './text';

/**
 * Exact + near-duplicate detection over plain texts (no database): the hot loop of dedup and of the
 * benchmark. Near duplicates: character shingles → one-permutation MinHash signatures → LSH banding → candidate pairs,
 * each verified by the actual Jaccard similarity of the shingle sets, then union-find clusters.
 */
export interface NearDupOptions {
  /** Jaccard similarity at or above which two questions are near duplicates (default 0.8). */
  threshold?: number;
  /** Characters per shingle of the normalised text (default 5). */
  shingle?: number;
  /** Number of MinHash bins (one-permutation hashing; default 128). */
  numPerm?: number;
  seed?: number;
}

export interface Pair {
  a: number;
  b: number;
  similarity: number;
  exact: boolean;
}

export interface DupResult {
  /** Union-find root of each text: texts with the same root are one cluster. */
  root: Int32Array;
  pairs: Pair[];
  candidates: number;
  bands: number;
  rows: number;
  shingles: Uint32Array[];
}

/** Picks the LSH band count and width for a threshold: as many rows per band as keep recall at the threshold ≥ 99.5%. */
export function lshParams(threshold: number, numPerm: number): { bands: number; rows: number } {
  let best = { bands: numPerm, rows: 1 };
  for (let rows = 1; rows <= numPerm; rows++) {
    const bands = Math.floor(numPerm / rows);
    if (bands < 1) break;
    const p = 1 - Math.pow(1 - Math.pow(threshold, rows), bands);
    if (p >= 0.995) best = { bands, rows };
  }
  return best;
}

/**
 * The set of character k-shingles of a normalised text, as sorted distinct 32-bit hashes. Characters
 * (not words) so that one edit in a short question changes few shingles: an inserted word in a 30-word
 * question costs about 10 of 180 shingles (Jaccard ≈ 0.9) where word 3-shingles would drop it near 0.8.
 * A text shorter than k characters is one shingle.
 */
export function shingleSet(norm: string, k: number): Uint32Array {
  const n = norm.length;
  if (n === 0) return new Uint32Array(0);
  const w = Math.min(k, n);
  const out = new Uint32Array(n - w + 1);
  for (let i = 0; i + w <= n; i++) {
    let h = 0x811c9dc5;
    for (let j = 0; j < w; j++) h = Math.imul(h ^ norm.charCodeAt(i + j), 0x01000193);
    out[i] = fmix32(h);
  }
  out.sort();
  let u = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[u - 1]) out[u++] = out[i]!;
  return out.subarray(0, u);
}

/**
 * One-permutation MinHash (Li et al. 2012) with optimal densification (Shrivastava 2017): each shingle
 * is hashed once, its top bits pick one of `bins` bins (a power of two) and the bin keeps the minimum of
 * the low bits; an empty bin borrows the value of the first non-empty bin on its own fixed probe sequence,
 * so two texts still agree on a bin with probability equal to their Jaccard similarity.
 */
export function ophSignature(sh: Uint32Array, bins: number, seed: number, out: Uint32Array, base: number): void {
  const bits = 31 - Math.clz32(bins);
  const shift = 32 - bits;
  const mask = shift >= 32 ? 0xffffffff : (1 << shift) - 1;
  out.fill(0xffffffff, base, base + bins);
  for (let s = 0; s < sh.length; s++) {
    const x = fmix32(sh[s]! ^ seed);
    const b = base + (bits === 0 ? 0 : x >>> shift);
    const v = (x & mask) >>> 0;
    if (v < out[b]!) out[b] = v;
  }
  if (sh.length === 0) return;
  for (let j = 0; j < bins; j++) {
    if (out[base + j] !== 0xffffffff) continue;
    for (let t = 1; ; t++) {
      const src = fmix32(Math.imul(j + 1, 0x9e3779b1) ^ Math.imul(t, 0x85ebca6b) ^ seed) & (bins - 1);
      const v = out[base + src]!;
      // Only bins filled by a shingle may lend (a borrowed value is marked by its top bit).
      if (v !== 0xffffffff && v < 0x80000000) {
        out[base + j] = (v | 0x80000000) >>> 0;
        break;
      }
    }
  }
}

export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      inter++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return inter / (a.length + b.length - inter);
}

function find(p: Int32Array, x: number): number {
  while (p[x] !== x) {
    p[x] = p[p[x]!]!;
    x = p[x]!;
  }
  return x;
}
function union(p: Int32Array, a: number, b: number): void {
  const ra = find(p, a);
  const rb = find(p, b);
  if (ra === rb) return;
  if (ra < rb) p[rb] = ra;
  else p[ra] = rb;
}

const BIG_BUCKET = 64;

export function findDuplicates(texts: readonly string[], opts: NearDupOptions = {}): DupResult {
  const threshold = opts.threshold ?? 0.8;
  const k = opts.shingle ?? 5;
  const numPerm = opts.numPerm ?? 128;
  const n = texts.length;
  const root = new Int32Array(n);
  for (let i = 0; i < n; i++) root[i] = i;
  const pairs: Pair[] = [];

  // Exact: identical normalised text.
  const norms: string[] = new Array<string>(n);
  const firstOf = new Map<string, number>();
  const isRep = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = normalizeText(texts[i]!);
    norms[i] = s;
    const f = firstOf.get(s);
    if (f === undefined) {
      firstOf.set(s, i);
      isRep[i] = 1;
    } else {
      union(root, f, i);
      pairs.push({ a: f, b: i, similarity: 1, exact: true });
    }
  }

  // Near: one-permutation MinHash signatures of each distinct text's character shingles.
  let bins = 1;
  while (bins < numPerm) bins *= 2;
  const seed = fmix32((opts.seed ?? 0x5eed) >>> 0);
  const shingles: Uint32Array[] = new Array<Uint32Array>(n);
  const sig = new Uint32Array(n * bins);
  for (let d = 0; d < n; d++) {
    if (!isRep[d]) {
      shingles[d] = EMPTY;
      continue;
    }
    const sh = shingleSet(norms[d]!, k);
    shingles[d] = sh;
    ophSignature(sh, bins, seed, sig, d * bins);
  }
  const numPermUsed = bins;

  // LSH: per band, sort (band key, doc) packed in a float64 and walk runs of equal keys.
  const { bands, rows } = lshParams(threshold, numPermUsed);
  const reps: number[] = [];
  for (let d = 0; d < n; d++) if (isRep[d] && shingles[d]!.length) reps.push(d);
  const packed = new Float64Array(reps.length);
  const seen = new Set<number>();
  let candidates = 0;
  const check = (a: number, b: number) => {
    if (a > b) [a, b] = [b, a];
    const key = a * n + b;
    if (seen.has(key)) return;
    seen.add(key);
    candidates++;
    const sim = jaccard(shingles[a]!, shingles[b]!);
    if (sim >= threshold) {
      union(root, a, b);
      pairs.push({ a, b, similarity: sim, exact: false });
    }
  };
  for (let band = 0; band < bands; band++) {
    for (let r = 0; r < reps.length; r++) {
      const base = reps[r]! * numPermUsed + band * rows;
      let h = 0x811c9dc5 ^ band;
      for (let j = 0; j < rows; j++) h = Math.imul(h ^ sig[base + j]!, 0x01000193);
      packed[r] = (h >>> 0) * 2097152 + r;
    }
    packed.sort();
    let start = 0;
    for (let i = 1; i <= packed.length; i++) {
      if (i < packed.length && Math.floor(packed[i]! / 2097152) === Math.floor(packed[start]! / 2097152)) continue;
      const len = i - start;
      if (len > 1) {
        // A huge bucket means boilerplate: compare neighbours only, so the work stays linear.
        for (let x = start; x < i; x++) {
          const stop = len > BIG_BUCKET ? Math.min(i, x + 4) : i;
          for (let y = x + 1; y < stop; y++) check(reps[packed[x]! % 2097152]!, reps[packed[y]! % 2097152]!);
        }
      }
      start = i;
    }
  }
  if (reps.length >= 2097152) throw new Error('near dedup handles at most 2,097,151 distinct questions at once');
  for (let i = 0; i < n; i++) root[i] = find(root, i);
  return { root, pairs, candidates, bands, rows, shingles };
}
const EMPTY = new Uint32Array(0);

import { fmix32, normalizeText } from './text';

/**
 * Exact + near-duplicate detection over plain texts (no database): the hot loop of dedup and of the
 * benchmark. Near duplicates: character shingles → one-permutation MinHash signatures (256 bins) → LSH banding
 * (32 bands × 8 rows at 0.8) → candidate pairs, each seen once (a pair that collided in an earlier band is skipped),
 * skipped when already in one cluster, pre-filtered by signature agreement and verified by the actual Jaccard
 * similarity of the sorted shingle sets, then union-find clusters.
 */
export interface NearDupOptions {
  /** Jaccard similarity at or above which two questions are near duplicates (default 0.8). */
  threshold?: number;
  /** Characters per shingle of the normalised text (default 5). */
  shingle?: number;
  /** Number of MinHash bins (one-permutation hashing, rounded up to a power of two; default 256). */
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
  /** Sorted shingle set of each distinct text in a cluster (and of any text that reached the exact check); empty otherwise. */
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
  const out = rawShingles(norm, k, new Uint32Array(Math.max(0, norm.length - Math.min(k, norm.length) + 1)));
  radixSort32(out);
  let u = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[u - 1]) out[u++] = out[i]!;
  return out.subarray(0, u);
}

const ROLL = 0x01000193;

/**
 * The k-shingle hashes of a normalised text in text order (repeats kept), written to `buf` (grown if short):
 * a polynomial rolling hash, O(1) per shingle, finished by fmix32. Returns the filled prefix.
 */
export function rawShingles(norm: string, k: number, buf: Uint32Array): Uint32Array {
  const n = norm.length;
  if (n === 0) return buf.subarray(0, 0);
  const w = Math.min(k, n);
  const count = n - w + 1;
  const out = buf.length >= count ? buf : new Uint32Array(count);
  let top = 1; // ROLL^(w-1)
  for (let j = 1; j < w; j++) top = Math.imul(top, ROLL);
  let h = 0;
  for (let j = 0; j < w; j++) h = (Math.imul(h, ROLL) + norm.charCodeAt(j)) | 0;
  out[0] = fmix32(h);
  for (let i = 1; i < count; i++) {
    h = (Math.imul((h - Math.imul(norm.charCodeAt(i - 1), top)) | 0, ROLL) + norm.charCodeAt(i + w - 1)) | 0;
    out[i] = fmix32(h);
  }
  return out.subarray(0, count);
}

let scratch = new Uint32Array(1024);
const counts = new Int32Array(256 * 4);

/**
 * Sorts unsigned 32-bit values in place: LSD radix sort, four 8-bit passes. TypedArray#sort in Node 20
 * costs ~80 µs for 500 values (it boxes them); this is linear and allocation-free after warm-up.
 */
export function radixSort32(a: Uint32Array): void {
  const n = a.length;
  if (n < 2) return;
  if (n < 32) {
    for (let i = 1; i < n; i++) {
      const x = a[i]!;
      let j = i - 1;
      while (j >= 0 && a[j]! > x) {
        a[j + 1] = a[j]!;
        j--;
      }
      a[j + 1] = x;
    }
    return;
  }
  if (scratch.length < n) scratch = new Uint32Array(Math.max(n, scratch.length * 2));
  const tmp = scratch;
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    counts[x & 255]!++;
    counts[256 + ((x >>> 8) & 255)]!++;
    counts[512 + ((x >>> 16) & 255)]!++;
    counts[768 + (x >>> 24)]!++;
  }
  for (let p = 0; p < 4; p++) {
    let sum = 0;
    for (let b = p * 256; b < p * 256 + 256; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
  }
  let src: Uint32Array = a;
  let dst: Uint32Array = tmp;
  for (let p = 0; p < 4; p++) {
    const shift = p * 8;
    const off = p * 256;
    for (let i = 0; i < n; i++) {
      const x = src[i]!;
      dst[counts[off + ((x >>> shift) & 255)]!++] = x;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  // After an even number of passes the result is back in `a`.
}

/** Sorts `vals` by `keys` (both in place, stable): LSD radix sort of 32-bit keys with a 32-bit payload. */
function radixSortPairs(keys: Uint32Array, vals: Int32Array, tk: Uint32Array, tv: Int32Array): void {
  const n = keys.length;
  const cnt = new Int32Array(256);
  let sk: Uint32Array = keys;
  let sv: Int32Array = vals;
  let dk: Uint32Array = tk;
  let dv: Int32Array = tv;
  for (let shift = 0; shift < 32; shift += 8) {
    cnt.fill(0);
    for (let i = 0; i < n; i++) cnt[(sk[i]! >>> shift) & 255]!++;
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const c = cnt[b]!;
      cnt[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const x = sk[i]!;
      const at = cnt[(x >>> shift) & 255]!++;
      dk[at] = x;
      dv[at] = sv[i]!;
    }
    [sk, dk] = [dk, sk];
    [sv, dv] = [dv, sv];
  }
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
/**
 * Signature pre-filter slack: a pair whose bin agreement is this far below the threshold skips exact Jaccard.
 * At least 4.5σ of the agreement estimate (σ ≤ 0.5/√bins): 0.15 at 256 bins, wider with fewer bins.
 */
const SIG_SLACK = 0.15;

export function findDuplicates(texts: readonly string[], opts: NearDupOptions = {}): DupResult {
  const threshold = opts.threshold ?? 0.8;
  const k = opts.shingle ?? 5;
  const numPerm = opts.numPerm ?? 256;
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
  // Sorted shingle sets are built lazily: only texts that reach the exact check (or end up in a cluster) need one.
  const shingles: Uint32Array[] = new Array<Uint32Array>(n).fill(EMPTY);
  const built = new Uint8Array(n);
  const setOf = (d: number): Uint32Array => {
    if (!built[d]) {
      built[d] = 1;
      shingles[d] = shingleSet(norms[d]!, k);
    }
    return shingles[d]!;
  };
  const reps: number[] = [];
  for (let d = 0; d < n; d++) if (isRep[d] && norms[d]!.length) reps.push(d);
  const m = reps.length;
  // Signatures are indexed by position in `reps` (r), not by text index; OPH minima ignore repeated shingles.
  const sig = new Uint32Array(m * bins);
  let buf = new Uint32Array(1024);
  for (let r = 0; r < m; r++) {
    const len = norms[reps[r]!]!.length;
    if (len > buf.length) buf = new Uint32Array(len);
    ophSignature(rawShingles(norms[reps[r]!]!, k, buf), bins, seed, sig, r * bins);
  }

  // LSH: per band, radix-sort the texts by band key and walk runs of equal keys. Each band's key of
  // each text is kept, so a pair that already collided in an earlier band is recognised without a pair set.
  const { bands, rows } = lshParams(threshold, bins);
  const keys = new Uint32Array(m * bands);
  for (let r = 0; r < m; r++) {
    for (let band = 0; band < bands; band++) {
      const base = r * bins + band * rows;
      let h = 0x811c9dc5 ^ band;
      for (let j = 0; j < rows; j++) h = Math.imul(h ^ sig[base + j]!, 0x01000193);
      keys[r * bands + band] = fmix32(h);
    }
  }
  const bkey = new Uint32Array(m);
  const tkey = new Uint32Array(m);
  const brow = new Int32Array(m);
  const trow = new Int32Array(m);
  const big = new Uint8Array(m * bands);
  // The most bins two texts may disagree on and still reach the exact check.
  const slack = Math.max(SIG_SLACK, 2.25 / Math.sqrt(bins));
  const maxMiss = Math.floor(bins * (1 - Math.max(0, threshold - slack)));
  let candidates = 0;
  const check = (ra: number, rb: number, band: number) => {
    // Seen in an earlier band already?
    const ka = ra * bands;
    const kb = rb * bands;
    // (A big bucket compared neighbours only, so a collision there does not count as checked.)
    for (let t = 0; t < band; t++) if (keys[ka + t] === keys[kb + t] && !big[ka + t]) return;
    candidates++;
    const a = reps[ra]!;
    const b = reps[rb]!;
    if (find(root, a) === find(root, b)) return;
    // Cheap estimate first: the fraction of equal signature bins.
    let miss = 0;
    const pa = ra * bins;
    const pb = rb * bins;
    for (let j = 0; j < bins; j++) if (sig[pa + j] !== sig[pb + j] && ++miss > maxMiss) return;
    const sa = setOf(a);
    const sb = setOf(b);
    // |A∩B|/|A∪B| ≤ min/max: a size mismatch alone rules the pair out.
    const la = sa.length;
    const lb = sb.length;
    if ((la < lb ? la : lb) < threshold * (la < lb ? lb : la)) return;
    const sim = jaccard(sa, sb);
    if (sim >= threshold) {
      union(root, a, b);
      pairs.push({ a: a < b ? a : b, b: a < b ? b : a, similarity: sim, exact: false });
    }
  };
  for (let band = 0; band < bands; band++) {
    for (let r = 0; r < m; r++) {
      bkey[r] = keys[r * bands + band]!;
      brow[r] = r;
    }
    radixSortPairs(bkey, brow, tkey, trow);
    let start = 0;
    for (let i = 1; i <= m; i++) {
      if (i < m && bkey[i] === bkey[start]) continue;
      const len = i - start;
      if (len > 1) {
        // A huge bucket means boilerplate: compare neighbours only, so the work stays linear.
        if (len > BIG_BUCKET) for (let x = start; x < i; x++) big[brow[x]! * bands + band] = 1;
        for (let x = start; x < i; x++) {
          const stop = len > BIG_BUCKET ? Math.min(i, x + 4) : i;
          const rx = brow[x]!;
          for (let y = x + 1; y < stop; y++) {
            const ry = brow[y]!;
            if (rx < ry) check(rx, ry, band);
            else check(ry, rx, band);
          }
        }
      }
      start = i;
    }
  }
  for (let i = 0; i < n; i++) root[i] = find(root, i);
  // Cluster members get their shingle set (dedup scores each against its representative); others stay empty.
  const inCluster = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (root[i] !== i) inCluster[i] = inCluster[root[i]!] = 1;
  for (let i = 0; i < n; i++) if (inCluster[i] && isRep[i]) setOf(i);
  return { root, pairs, candidates, bands, rows, shingles };
}
const EMPTY = new Uint32Array(0);

import { createHash } from 'node:crypto';

/**
 * A seeded train/validation split. Each item's place is a hash of (seed, key), so the split depends only on
 * the seed and the set of keys — not on their order — and adding a sample does not reshuffle the others.
 */
export function seededSplit<T>(items: readonly T[], key: (t: T) => string | number, val: number, seed: number): { train: T[]; validation: T[] } {
  if (!(val >= 0 && val < 1)) throw new RangeError(`validation fraction must be in [0, 1), not ${val}`);
  const n = items.length;
  // rounds down (the epsilon absorbs float error: 100 × 0.29 is 28.999…), and at least one sample always trains
  let k = Math.floor(n * val + 1e-9);
  if (k >= n) k = Math.max(0, n - 1);
  const h = (t: T) => createHash('sha256').update(`${seed}\u0000${String(key(t))}`).digest('hex');
  const ranked = items.map((t, i) => ({ t, i, h: h(t) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : a.i - b.i));
  const valIdx = new Set(ranked.slice(0, k).map((r) => r.i));
  const train: T[] = [];
  const validation: T[] = [];
  items.forEach((t, i) => (valIdx.has(i) ? validation : train).push(t));
  return { train, validation };
}

/** One line when a validation fraction gives no validation sample (fraction × samples below 1), else null. */
export function emptyValidationNote(n: number, val: number, validation: number): string | null {
  if (val <= 0 || validation > 0 || n === 0) return null;
  return `No validation split: ${val} × ${n} samples is below 1, so all ${n} go to train; raise --val (Validation fraction) or add samples for a validation split.`;
}

import { createHash } from 'node:crypto';

/**
 * A seeded train/validation split. Each item's place is a hash of (seed, key), so the split depends only on
 * the seed and the set of keys — not on their order — and adding a sample does not reshuffle the others.
 */
export function seededSplit<T>(items: readonly T[], key: (t: T) => string | number, val: number, seed: number): { train: T[]; validation: T[] } {
  if (!(val >= 0 && val < 1)) throw new RangeError(`validation fraction must be in [0, 1), not ${val}`);
  const n = items.length;
  let k = Math.round(n * val);
  if (val > 0 && k === 0 && n >= 2) k = 1;
  if (k >= n) k = Math.max(0, n - 1);
  const h = (t: T) => createHash('sha256').update(`${seed}\u0000${String(key(t))}`).digest('hex');
  const ranked = items.map((t, i) => ({ t, i, h: h(t) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : a.i - b.i));
  const valIdx = new Set(ranked.slice(0, k).map((r) => r.i));
  const train: T[] = [];
  const validation: T[] = [];
  items.forEach((t, i) => (valIdx.has(i) ? validation : train).push(t));
  return { train, validation };
}

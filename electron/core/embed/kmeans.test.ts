import { describe, expect, it } from 'vitest';
import { rng } from '../sample/rng';
import { kmeans, kmeansAsync } from './kmeans';

/** n points around each of `centres` random unit directions in `d` dimensions, normalised, shuffled; with their true cluster. */
function blobs(centres: number, perCentre: number, d: number, noise: number, seed: number) {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const means = Array.from({ length: centres }, () => Array.from({ length: d }, gauss));
  const pts: { v: number[]; c: number }[] = [];
  for (let c = 0; c < centres; c++) for (let i = 0; i < perCentre; i++) pts.push({ v: (means[c] as number[]).map((m) => m + noise * gauss()), c });
  for (let i = pts.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [pts[i], pts[j]] = [pts[j]!, pts[i]!];
  }
  const data = new Float32Array(pts.length * d);
  pts.forEach((p, i) => {
    const n = Math.hypot(...p.v);
    p.v.forEach((x, j) => (data[i * d + j] = x / n));
  });
  return { data, truth: pts.map((p) => p.c) };
}

describe('k-means (spherical, k-means++ seeded)', () => {
  it('recovers well separated clusters exactly', () => {
    const { data, truth } = blobs(6, 80, 32, 0.15, 1);
    for (const seed of [0, 1, 2, 3, 4]) expect(new Set(Array.from(kmeans(data, 32, { k: 6, seed }).sizes)).size).toBe(1);
    const r = kmeans(data, 32, { k: 6, seed: 0 });
    // Every true cluster maps to exactly one found cluster and back.
    const pairs = new Map<number, Set<number>>();
    truth.forEach((t, i) => (pairs.get(t) ?? pairs.set(t, new Set()).get(t)!).add(r.labels[i]!));
    expect([...pairs.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set([...pairs.values()].map((s) => [...s][0])).size).toBe(6);
    expect(r.sizes).toEqual([80, 80, 80, 80, 80, 80]);
    expect(r.inertia / truth.length).toBeLessThan(0.05);
    // Centroids are unit vectors.
    for (let c = 0; c < 6; c++) expect(Math.hypot(...r.centroids.subarray(c * 32, c * 32 + 32))).toBeCloseTo(1, 5);
  });

  it('numbers clusters by size, largest first', () => {
    const a = blobs(1, 50, 8, 0.05, 2);
    const b = blobs(1, 20, 8, 0.05, 3);
    const data = new Float32Array([...b.data, ...a.data]);
    const r = kmeans(data, 8, { k: 2, seed: 4 });
    expect(r.sizes).toEqual([50, 20]);
    expect(r.labels[0]).toBe(1);
    expect(r.labels[20]).toBe(0);
  });

  it('is deterministic from the seed, and the seed matters on ambiguous data', async () => {
    const { data } = blobs(1, 400, 16, 1.5, 5); // one diffuse cloud: the split depends on the seeding
    const a = kmeans(data, 16, { k: 5, seed: 11 });
    const b = kmeans(data, 16, { k: 5, seed: 11 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
    const c = await kmeansAsync(data, 16, { k: 5, seed: 11 });
    expect(Array.from(c.labels)).toEqual(Array.from(a.labels));
    const others = [12, 13, 14].map((seed) => Array.from(kmeans(data, 16, { k: 5, seed }).labels).join(','));
    expect(others.some((o) => o !== Array.from(a.labels).join(','))).toBe(true);
  });

  it('handles duplicates and refuses impossible k', () => {
    const d = 4;
    const data = new Float32Array(10 * d);
    for (let i = 0; i < 10; i++) data[i * d + (i < 5 ? 0 : 1)] = 1; // two distinct points, five copies each
    const r = kmeans(data, d, { k: 3, seed: 0 });
    expect(r.sizes.reduce((x, y) => x + y, 0)).toBe(10);
    expect(r.labels.every((l) => l >= 0 && l < 3)).toBe(true);
    expect(() => kmeans(data, d, { k: 11, seed: 0 })).toThrow(/larger than the number of points/);
    expect(() => kmeans(data, d, { k: 0, seed: 0 })).toThrow(/at least 1/);
  });
});

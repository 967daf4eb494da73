import { describe, expect, it } from 'vitest';
import { geometricRank, sampleDiverse, type Candidate } from './sampler';

function pool(domains: Record<string, number>): Candidate[] {
  const out: Candidate[] = [];
  let id = 1;
  for (const [d, n] of Object.entries(domains)) for (let i = 0; i < n; i++) out.push({ id: id++, domain: d, length: 1000 + ((id * 7919) % 5000) });
  return out;
}

/** Pearson's chi-square statistic. */
function chi2(observed: number[], expected: number[]): number {
  return observed.reduce((s, o, i) => s + (o - (expected[i] as number)) ** 2 / (expected[i] as number), 0);
}

describe('s1 diversity sampler', () => {
  it('picks the first domain uniformly at random over many seeds, whatever the domain sizes', () => {
    const cands = pool({ a: 5, b: 50, c: 500, d: 20 });
    const counts: Record<string, number> = { a: 0, b: 0, c: 0, d: 0 };
    const seeds = 8000;
    for (let s = 0; s < seeds; s++) {
      const [p] = sampleDiverse(cands, { seed: s, target: 1, weighting: 'uniform', rankBy: 'thinking_length' });
      counts[(p as { domain: string }).domain]! += 1;
    }
    // 3 degrees of freedom: chi-square 99.9th percentile is 16.27.
    expect(chi2(Object.values(counts), [2000, 2000, 2000, 2000])).toBeLessThan(16.27);
  });

  it('weights domains by size when asked', () => {
    const cands = pool({ a: 100, b: 300 });
    let b = 0;
    for (let s = 0; s < 4000; s++) if (sampleDiverse(cands, { seed: s, target: 1, weighting: 'size', rankBy: 'thinking_length' })[0]?.domain === 'b') b++;
    expect(b / 4000).toBeGreaterThan(0.72);
    expect(b / 4000).toBeLessThan(0.78);
  });

  it('within a domain, the first pick has probability ∝ 2^(−rank), longest thinking first', () => {
    const cands: Candidate[] = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, domain: 'x', length: 100 * (i + 1) }));
    // rank 0 is the longest: id 12.
    const byRank = new Array<number>(12).fill(0);
    const seeds = 20000;
    for (let s = 0; s < seeds; s++) {
      const [p] = sampleDiverse(cands, { seed: s, target: 1, weighting: 'uniform', rankBy: 'thinking_length' });
      byRank[12 - (p as { id: number }).id]! += 1;
    }
    const total = 2 - 2 ** -11;
    // Ranks 0..4 on their own, 5+ pooled so every expected count is ≥ 5.
    const obs = [...byRank.slice(0, 5), byRank.slice(5).reduce((a, b) => a + b, 0)];
    const exp = [0, 1, 2, 3, 4].map((r) => (seeds * 2 ** -r) / total);
    exp.push(seeds - exp.reduce((a, b) => a + b, 0));
    // 5 degrees of freedom: 99.9th percentile is 20.52.
    expect(chi2(obs, exp)).toBeLessThan(20.52);
    expect(byRank[0]! / seeds).toBeGreaterThan(0.48);
    expect(byRank[0]! / seeds).toBeLessThan(0.52);
  });

  it('geometricRank covers [0, n) and never leaves it', () => {
    for (const n of [1, 2, 3, 10, 2000]) for (const u of [0, 0.25, 0.5, 0.999999, 0.9999999999]) {
      const r = geometricRank(u, n);
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThan(n);
    }
  });

  it('balances domains over a whole run: every domain gets about target / domains until it runs dry', () => {
    const cands = pool({ a: 2000, b: 2000, c: 2000, d: 30 });
    const picks = sampleDiverse(cands, { seed: 7, target: 1000, weighting: 'uniform', rankBy: 'thinking_length' });
    const c: Record<string, number> = {};
    for (const p of picks) c[p.domain] = (c[p.domain] ?? 0) + 1;
    expect(picks).toHaveLength(1000);
    expect(c.d).toBe(30); // the small domain empties and drops out
    for (const d of ['a', 'b', 'c']) expect(Math.abs((c[d] as number) - 970 / 3)).toBeLessThan(60);
    expect(new Set(picks.map((p) => p.id)).size).toBe(1000);
  });

  it('is reproducible from the seed and differs between seeds', () => {
    const cands = pool({ a: 300, b: 200, c: 100 });
    const o = { target: 200, weighting: 'uniform' as const, rankBy: 'thinking_length' as const };
    const a = sampleDiverse(cands, { ...o, seed: 42 }).map((p) => p.id);
    const b = sampleDiverse([...cands].reverse(), { ...o, seed: 42 }).map((p) => p.id);
    const c = sampleDiverse(cands, { ...o, seed: 43 }).map((p) => p.id);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('stops when every domain is empty', () => {
    expect(sampleDiverse(pool({ a: 3, b: 2 }), { seed: 1, target: 100, weighting: 'uniform', rankBy: 'random' })).toHaveLength(5);
  });
});

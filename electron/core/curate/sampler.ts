import { rng } from '../util/rng';

export interface Candidate {
  id: number;
  domain: string;
  /** Larger is harder: the sampler ranks by it, longest first (rank 0). */
  length: number;
}

export interface Pick {
  id: number;
  domain: string;
  /** Rank among the domain's remaining candidates when it was picked (0 = longest). */
  rank: number;
  /** 1-based order in which the sampler picked it. */
  order: number;
}

export interface SamplerOptions {
  seed: number;
  target: number;
  weighting: 'uniform' | 'size';
  rankBy: 'thinking_length' | 'random';
}

/**
 * s1's diversity sampler. Until `target` picks: choose a domain uniformly at random (or weighted by how
 * many candidates it still holds), then a question inside it with probability ∝ 2^(−rank), rank 0 being
 * the longest thinking among the domain's remaining questions; remove it. Empty domains drop out.
 * Deterministic for a seed: domains are visited in sorted order and ties broken by id.
 */
export function sampleDiverse(candidates: readonly Candidate[], o: SamplerOptions): Pick[] {
  const rand = rng(o.seed);
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const g = groups.get(c.domain);
    if (g) g.push(c);
    else groups.set(c.domain, [c]);
  }
  const domains = [...groups.keys()].sort();
  const pools: Candidate[][] = domains.map((d) => {
    const g = groups.get(d) as Candidate[];
    if (o.rankBy === 'random') {
      g.sort((a, b) => a.id - b.id);
      // A seeded shuffle: "random" rank, still reproducible.
      for (let i = g.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [g[i], g[j]] = [g[j] as Candidate, g[i] as Candidate];
      }
    } else g.sort((a, b) => b.length - a.length || a.id - b.id);
    return g;
  });
  const picks: Pick[] = [];
  let alive = pools.map((_, i) => i).filter((i) => (pools[i] as Candidate[]).length > 0);
  let remaining = alive.reduce((s, i) => s + (pools[i] as Candidate[]).length, 0);
  while (picks.length < o.target && alive.length > 0) {
    let slot: number;
    if (o.weighting === 'size') {
      let u = rand() * remaining;
      slot = alive.length - 1;
      for (let k = 0; k < alive.length; k++) {
        u -= (pools[alive[k] as number] as Candidate[]).length;
        if (u < 0) {
          slot = k;
          break;
        }
      }
    } else slot = Math.floor(rand() * alive.length);
    const di = alive[slot] as number;
    const pool = pools[di] as Candidate[];
    const rank = geometricRank(rand(), pool.length);
    const [c] = pool.splice(rank, 1) as [Candidate];
    remaining--;
    picks.push({ id: c.id, domain: c.domain, rank, order: picks.length + 1 });
    if (pool.length === 0) alive = alive.filter((x) => x !== di);
  }
  return picks;
}

/** Index i in [0, n) with probability 2^(−i) / Σ_{j<n} 2^(−j). */
export function geometricRank(u: number, n: number): number {
  if (n <= 1) return 0;
  // Σ_{j<n} 2^(−j) = 2 − 2^(1−n)
  const total = 2 - Math.pow(2, 1 - n);
  let x = u * total;
  let w = 1;
  for (let i = 0; i < n; i++) {
    x -= w;
    if (x < 0) return i;
    w /= 2;
    if (w === 0) return i;
  }
  return n - 1;
}

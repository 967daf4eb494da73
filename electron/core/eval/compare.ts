/**
 * Two models of a run on the same questions: per benchmark and budget, the mean of the per-question
 * differences in pass@1 (A − B) with its paired bootstrap interval, and a sentence that says plainly
 * whether the questions tell the two apart.
 */
import type { LightResult } from './score';
import { pairedBootstrap, seedFrom } from './stats';
import type { Comparison, RunConfig } from './types';

/** pass@1 of each question that has scored samples: qidx → mean correctness. */
function perQuestion(rows: readonly LightResult[]): Map<number, number> {
  const tally = new Map<number, { c: number; n: number }>();
  for (const r of rows) {
    if (r.error !== null) continue;
    const t = tally.get(r.qidx) ?? { c: 0, n: 0 };
    t.n++;
    if (r.correct === 1) t.c++;
    tally.set(r.qidx, t);
  }
  return new Map([...tally].map(([q, t]) => [q, t.c / t.n]));
}

/** A against B for every benchmark and budget where both have scored questions in common. */
export function compareModels(config: RunConfig, rows: readonly LightResult[], a: string, b: string): Comparison[] {
  const ia = config.models.findIndex((m) => m.label === a);
  const ib = config.models.findIndex((m) => m.label === b);
  if (ia < 0 || ib < 0) return [];
  const out: Comparison[] = [];
  for (const bench of config.benchmarks) {
    config.budgets.forEach((bud, bi) => {
      const of = (mi: number) => perQuestion(rows.filter((r) => r.model === mi && r.benchmark === bench && r.budget === bi));
      const pa = of(ia);
      const pb = of(ib);
      const qs = [...pa.keys()].filter((q) => pb.has(q)).sort((x, y) => x - y);
      const va = qs.map((q) => pa.get(q) as number);
      const vb = qs.map((q) => pb.get(q) as number);
      const e = pairedBootstrap(va, vb, seedFrom(config.seed, 'compare', a, b, bench, bi));
      if (!e) return;
      out.push({
        a,
        b,
        benchmark: bench,
        budget: bi,
        maxThinking: bud.maxThinking,
        minThinking: bud.minThinking,
        waits: bud.waits,
        n: e.n,
        accuracyA: va.reduce((s, x) => s + x, 0) / e.n,
        accuracyB: vb.reduce((s, x) => s + x, 0) / e.n,
        diff: e.mean,
        ci: [e.lo, e.hi],
        significant: e.significant,
        aBetter: va.filter((x, i) => x > (vb[i] as number)).length,
        bBetter: va.filter((x, i) => x < (vb[i] as number)).length,
      });
    });
  }
  return out;
}

/** Every pair of the run's models, in the run's order (the first named is A). */
export function allComparisons(config: RunConfig, rows: readonly LightResult[]): Comparison[] {
  const out: Comparison[] = [];
  config.models.forEach((m, i) => config.models.slice(i + 1).forEach((n) => out.push(...compareModels(config, rows, m.label, n.label))));
  return out;
}

const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`;

/** "A − B on math500 at max 64: +12.5 points (95% interval +3.1 to +21.9, 40 questions); significant: …". */
export function comparisonSentence(c: Comparison): string {
  const budget = `max ${c.maxThinking}${c.waits ? `, ${c.waits} Wait` : ''}${c.minThinking ? `, min ${c.minThinking}` : ''}`;
  const head = `${c.a} − ${c.b} on ${c.benchmark} [${budget}]: ${points(c.diff)} points (${(c.accuracyA * 100).toFixed(1)}% against ${(c.accuracyB * 100).toFixed(1)}%; 95% interval ${points(c.ci[0])} to ${points(c.ci[1])}, ${c.n} questions, ${c.aBetter} better for ${c.a}, ${c.bBetter} for ${c.b})`;
  if (c.significant) return `${head}: significant, ${c.diff > 0 ? c.a : c.b} is ahead and the interval leaves out 0.`;
  return `${head}: not significant, the interval contains 0, so these questions do not tell the two models apart.`;
}

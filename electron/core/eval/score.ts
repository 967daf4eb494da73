/**
 * Aggregates a run's generations: per cell (model, benchmark, budget) pass@1 estimated from k samples × R
 * repeats, majority-vote accuracy (per repeat, averaged), unbiased pass@k, their 95 % bootstrap intervals
 * (stats.ts) and average thinking tokens; per model the latency figures; the test-time scaling
 * series; and the per-question drill-down.
 */
import type { DB } from '../store/project';
import { checkEquivalence } from '../verify';
import { bootstrapMean, passAtK, seedFrom, type Estimate } from './stats';
import type { Cell, Interval, ItemsInput, LatencyRow, QuestionRow, RunConfig, Sample, ScalingSeries } from './types';
import type { ResultRow } from './store';

/** The light columns of a result (no trace text). */
export type LightResult = Pick<
  ResultRow,
  'model' | 'benchmark' | 'qidx' | 'budget' | 'sample' | 'extracted' | 'correct' | 'thinking_tokens' | 'answer_tokens' | 'waits' | 'hit_budget' | 'ttft_ms' | 'total_ms' | 'tokens_per_s' | 'error'
>;

export function lightResults(db: DB, runId: string): LightResult[] {
  return db
    .prepare(
      `SELECT model, benchmark, qidx, budget, sample, extracted, correct, thinking_tokens, answer_tokens, waits, hit_budget, ttft_ms, total_ms, tokens_per_s, error
       FROM eval_results WHERE run_id = ? ORDER BY model, benchmark, budget, qidx, sample`,
    )
    .all(runId) as LightResult[];
}

/**
 * Majority vote over extracted answers: answers that the checker finds equivalent vote together; the
 * largest group wins, ties go to the group seen first. Returns the winning group's first member.
 */
export function majorityVote<T extends { extracted: string | null }>(samples: readonly T[]): T | null {
  const groups: { rep: T; n: number }[] = [];
  for (const s of samples) {
    if (s.extracted === null || s.extracted.trim() === '') continue;
    const g = groups.find((x) => x.rep.extracted === s.extracted || checkEquivalence(s.extracted as string, x.rep.extracted as string, { bare: true }).equivalent === true);
    if (g) g.n++;
    else groups.push({ rep: s, n: 1 });
  }
  let best: { rep: T; n: number } | null = null;
  for (const g of groups) if (!best || g.n > best.n) best = g;
  return best?.rep ?? null;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function percentile(xs: readonly number[], p: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (rank - lo);
}

/** k = 2, 4, 8 … up to n, and the run's own k (its samples per question) when it is not a power of two. */
export function passKs(n: number, samples: number): number[] {
  const ks = new Set<number>();
  for (let k = 2; k <= n; k *= 2) ks.add(k);
  if (samples > 1 && samples <= n) ks.add(samples);
  return [...ks].sort((a, b) => a - b);
}

const interval = (e: Estimate | null): Interval | null => (e ? [e.lo, e.hi] : null);

/** One cell's figures from its scored rows (see Cell); every interval is seeded from the run seed and the cell. */
function cellStats(config: RunConfig, label: string, bench: string, bi: number, ok: readonly LightResult[]) {
  const perQ = new Map<number, LightResult[]>();
  for (const r of ok) {
    let a = perQ.get(r.qidx);
    if (!a) perQ.set(r.qidx, (a = []));
    a.push(r);
  }
  const R = config.repeats;
  const repeatOf = (r: LightResult) => Math.floor(r.sample / config.samples);
  const hits: number[][] = [];
  const maj: number[][] = [];
  const byRepeat: number[][] = Array.from({ length: R }, () => []);
  for (const qs of perQ.values()) {
    hits.push(qs.map((r) => (r.correct === 1 ? 1 : 0)));
    const votes: number[] = [];
    for (let rep = 0; rep < R; rep++) {
      const inRep = qs.filter((r) => repeatOf(r) === rep);
      if (!inRep.length) continue;
      byRepeat[rep]?.push(inRep.filter((r) => r.correct === 1).length / inRep.length);
      votes.push(majorityVote(inRep)?.correct === 1 ? 1 : 0);
    }
    maj.push(votes);
  }
  const seed = (what: string) => seedFrom(config.seed, what, label, bench, bi);
  const acc = bootstrapMean(hits, seed('accuracy'));
  const mv = bootstrapMean(maj, seed('majority'));
  const nMin = hits.length ? Math.min(...hits.map((h) => h.length)) : 0;
  const passAt: Cell['passAtK'] = [];
  for (const k of passKs(nMin, config.samples)) {
    // pass@k is already an unbiased estimate per question: the interval resamples questions only.
    const e = bootstrapMean(
      hits.map((h) => [passAtK(h.length, h.reduce((a, b) => a + b, 0), k)]),
      seed(`pass@${k}`),
      { inner: false },
    );
    if (e) passAt.push({ k, value: e.mean, ci: [e.lo, e.hi] });
  }
  return {
    n: perQ.size,
    accuracy: acc?.mean ?? null,
    accuracyCi: interval(acc),
    majority: mv?.mean ?? null,
    majorityCi: interval(mv),
    accuracyByRepeat: byRepeat.map((xs) => mean(xs)),
    passAtK: passAt,
  };
}

export function computeCells(config: RunConfig, rows: readonly LightResult[]): Cell[] {
  const byCell = new Map<string, LightResult[]>();
  for (const r of rows) {
    const k = `${r.model}\u0000${r.benchmark}\u0000${r.budget}`;
    let a = byCell.get(k);
    if (!a) byCell.set(k, (a = []));
    a.push(r);
  }
  const cells: Cell[] = [];
  config.models.forEach((m, mi) => {
    for (const bench of config.benchmarks) {
      config.budgets.forEach((b, bi) => {
        const rs = byCell.get(`${mi}\u0000${bench}\u0000${bi}`) ?? [];
        const ok = rs.filter((r) => r.error === null);
        const st = cellStats(config, m.label, bench, bi, ok);
        cells.push({
          model: m.label,
          benchmark: bench,
          budget: bi,
          maxThinking: b.maxThinking,
          minThinking: b.minThinking,
          waits: b.waits,
          n: st.n,
          samples: ok.length,
          failed: rs.length - ok.length,
          accuracy: st.accuracy,
          majority: st.majority,
          avgThinkingTokens: mean(ok.map((r) => r.thinking_tokens)),
          avgAnswerTokens: mean(ok.map((r) => r.answer_tokens)),
          avgWaits: mean(ok.map((r) => r.waits)),
          hitBudget: mean(ok.map((r) => r.hit_budget)),
          repeats: config.repeats,
          accuracyByRepeat: st.accuracyByRepeat,
          accuracyCi: st.accuracyCi,
          majorityCi: st.majorityCi,
          passAtK: st.passAtK,
        });
      });
    }
  });
  return cells;
}

/** The seed's target use of a distilled student: answers that start within 200 ms. */
export const TTFT_TARGET_MS = 200;

export function computeLatency(config: RunConfig, rows: readonly LightResult[]): LatencyRow[] {
  return config.models.map((m, mi) => {
    const ok = rows.filter((r) => r.model === mi && r.error === null);
    const ttft = ok.map((r) => r.ttft_ms).filter((x): x is number => x !== null);
    const tps = ok.map((r) => r.tokens_per_s).filter((x): x is number => x !== null);
    const p95 = percentile(ttft, 95);
    return {
      model: m.label,
      generations: ok.length,
      ttftP50Ms: percentile(ttft, 50),
      ttftP95Ms: p95,
      tokensPerSecond: mean(tps),
      tokensPerSecondP50: percentile(tps, 50),
      ttftTargetMs: TTFT_TARGET_MS,
      ttftTargetMet: p95 === null ? null : p95 < TTFT_TARGET_MS,
    };
  });
}

export function scalingSeries(cells: readonly Cell[]): ScalingSeries[] {
  const out = new Map<string, ScalingSeries>();
  for (const c of cells) {
    if (c.accuracy === null || c.avgThinkingTokens === null) continue;
    const k = `${c.model}\u0000${c.benchmark}`;
    let s = out.get(k);
    if (!s) out.set(k, (s = { model: c.model, benchmark: c.benchmark, points: [] }));
    s.points.push({ budget: c.budget, maxThinking: c.maxThinking, waits: c.waits, avgThinkingTokens: c.avgThinkingTokens, accuracy: c.accuracy, ci: c.accuracyCi });
  }
  for (const s of out.values()) s.points.sort((a, b) => a.avgThinkingTokens - b.avgThinkingTokens || a.budget - b.budget);
  return [...out.values()];
}

function toSample(r: ResultRow): Sample {
  return {
    sample: r.sample,
    thinking: r.thinking,
    answer: r.answer,
    extracted: r.extracted,
    correct: r.correct === null ? null : r.correct === 1,
    method: r.method,
    reason: r.reason,
    thinkingTokens: r.thinking_tokens,
    answerTokens: r.answer_tokens,
    waits: r.waits,
    hitBudget: r.hit_budget === 1,
    ttftMs: r.ttft_ms,
    totalMs: r.total_ms,
    tokensPerSecond: r.tokens_per_s,
    error: r.error,
  };
}

/** The drill-down: one row per (model, benchmark, budget, question) with its samples' full traces. */
export function questionRows(db: DB, config: RunConfig, q: ItemsInput): { total: number; rows: QuestionRow[] } {
  const where = ['r.run_id = @run'];
  const args: Record<string, unknown> = { run: q.runId };
  if (q.model !== undefined) {
    const mi = config.models.findIndex((m) => m.label === q.model);
    where.push('r.model = @model');
    args.model = mi;
  }
  if (q.benchmark !== undefined) {
    where.push('r.benchmark = @bench');
    args.bench = q.benchmark;
  }
  if (q.budget !== undefined) {
    where.push('r.budget = @budget');
    args.budget = q.budget;
  }
  if (q.search?.trim()) {
    where.push("instr(lower(qq.question), lower(@search)) > 0");
    args.search = q.search.trim();
  }
  const having: Record<string, string> = {
    all: '1',
    correct: 'ok > 0 AND good = ok',
    wrong: 'ok > 0 AND good = 0',
    mixed: 'good > 0 AND good < ok',
    undecided: 'undecided > 0',
    failed: 'bad > 0',
  };
  const base = `SELECT r.model, r.benchmark, r.budget, r.qidx,
      SUM(CASE WHEN r.error IS NULL THEN 1 ELSE 0 END) AS ok,
      SUM(CASE WHEN r.error IS NULL AND r.correct = 1 THEN 1 ELSE 0 END) AS good,
      SUM(CASE WHEN r.error IS NULL AND r.correct IS NULL THEN 1 ELSE 0 END) AS undecided,
      SUM(CASE WHEN r.error IS NOT NULL THEN 1 ELSE 0 END) AS bad
    FROM eval_results r JOIN eval_run_questions qq ON qq.run_id = r.run_id AND qq.benchmark = r.benchmark AND qq.qidx = r.qidx
    WHERE ${where.join(' AND ')}
    GROUP BY r.model, r.benchmark, r.budget, r.qidx
    HAVING ${having[q.outcome ?? 'all']}`;
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM (${base})`).get(args) as { n: number }).n;
  const page = db
    .prepare(`${base} ORDER BY r.model, r.benchmark, r.budget, r.qidx LIMIT @limit OFFSET @offset`)
    .all({ ...args, limit: q.limit ?? 20, offset: q.offset ?? 0 }) as { model: number; benchmark: string; budget: number; qidx: number; ok: number; good: number }[];
  const samplesOf = db.prepare('SELECT * FROM eval_results WHERE run_id = ? AND model = ? AND benchmark = ? AND budget = ? AND qidx = ? ORDER BY sample');
  const questionOf = db.prepare('SELECT qid, question, reference FROM eval_run_questions WHERE run_id = ? AND benchmark = ? AND qidx = ?');
  const rows = page.map((p): QuestionRow => {
    const rs = samplesOf.all(q.runId, p.model, p.benchmark, p.budget, p.qidx) as ResultRow[];
    const qq = questionOf.get(q.runId, p.benchmark, p.qidx) as { qid: string; question: string; reference: string };
    const win = majorityVote(rs.filter((r) => r.error === null));
    return {
      model: config.models[p.model]?.label ?? String(p.model),
      benchmark: p.benchmark,
      budget: p.budget,
      qidx: p.qidx,
      qid: qq.qid,
      question: qq.question,
      reference: qq.reference,
      correct: p.good,
      scored: p.ok,
      majorityAnswer: win?.extracted ?? null,
      majorityCorrect: p.ok === 0 ? null : win?.correct === 1,
      samples: rs.map(toSample),
    };
  });
  return { total, rows };
}

/**
 * The durable `eval` job: one item per (model, benchmark question, budget, sample). Each item runs one
 * budget-forced generation, scores it with the answer checker, and commits its result row together with
 * its done mark, so a killed run resumes where it stopped with no generation lost or stored twice.
 */
import { z } from 'zod';
import type { TextGenerator } from '../chat/generator';
import type { ItemContext, JobItem, JobKind } from '../jobs';
import type { LocalServers } from '../localserve/manager';
import type { Project } from '../store/project';
import { teacherConnection } from '../teacher/credentials';
import { findTeacher } from '../teacher/store';
import { isUserError } from '../util/errors';
import { checkEquivalence, MemoryJudgeCache, verify, type Verdict, type VerifyOptions } from '../verify';
import { budgetForce } from './forcing';
import { openGenerator } from './models';
import { seedFrom } from './stats';
import { getEvalRun, hasResult, insertResult, parseConfig, runQuestion, runQuestions } from './store';
import type { RunConfig } from './types';
import { message } from '../util/messages';

export const EVAL_KIND = 'eval';

export const evalParams = z.object({ runId: z.string().min(1) });
export type EvalParams = z.infer<typeof evalParams>;

interface Payload {
  m: number;
  b: string;
  q: number;
  u: number;
  s: number;
}

type JudgeSettings = Omit<NonNullable<VerifyOptions['judgeConfig']>, 'question'>;

interface JobState {
  config: RunConfig;
  gens: Map<number, Promise<TextGenerator>>;
  /** Closes an in-app generator after a while unused (a job has no end hook; onnx sessions hold memory). */
  idle: Map<number, NodeJS.Timeout>;
  busy: Map<number, number>;
  judge: JudgeSettings | null;
  tokens: number;
  since: number;
  rate: number;
}

const states = new WeakMap<EvalParams, JobState>();

function stateOf(project: Project, params: EvalParams): JobState {
  let s = states.get(params);
  if (!s) {
    const run = getEvalRun(project.db, params.runId);
    if (!run) throw new Error(`The evaluation run ${params.runId} no longer exists.`);
    const config = parseConfig(run);
    let judge: JudgeSettings | null = null;
    if (config.judge) {
      const t = findTeacher(project.db, config.judge);
      if (t) {
        const conn = teacherConnection(t);
        judge = { baseUrl: conn.baseUrls[0] ?? '', model: t.model, apiKey: conn.apiKey, headers: conn.headers, cache: new MemoryJudgeCache() };
      }
    }
    s = { config, gens: new Map(), idle: new Map(), busy: new Map(), judge, tokens: 0, since: Date.now(), rate: 0 };
    states.set(params, s);
  }
  return s;
}

/**
 * The base seed of repeat r: the run seed for the first (so a run with one repeat keeps the seeds it always
 * had), then a hash of (run seed, r) — deterministic, and far from the first repeat's seed + sample range.
 */
export function repeatSeed(runSeed: number, r: number): number {
  return r === 0 ? runSeed : seedFrom('repeat', runSeed, r);
}

/**
 * A stored sample index s covers every repeat: repeat ⌊s / k⌋, sample s mod k within it (k samples per
 * question). Its generation seed is the repeat's base seed + the sample, kept below 2^31.
 */
export function generationSeed(config: Pick<RunConfig, 'seed' | 'samples'>, s: number): number {
  const r = Math.floor(s / config.samples);
  return (repeatSeed(config.seed, r) + (s % config.samples)) % 2 ** 31;
}

export const itemKey = (p: Payload) => `${p.m}:${p.b}:${p.q}:${p.u}:${p.s}`;

/** Every generation of the run that has no successful result yet, model by model (one server at a time). */
export function planEval(project: Project, params: EvalParams): { key: string; payload: Payload }[] {
  const run = getEvalRun(project.db, params.runId);
  if (!run) return [];
  const config = parseConfig(run);
  const done = new Set(
    (project.db.prepare("SELECT model || ':' || benchmark || ':' || qidx || ':' || budget || ':' || sample FROM eval_results WHERE run_id = ? AND error IS NULL").pluck().all(run.id) as string[]),
  );
  const qs = runQuestions(project.db, run.id);
  const items: { key: string; payload: Payload }[] = [];
  config.models.forEach((_m, m) => {
    config.budgets.forEach((_b, u) => {
      for (const q of qs) {
        for (let s = 0; s < config.samples * config.repeats; s++) {
          const p = { m, b: q.benchmark, q: q.qidx, u, s };
          const key = itemKey(p);
          if (!done.has(key)) items.push({ key, payload: p });
        }
      }
    });
  });
  return items;
}

/** Rules first; the judge (when the run names one) only where the rules cannot decide. */
async function score(answer: string, reference: string, question: string, judge: JudgeSettings | null): Promise<Verdict> {
  if (!judge) return checkEquivalence(answer, reference);
  return verify(answer, reference, { judge: 'fallback', judgeConfig: { ...judge, question } });
}

async function runItem(servers: LocalServers, item: JobItem, ctx: ItemContext<EvalParams>): Promise<void> {
  const db = ctx.project.db;
  const st = stateOf(ctx.project, ctx.params);
  const p = item.payload as Payload;
  const runId = ctx.params.runId;
  // Another job of the same run (or an earlier attempt) may have stored it since the plan was made.
  if (hasResult(db, runId, p.m, p.b, p.q, p.u, p.s, true)) {
    ctx.complete();
    return;
  }
  const cfg = st.config;
  const spec = cfg.models[p.m];
  const budget = cfg.budgets[p.u];
  const q = runQuestion(db, runId, p.b, p.q);
  if (!spec || !budget || !q) {
    ctx.fail(`The run's settings no longer name model ${p.m}, budget ${p.u} or question ${p.b}#${p.q}.`);
    return;
  }
  const where = [runId, p.m, p.b, p.q, p.u, p.s] as const;
  const key = 'run_id = ? AND model = ? AND benchmark = ? AND qidx = ? AND budget = ? AND sample = ?';
  const base = { run_id: runId, model: p.m, benchmark: p.b, qidx: p.q, budget: p.u, sample: p.s };
  const failRow = (msg: string) => () => {
    db.prepare(`DELETE FROM eval_results WHERE ${key}`).run(...where);
    insertResult(db, {
      ...base, thinking: '', answer: '', extracted: null, correct: null, method: 'none', reason: '', thinking_tokens: 0, answer_tokens: 0, waits: 0,
      hit_budget: 0, ttft_ms: null, total_ms: 0, tokens_per_s: null, error: msg,
    });
  };
  let gen: TextGenerator;
  try {
    let g = st.gens.get(p.m);
    if (!g) {
      g = openGenerator(ctx.project, servers, spec, (m) => ctx.report({ status: m.text }));
      st.gens.set(p.m, g);
      g.catch(() => st.gens.delete(p.m));
    }
    gen = await g;
    clearTimeout(st.idle.get(p.m));
    st.busy.set(p.m, (st.busy.get(p.m) ?? 0) + 1);
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    const msg = `Could not open the model "${spec.label}": ${(e as Error).message}`;
    ctx.fail(msg, failRow(msg));
    return;
  }
  ctx.report({ current_model: spec.label, status: null });
  const messages = [...(cfg.systemPrompt ? [{ role: 'system' as const, content: cfg.systemPrompt }] : []), { role: 'user' as const, content: q.question }];
  let lastError: unknown = null;
  try {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const r = await budgetForce(gen, {
          messages,
          maxThinking: budget.maxThinking,
          minThinking: budget.minThinking,
          waits: budget.waits,
          waitWord: cfg.waitWord,
          maxAnswerTokens: cfg.maxAnswerTokens,
          temperature: cfg.temperature,
          seed: generationSeed(cfg, p.s),
          signal: ctx.signal,
        });
        const v = await score(r.answer, q.reference, q.question, st.judge);
        st.tokens += r.thinkingTokens + r.answerTokens;
        const secs = (Date.now() - st.since) / 1000;
        if (secs >= 2) {
          st.rate = Math.round(st.tokens / secs);
          st.tokens = 0;
          st.since = Date.now();
        }
        ctx.report({ tokens_per_s: st.rate });
        ctx.complete(() => {
          db.prepare(`DELETE FROM eval_results WHERE ${key} AND error IS NOT NULL`).run(...where);
          insertResult(db, {
            ...base,
            thinking: r.thinking,
            answer: r.answer,
            extracted: v.extracted,
            correct: v.equivalent === null ? null : v.equivalent ? 1 : 0,
            method: v.method,
            reason: v.reason,
            thinking_tokens: r.thinkingTokens,
            answer_tokens: r.answerTokens,
            waits: r.waitsInserted,
            hit_budget: r.hitBudget ? 1 : 0,
            ttft_ms: r.ttftMs,
            total_ms: r.totalMs,
            tokens_per_s: r.tokensPerSecond,
            error: null,
          });
        });
        return;
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        lastError = e;
        if (isUserError(e)) break;
        // A local server that died is started again for the next attempt or item.
        if (spec.kind === 'local' && st.gens.get(p.m)) {
          st.gens.delete(p.m);
          gen = await openGenerator(ctx.project, servers, spec, (m) => ctx.report({ status: m.text })).catch(() => gen);
        }
        await new Promise((res) => setTimeout(res, 500 * attempt));
      }
    }
    const msg = lastError instanceof Error ? lastError.message : String(lastError);
    ctx.fail(msg, failRow(msg));
  } finally {
    const left = (st.busy.get(p.m) ?? 1) - 1;
    st.busy.set(p.m, left);
    const close = gen.close?.bind(gen);
    if (close && left === 0) {
      clearTimeout(st.idle.get(p.m));
      const t = setTimeout(() => {
        st.gens.delete(p.m);
        st.idle.delete(p.m);
        void close().catch(() => undefined);
      }, 30_000);
      t.unref();
      st.idle.set(p.m, t);
    }
  }
}

/** The `eval` job kind; local model servers come from `servers` (the engine's, or the CLI's own). */
export function evalKind(servers: LocalServers): JobKind<EvalParams> {
  return {
    kind: EVAL_KIND,
    params: evalParams,
    concurrency: (params) => states.get(params)?.config.concurrency ?? 1,
    labelMessage: (p) => message('job_label_evaluation', { run: p.runId }, `Evaluation ${p.runId}`),
    plan: planEval,
    run: (item, ctx) => runItem(servers, item, ctx),
  };
}

import type { Project } from '../store/project';
import { extractAnswer } from '../verify';
import { cjkRatio, repetitionRatio } from './text';
import { chainCues, type ChainCues } from './chain';

/** What curation needs to know about one question, computed once and kept in memory. */
export interface QuestionFeatures {
  id: number;
  question: string;
  excluded: boolean;
  excludeReason: string | null;
  domainColumn: string | null;
  /** The reasoning trace curation judges: the best done trace of the chosen teacher (done first, lowest sample). */
  traceId: number | null;
  traceStatus: 'done' | 'failed' | null;
  traceError: string | null;
  thinkingChars: number;
  hasThinking: boolean;
  unterminated: boolean;
  answer: string | null;
  extractable: boolean;
  repetition: number;
  cjk: number;
  /** Verdict of the trace's answer against the reference: 1, 0, or null (unchecked or undecidable). */
  verdict: number | null;
  /** Filter-model samples with a verdict, and how many of them were right. */
  filterAttempts: number;
  filterSolved: number;
  /**
   * Per filter model: its checked samples in sample order, 1 right and 0 otherwise (wrong, or no answer the check
   * could decide, as the filter-model rule counts them), for the pass-rate bands.
   */
  samples: Record<string, number[]>;
  /** LIMO's chain-quality cues of the judged trace's thinking (chain.ts). */
  chain: ChainCues;
}

export interface FeatureSet {
  key: string;
  rows: QuestionFeatures[];
  byId: Map<number, QuestionFeatures>;
  repetitionN: number;
  builtMs: number;
  /** True when this call found the features in memory. */
  cached: boolean;
}

interface Row {
  id: number;
  question: string;
  excluded: number;
  exclude_reason: string | null;
  domain: string | null;
  trace_id: number | null;
  status: 'done' | 'failed' | null;
  error: string | null;
  thinking: string | null;
  answer: string | null;
  finish_reason: string | null;
  flags: string | null;
  equivalent: number | null;
}

const cache = new Map<string, FeatureSet>();

export interface FeatureOptions {
  teacher: string | null;
  filterModels: readonly string[];
  repetitionN: number;
}

/** A signature of the data features depend on: recomputed when traces, verdicts or questions change. */
export function dataSignature(project: Project): string {
  const r = project.db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM traces) AS t, (SELECT IFNULL(MAX(id), 0) FROM traces) AS tm,
              (SELECT COUNT(*) FROM verdicts) AS v, (SELECT IFNULL(MAX(checked_at), '') FROM verdicts) AS vm,
              (SELECT COUNT(*) FROM questions) AS q, (SELECT IFNULL(MAX(id), 0) FROM questions) AS qm,
              (SELECT COUNT(*) FROM questions WHERE excluded = 1) AS x`,
    )
    .get() as Record<string, number | string>;
  return Object.values(r).join('/');
}

/**
 * Per-question features for curation, cached in memory keyed by project, data signature and the options
 * that change which trace is judged. Moving a knob afterwards only re-filters these rows.
 */
export function loadFeatures(project: Project, opts: FeatureOptions): FeatureSet {
  const filters = [...new Set(opts.filterModels)].sort();
  const key = `${project.dbPath}|${dataSignature(project)}|${opts.teacher ?? ''}|${filters.join(',')}|${opts.repetitionN}`;
  const hit = cache.get(key);
  if (hit) return { ...hit, cached: true };
  for (const k of cache.keys()) if (k.startsWith(`${project.dbPath}|`)) cache.delete(k);
  const t0 = performance.now();
  const filterJson = JSON.stringify(filters);
  // The judged trace: of the chosen teacher (or any source that is not a filter model), done before failed.
  const stmt = project.db.prepare(`
    SELECT q.id, q.question, q.excluded, q.exclude_reason, q.domain,
           t.id AS trace_id, t.status, t.error, t.thinking, t.answer, t.finish_reason, t.flags, v.equivalent
    FROM questions q
    LEFT JOIN traces t ON t.id = (
      SELECT x.id FROM traces x WHERE x.question_id = q.id
        AND (@teacher IS NULL OR x.teacher = @teacher)
        AND (x.teacher IS NULL OR x.teacher NOT IN (SELECT value FROM json_each(@filters)))
      ORDER BY (x.status = 'done') DESC, x.sample_index, x.id LIMIT 1)
    LEFT JOIN verdicts v ON v.trace_id = t.id
    ORDER BY q.id`);
  const rows: QuestionFeatures[] = [];
  const byId = new Map<number, QuestionFeatures>();
  for (const r of stmt.iterate({ teacher: opts.teacher, filters: filterJson }) as Iterable<Row>) {
    const thinking = r.thinking ?? '';
    const flags = r.flags ?? '';
    const unterminated =
      r.finish_reason === 'length' ||
      flags.includes('unterminated_thinking') ||
      flags.includes('truncated') ||
      (thinking.includes('<think>') && !thinking.includes('</think>'));
    const f: QuestionFeatures = {
      id: r.id,
      question: r.question,
      excluded: r.excluded === 1,
      excludeReason: r.exclude_reason,
      domainColumn: r.domain?.trim() || null,
      traceId: r.trace_id,
      traceStatus: r.status,
      traceError: r.error,
      thinkingChars: thinking.length,
      hasThinking: thinking.trim().length > 0,
      unterminated,
      answer: r.answer,
      extractable: r.answer ? extractAnswer(r.answer).extracted !== null : false,
      repetition: thinking ? repetitionRatio(thinking, opts.repetitionN) : 0,
      cjk: thinking ? cjkRatio(thinking) : 0,
      verdict: r.equivalent,
      filterAttempts: 0,
      filterSolved: 0,
      samples: {},
      chain: chainCues(thinking),
    };
    rows.push(f);
    byId.set(f.id, f);
  }
  if (filters.length) {
    const agg = project.db.prepare(`
      SELECT t.question_id AS id, COUNT(v.trace_id) AS attempts, SUM(v.equivalent = 1) AS solved
      FROM traces t JOIN verdicts v ON v.trace_id = t.id
      WHERE t.status = 'done' AND t.teacher IN (SELECT value FROM json_each(?))
      GROUP BY t.question_id`);
    for (const a of agg.all(filterJson) as { id: number; attempts: number; solved: number | null }[]) {
      const f = byId.get(a.id);
      if (f) {
        f.filterAttempts = a.attempts;
        f.filterSolved = a.solved ?? 0;
      }
    }
    const each = project.db.prepare(`
      SELECT t.question_id AS id, t.teacher, v.equivalent AS ok
      FROM traces t JOIN verdicts v ON v.trace_id = t.id
      WHERE t.status = 'done' AND t.teacher IN (SELECT value FROM json_each(?))
      ORDER BY t.question_id, t.teacher, t.sample_index, t.id`);
    for (const a of each.iterate(filterJson) as Iterable<{ id: number; teacher: string; ok: number }>) {
      const f = byId.get(a.id);
      if (f) (f.samples[a.teacher] ??= []).push(a.ok === 1 ? 1 : 0);
    }
  }
  const set: FeatureSet = { key, rows, byId, repetitionN: opts.repetitionN, builtMs: performance.now() - t0, cached: false };
  cache.set(key, set);
  return set;
}

/** Drops every cached feature set of a project (after the project is closed or rebuilt). */
export function forgetFeatures(project: Project): void {
  for (const k of cache.keys()) if (k.startsWith(`${project.dbPath}|`)) cache.delete(k);
}

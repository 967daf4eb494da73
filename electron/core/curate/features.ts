import { questionFlags, questionSignature } from '../pool/question-rows';
import type { Project } from '../store/project';
import { doneTracesOfTeachers, eachJudgedTrace, traceSignature, type JudgedTrace } from '../traces/sample-reads';
import { extractAnswer } from '../verify';
import { verdictSignature, verdictValues } from '../verify/verdict-reads';
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

/** The features measured on the judged trace (all empty when the question has none). */
type TraceFeatures = Pick<
  QuestionFeatures,
  'traceId' | 'traceStatus' | 'traceError' | 'thinkingChars' | 'hasThinking' | 'unterminated' | 'answer' | 'extractable' | 'repetition' | 'cjk' | 'chain'
>;

function traceFeatures(t: JudgedTrace | null, repetitionN: number): TraceFeatures {
  const thinking = t?.thinking ?? '';
  const flags = t?.flags ?? '';
  const answer = t?.answer ?? null;
  return {
    traceId: t?.id ?? null,
    traceStatus: t?.status ?? null,
    traceError: t?.error ?? null,
    thinkingChars: thinking.length,
    hasThinking: thinking.trim().length > 0,
    unterminated:
      t?.finish_reason === 'length' ||
      flags.includes('unterminated_thinking') ||
      flags.includes('truncated') ||
      (thinking.includes('<think>') && !thinking.includes('</think>')),
    answer,
    extractable: answer ? extractAnswer(answer).extracted !== null : false,
    repetition: thinking ? repetitionRatio(thinking, repetitionN) : 0,
    cjk: thinking ? cjkRatio(thinking) : 0,
    chain: chainCues(thinking),
  };
}

const cache = new Map<string, FeatureSet>();

export interface FeatureOptions {
  teacher: string | null;
  filterModels: readonly string[];
  repetitionN: number;
}

/** A signature of the data features depend on: recomputed when traces, verdicts or questions change. */
export function dataSignature(project: Project): string {
  return [traceSignature(project.db), verdictSignature(project.db), questionSignature(project.db)].flatMap((r) => Object.values(r)).join('/');
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
  const db = project.db;
  // The judged trace: of the chosen teacher (or any source that is not a filter model), done before failed.
  const judged = new Map<number, TraceFeatures>();
  const judgedIds: number[] = [];
  eachJudgedTrace(db, opts.teacher, filters, (t) => {
    judged.set(t.question_id, traceFeatures(t, opts.repetitionN));
    judgedIds.push(t.id);
  });
  const verdicts = verdictValues(db, judgedIds);
  const rows: QuestionFeatures[] = [];
  const byId = new Map<number, QuestionFeatures>();
  for (const q of questionFlags(db)) {
    const t = judged.get(q.id) ?? traceFeatures(null, opts.repetitionN);
    const f: QuestionFeatures = {
      id: q.id,
      question: q.question,
      excluded: q.excluded === 1,
      excludeReason: q.exclude_reason,
      domainColumn: q.domain?.trim() || null,
      ...t,
      verdict: t.traceId === null ? null : (verdicts.get(t.traceId) ?? null),
      filterAttempts: 0,
      filterSolved: 0,
      samples: {},
    };
    rows.push(f);
    byId.set(f.id, f);
  }
  if (filters.length) {
    // Each filter model's checked samples (traces with a verdict), in sample order.
    const samples = doneTracesOfTeachers(db, filters);
    const checked = verdictValues(db, samples.map((s) => s.id));
    for (const s of samples) {
      const f = byId.get(s.question_id);
      if (!f || !checked.has(s.id)) continue;
      const ok = checked.get(s.id) === 1 ? 1 : 0;
      (f.samples[s.teacher] ??= []).push(ok);
      f.filterAttempts++;
      f.filterSolved += ok;
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

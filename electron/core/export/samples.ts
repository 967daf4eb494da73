import { selectionTraceLists } from '../curate/frozen';
import { exportQuestions } from '../pool/question-rows';
import { representatives, reviewsOf } from '../review/decisions';
import { editedAmong, editorsLookup } from '../review/export-reads';
import { resolveScope, scopeQuestionIds } from '../review/queue';
import type { DB } from '../store/project';
import { listTeachers } from '../teacher/store';
import { exportTraces } from '../traces/sample-reads';
import { verdictValues } from '../verify/verdict-reads';
import { countSampleTokens, type Counted, type ExportTokenizer, type TokenSource } from './tokens';

export type Include = 'accepted' | 'all';
type Texts = { thinking: string; answer: string };

export interface ExportSample {
  questionId: number;
  extId: string | null;
  question: string;
  reference: string | null;
  solution: string | null;
  domain: string | null;
  questionSource: string;
  questionMetadata: Record<string, unknown> | null;
  traceId: number;
  teacher: string | null;
  traceSource: string;
  jobId: number | null;
  thinking: string;
  answer: string;
  /** Tokens of the exported thinking / answer, counted as tokenSource says (null: no count known). */
  thinkingTokens: number | null;
  answerTokens: number | null;
  tokenSource: TokenSource | null;
  /** The text differs from the teacher's original (edited in review: edit, regenerate, bundle import, merge). */
  edited: boolean;
  /** Authors of the revisions after the original, in the order they first wrote one ('(unnamed)' when none given). */
  editors: string[];
  reviewStatus: string;
  reviewer: string | null;
  verdict: boolean | null;
  /** The teacher's finish reason ('length': cut at max tokens); null for imported traces. */
  finishReason: string | null;
}

interface Row {
  question_id: number;
  ext_id: string | null;
  question: string;
  ref: string | null;
  solution: string | null;
  domain: string | null;
  qsource: string;
  qmeta: string | null;
  trace_id: number;
  teacher: string | null;
  tsource: string;
  job_id: number | null;
  thinking: string | null;
  answer: string | null;
  thinking_tokens: number | null;
  answer_tokens: number | null;
  status: string;
  reviewer: string | null;
  equivalent: number | null;
  teacher_model: string | null;
  edited: number;
  finish_reason: string | null;
  sample_index: number;
}

function parseMeta(s: string | null): Record<string, unknown> | null {
  if (!s) return null;
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { raw: s };
  }
}

/**
 * The samples to export, one per question (several where the frozen curation run kept several verified traces),
 * in question order. 'accepted': questions whose trace a reviewer accepted. 'all': every question of the scope (the frozen selection, else the pool) with its accepted trace,
 * else its best finished trace; a question whose traces were all rejected is left out. Excluded questions
 * (duplicates, contaminated) never leave. Token counts are of the exported (current) text: see tokens.ts.
 */
export function selectSamples(
  db: DB,
  include: Include,
  scope?: 'selection' | 'pool',
): { scope: 'selection' | 'pool'; samples: ExportSample[]; tokenizer: ExportTokenizer } {
  const s = resolveScope(db, scope);
  const inScope = scopeQuestionIds(db, s);
  // Each question's representative trace (review/decisions.ts). Rejection sampling (curation's tracesPerQuestion
  // > 1): the frozen run kept several verified traces of a question; the selection exports each of them instead.
  const several = s === 'selection' ? selectionTraceLists(db) : new Map<number, number[]>();
  const pairs: [number, number][] = [
    ...representatives(db, inScope).flatMap((r): [number, number][] => (several.has(r.question_id) ? [] : [[r.question_id, r.id]])),
    ...inScope.flatMap((q) => (several.get(q) ?? []).map((t): [number, number] => [q, t])),
  ];
  const traceIds = pairs.map(([, t]) => t);
  const questions = exportQuestions(db, pairs.map(([q]) => q));
  const traces = exportTraces(db, traceIds);
  const reviews = reviewsOf(db, traceIds);
  const verdicts = verdictValues(db, traceIds);
  const edited = editedAmong(db, traceIds);
  const models = new Map(listTeachers(db).map((t) => [t.name, t.model]));
  const keep = (status: string) => (include === 'accepted' ? status === 'accepted' : status !== 'rejected');
  const rows: Row[] = pairs
    .flatMap(([qid, tid]): Row[] => {
      const q = questions.get(qid);
      const t = traces.get(tid);
      const r = reviews.get(tid);
      const status = r?.status ?? 'todo';
      if (!q || !t || !keep(status) || ((t.thinking ?? '') === '' && (t.answer ?? '') === '')) return [];
      const teacherModel = t.teacher === null ? null : (models.get(t.teacher) ?? null);
      return [
        {
          question_id: q.id, ext_id: q.ext_id, question: q.question, ref: q.answer, solution: q.solution, domain: q.domain, qsource: q.source, qmeta: q.metadata,
          trace_id: t.id, teacher: t.teacher, tsource: t.source, job_id: t.job_id, thinking: t.thinking, answer: t.answer, sample_index: t.sample_index,
          thinking_tokens: t.thinking_tokens, answer_tokens: t.answer_tokens, finish_reason: t.finish_reason,
          status, reviewer: r?.reviewer ?? null, equivalent: verdicts.get(tid) ?? null, teacher_model: teacherModel, edited: edited.has(tid) ? 1 : 0,
        },
      ];
    })
    .sort((x, y) => x.question_id - y.question_id || x.sample_index - y.sample_index || x.trace_id - y.trace_id);
  const texts = rows.map((r) => ({ thinking: (r.thinking ?? '').trim(), answer: (r.answer ?? '').trim() }));
  const { tokenizer, counts } = countSampleTokens(
    db,
    rows.map((r, i) => ({
      traceId: r.trace_id,
      ...(texts[i] as Texts),
      rawThinking: r.thinking ?? '',
      storedThinking: r.thinking_tokens,
      storedAnswer: r.answer_tokens,
      edited: r.edited === 1,
      teacherModel: r.teacher_model,
    })),
  );
  const editorsOf = editorsLookup(db);
  return {
    scope: s,
    tokenizer,
    samples: rows.map((r, i) => ({
      questionId: r.question_id,
      extId: r.ext_id,
      question: r.question,
      reference: r.ref,
      solution: r.solution,
      domain: r.domain,
      questionSource: r.qsource,
      questionMetadata: parseMeta(r.qmeta),
      traceId: r.trace_id,
      teacher: r.teacher,
      traceSource: r.tsource,
      jobId: r.job_id,
      ...(texts[i] as Texts),
      ...(counts[i] as Counted),
      edited: r.edited === 1,
      editors: r.edited === 1 ? editorsOf(r.trace_id) : [],
      reviewStatus: r.status,
      reviewer: r.reviewer,
      verdict: r.equivalent === null ? null : r.equivalent === 1,
      finishReason: r.finish_reason,
    })),
  };
}

import type { DB } from '../store/project';
import { representatives } from '../review/decisions';
import { resolveScope, scopeQuestionIds } from '../review/queue';
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
  // Rejection sampling (curation's tracesPerQuestion > 1): the frozen run kept several verified traces of a
  // question; the selection exports each of them instead of the one representative trace.
  const several = `SELECT sel.question_id, CAST(j.value AS INTEGER) AS trace_id FROM selection sel
      JOIN questions qx ON qx.id = sel.question_id AND qx.excluded = 0
      JOIN curation_decisions d ON d.run_id = sel.run_id AND d.question_id = sel.question_id, json_each(d.detail, '$.traces') j
      WHERE json_array_length(d.detail, '$.traces') > 1`;
  // Each question's representative trace (review/decisions.ts), as [question id, trace id] pairs.
  const repJson = JSON.stringify(representatives(db, scopeQuestionIds(db, s)).map((r) => [r.question_id, r.id]));
  const repSql = "SELECT json_extract(value, '$[0]') AS question_id, json_extract(value, '$[1]') AS trace_id FROM json_each(@reps)";
  const reps = s === 'selection' ? `SELECT * FROM (${repSql}) WHERE question_id NOT IN (SELECT question_id FROM (${several})) UNION ALL ${several}` : repSql;
  const statusCond = include === 'accepted' ? "r.status = 'accepted'" : "COALESCE(r.status, 'todo') != 'rejected'";
  const rows = db
    .prepare(
      /* sql */ `WITH rep AS (${reps})
      SELECT q.id AS question_id, q.ext_id, q.question, q.answer AS ref, q.solution, q.domain, q.source AS qsource, q.metadata AS qmeta,
             t.id AS trace_id, t.teacher, t.source AS tsource, t.job_id, t.thinking, t.answer, t.thinking_tokens, t.answer_tokens, t.finish_reason,
             COALESCE(r.status, 'todo') AS status, r.reviewer, v.equivalent, tm.model AS teacher_model,
             COALESCE(o.digest != (SELECT h.digest FROM review_revisions h WHERE h.trace_id = t.id ORDER BY h.n DESC LIMIT 1), 0) AS edited
      FROM rep JOIN questions q ON q.id = rep.question_id JOIN traces t ON t.id = rep.trace_id
      LEFT JOIN reviews r ON r.trace_id = t.id LEFT JOIN verdicts v ON v.trace_id = t.id
      LEFT JOIN teachers tm ON tm.name = t.teacher
      LEFT JOIN review_revisions o ON o.trace_id = t.id AND o.n = 0
      WHERE ${statusCond} AND (COALESCE(t.thinking, '') != '' OR COALESCE(t.answer, '') != '')
      ORDER BY q.id, t.sample_index, t.id`,
    )
    .all({ reps: repJson }) as Row[];
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
  const editorsOf = db
    .prepare("SELECT COALESCE(author, '(unnamed)') FROM review_revisions WHERE trace_id = ? AND n > 0 GROUP BY COALESCE(author, '(unnamed)') ORDER BY MIN(n)")
    .pluck();
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
      editors: r.edited === 1 ? (editorsOf.all(r.trace_id) as string[]) : [],
      reviewStatus: r.status,
      reviewer: r.reviewer,
      verdict: r.equivalent === null ? null : r.equivalent === 1,
      finishReason: r.finish_reason,
    })),
  };
}

import type { DB } from '../store/project';
import { representativeTraces } from '../review/decisions';
import { resolveScope, scopeSql } from '../review/queue';

export type Include = 'accepted' | 'all';

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
  thinkingTokens: number | null;
  answerTokens: number | null;
  reviewStatus: string;
  reviewer: string | null;
  verdict: boolean | null;
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
 * The samples to export, one per question, in question order. 'accepted': questions whose trace a reviewer
 * accepted. 'all': every question of the scope (the frozen selection, else the pool) with its accepted trace,
 * else its best finished trace; a question whose traces were all rejected is left out. Excluded questions
 * (duplicates, contaminated) never leave.
 */
export function selectSamples(db: DB, include: Include, scope?: 'selection' | 'pool'): { scope: 'selection' | 'pool'; samples: ExportSample[] } {
  const s = resolveScope(db, scope);
  const statusCond = include === 'accepted' ? "r.status = 'accepted'" : "COALESCE(r.status, 'todo') != 'rejected'";
  const rows = db
    .prepare(
      /* sql */ `WITH rep AS (${representativeTraces(scopeSql(s))})
      SELECT q.id AS question_id, q.ext_id, q.question, q.answer AS ref, q.solution, q.domain, q.source AS qsource, q.metadata AS qmeta,
             t.id AS trace_id, t.teacher, t.source AS tsource, t.job_id, t.thinking, t.answer, t.thinking_tokens, t.answer_tokens,
             COALESCE(r.status, 'todo') AS status, r.reviewer, v.equivalent
      FROM rep JOIN questions q ON q.id = rep.question_id JOIN traces t ON t.id = rep.trace_id
      LEFT JOIN reviews r ON r.trace_id = t.id LEFT JOIN verdicts v ON v.trace_id = t.id
      WHERE ${statusCond} AND (COALESCE(t.thinking, '') != '' OR COALESCE(t.answer, '') != '')
      ORDER BY q.id`,
    )
    .all() as Row[];
  return {
    scope: s,
    samples: rows.map((r) => ({
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
      thinking: (r.thinking ?? '').trim(),
      answer: (r.answer ?? '').trim(),
      thinkingTokens: r.thinking_tokens,
      answerTokens: r.answer_tokens,
      reviewStatus: r.status,
      reviewer: r.reviewer,
      verdict: r.equivalent === null ? null : r.equivalent === 1,
    })),
  };
}

// More reads of the `traces` table for other domains (issue 16 §3; store.ts holds the rest): the pool's
// "has traces" filter and per-question counts, and the verification job's and the rubric view's trace reads.
import type { DB } from '../store/project';

/** The questions that have at least one trace (any source, any status), in id order (pool/query.ts filters by them). */
export function questionsWithTraces(db: DB): number[] {
  return db.prepare('SELECT DISTINCT question_id FROM traces ORDER BY question_id').pluck().all() as number[];
}

/**
 * The SQL condition "the question whose id is `column` has a trace" (any source, any status), for the pool's
 * "has traces" filter to put in its query on questions: SQLite probes the traces index for each question, so a
 * 60K-question pool is filtered without first reading out every question id that has a trace (bench:reads).
 */
export function hasTraceCondition(column: string): string {
  return `EXISTS (SELECT 1 FROM traces t WHERE t.question_id = ${column})`;
}

/** How many traces each of `questionIds` has (any source, any status); a question without traces is absent. */
export function traceCountsOf(db: DB, questionIds: readonly number[]): Map<number, number> {
  const rows = db
    .prepare('SELECT question_id, COUNT(*) AS n FROM traces WHERE question_id IN (SELECT value FROM json_each(?)) GROUP BY question_id')
    .raw()
    .all(JSON.stringify(questionIds)) as [number, number][];
  return new Map(rows);
}

/** The ids of every done trace (generated or imported), in id order (the verification job's plan). */
export function doneTraceIds(db: DB): number[] {
  return db.prepare("SELECT id FROM traces WHERE status = 'done' ORDER BY id").pluck().all() as number[];
}

/** Each of `traceIds` that exists: its question and the first `maxChars` characters of its answer ('' when none). */
export function traceAnswerHeads(db: DB, traceIds: readonly number[], maxChars: number): Map<number, { questionId: number; answer: string }> {
  const rows = db
    .prepare("SELECT id, question_id AS questionId, SUBSTR(COALESCE(answer, ''), 1, ?) AS answer FROM traces WHERE id IN (SELECT value FROM json_each(?))")
    .all(maxChars, JSON.stringify(traceIds)) as { id: number; questionId: number; answer: string }[];
  return new Map(rows.map((r) => [r.id, { questionId: r.questionId, answer: r.answer }]));
}

/**
 * The done traces with a non-blank answer, in id order; only those of `ids` when given (the rubric judge's
 * plan, verify/rubric-job.ts, which leaves out what its judge already decided and then takes its limit).
 */
export function answeredTraceIds(db: DB, ids: readonly number[] | null): number[] {
  return db
    .prepare("SELECT id FROM traces WHERE status = 'done' AND TRIM(COALESCE(answer, '')) != '' AND (@ids IS NULL OR id IN (SELECT value FROM json_each(@ids))) ORDER BY id")
    .pluck()
    .all({ ids: ids ? JSON.stringify(ids) : null }) as number[];
}

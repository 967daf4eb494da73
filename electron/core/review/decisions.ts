import { withFullSync, type DB } from '../store/project';
import { existingTraceIds } from '../traces/store';
import { UserError } from '../util/errors';

export const REVIEW_STATUSES = ['todo', 'accepted', 'rejected', 'needs_work'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/**
 * The order in which a question's traces compete to be "its" trace (the one shown in the review queue and
 * exported): accepted, needs work, not yet reviewed, rejected; then a verified-correct answer, an unchecked
 * one, a wrong one; then the oldest. Only finished traces ('done') take part.
 */
export const TRACE_RANK = /* sql */ `
  CASE r.status WHEN 'accepted' THEN 0 WHEN 'needs_work' THEN 1 WHEN 'rejected' THEN 3 ELSE 2 END,
  CASE WHEN v.equivalent = 1 THEN 0 WHEN v.equivalent IS NULL THEN 1 ELSE 2 END,
  t.id`;

/** One row per question: its representative done trace (see TRACE_RANK). `scope` limits the questions. */
export function representativeTraces(scopeSql: string): string {
  return /* sql */ `
    SELECT question_id, trace_id FROM (
      SELECT t.question_id, t.id AS trace_id,
             ROW_NUMBER() OVER (PARTITION BY t.question_id ORDER BY ${TRACE_RANK}) AS rn
      FROM traces t
      LEFT JOIN reviews r ON r.trace_id = t.id
      LEFT JOIN verdicts v ON v.trace_id = t.id
      WHERE t.status = 'done' AND t.question_id IN (${scopeSql})
    ) WHERE rn = 1`;
}

export interface DecisionResult {
  updated: number;
  status: ReviewStatus;
  traceIds: number[];
}

/**
 * Records a person's decision on traces. Written in one transaction with synchronous=FULL: a decision is
 * human work and must survive a power cut the moment the call returns.
 */
export function setStatus(db: DB, traceIds: readonly number[], status: ReviewStatus, reviewer?: string | null, comment?: string | null): DecisionResult {
  if (!REVIEW_STATUSES.includes(status)) {
    throw new UserError(`"${String(status)}" is not a review status; use one of ${REVIEW_STATUSES.join(', ')}.`, 'bad_status');
  }
  const ids = [...new Set(traceIds)];
  if (ids.length === 0) throw new UserError('No traces were given; choose at least one sample to mark.', 'no_ids');
  const known = new Set(
    existingTraceIds(db, ids),
  );
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UserError(`There is no trace ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? '…' : ''} in this project; nothing was changed.`, 'unknown_ids');
  }
  const at = new Date().toISOString();
  const put = db.prepare(
    `INSERT INTO reviews (trace_id, status, reviewer, comment, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(trace_id) DO UPDATE SET status = excluded.status, reviewer = excluded.reviewer,
       comment = COALESCE(excluded.comment, reviews.comment), updated_at = excluded.updated_at`,
  );
  const log = db.prepare(
    'INSERT INTO review_decision_log (trace_id, at, status, reviewer, comment) SELECT trace_id, updated_at, status, reviewer, comment FROM reviews WHERE trace_id = ?',
  );
  withFullSync(db, () => {
    for (const id of ids) {
      put.run(id, status, reviewer ?? null, comment ?? null, at);
      log.run(id);
    }
  });
  return { updated: ids.length, status, traceIds: ids };
}

/**
 * The trace that a decision about a question applies to: its representative trace. Unknown question ids,
 * and questions with no finished trace, are refused with a sentence and nothing is changed.
 */
export function tracesForQuestions(db: DB, questionIds: readonly number[]): Map<number, number> {
  const ids = [...new Set(questionIds)];
  if (ids.length === 0) throw new UserError('No question ids were given; pass --ids ID,ID…', 'no_ids');
  const json = JSON.stringify(ids);
  const exists = new Set(db.prepare('SELECT id FROM questions WHERE id IN (SELECT value FROM json_each(?))').pluck().all(json) as number[]);
  const unknown = ids.filter((id) => !exists.has(id));
  if (unknown.length > 0) {
    throw new UserError(
      `There is no question ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? '…' : ''} in this project; nothing was changed. List the questions with "distillery traces PROJECT".`,
      'unknown_ids',
    );
  }
  const rows = db.prepare(representativeTraces('SELECT value FROM json_each(?)')).all(json) as { question_id: number; trace_id: number }[];
  const map = new Map(rows.map((r) => [r.question_id, r.trace_id]));
  const missing = ids.filter((id) => !map.has(id));
  if (missing.length > 0) {
    throw new UserError(
      `Question ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? '…' : ''} has no finished trace to review yet; generate or import one first. Nothing was changed.`,
      'no_trace',
    );
  }
  return map;
}

/** Marks the representative trace of each question. */
export function setStatusForQuestions(db: DB, questionIds: readonly number[], status: ReviewStatus, reviewer?: string | null, comment?: string | null): DecisionResult & { questionIds: number[] } {
  const map = tracesForQuestions(db, questionIds);
  const r = setStatus(db, [...map.values()], status, reviewer, comment);
  return { ...r, questionIds: [...map.keys()] };
}

import { withFullSync, type DB } from '../store/project';
import { knownQuestionIds } from '../pool/questions';
import { doneTracesOfQuestions, type DoneTraceSummary } from '../traces/review-reads';
import { existingTraceIds } from '../traces/store';
import { verdictValues } from '../verify/verdict-reads';
import { UserError } from '../util/errors';

export const REVIEW_STATUSES = ['todo', 'accepted', 'rejected', 'needs_work'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** A question's representative trace: the done trace shown in the review queue and exported (see `representatives`). */
export interface RepresentativeTrace extends DoneTraceSummary {
  /** The trace's review decision, if any. */
  review: ReviewRow | undefined;
  /** The answer check's verdict: 1 correct, 0 wrong, null unchecked (no verdict, or undecidable). */
  equivalent: number | null;
}

/** A stored review decision. */
export interface ReviewRow {
  trace_id: number;
  status: ReviewStatus;
  reviewer: string | null;
  comment: string | null;
  updated_at: string;
}

/** The stored decisions of these traces, by trace id. */
export function reviewsOf(db: DB, traceIds: readonly number[]): Map<number, ReviewRow> {
  const cols = 'SELECT trace_id, status, reviewer, comment, updated_at FROM reviews';
  if (traceIds.length <= MANY_TRACES) return new Map((db.prepare(`${cols} WHERE trace_id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(traceIds)) as ReviewRow[]).map((r) => [r.trace_id, r]));
  // A whole pool's traces: reading every decision (most traces have none) is several times faster than
  // passing 60K ids through json_each (bench:reads).
  const wanted = new Set(traceIds);
  return new Map((db.prepare(cols).all() as ReviewRow[]).filter((r) => wanted.has(r.trace_id)).map((r) => [r.trace_id, r]));
}

/** Above this many traces reviewsOf reads every decision instead of looking each trace up. */
const MANY_TRACES = 5000;

const STATUS_RANK: Readonly<Record<ReviewStatus, number>> = { accepted: 0, needs_work: 1, todo: 2, rejected: 3 };
const verdictRank = (equivalent: number | null) => (equivalent === 1 ? 0 : equivalent === null ? 1 : 2);

/**
 * Whether trace `a` is a better representative of its question than `b`: accepted, needs work, not yet
 * reviewed, rejected; then a verified-correct answer, an unchecked one, a wrong one; then the oldest.
 */
function ranksBefore(a: RepresentativeTrace, b: RepresentativeTrace): boolean {
  const d = STATUS_RANK[a.review?.status ?? 'todo'] - STATUS_RANK[b.review?.status ?? 'todo'] || verdictRank(a.equivalent) - verdictRank(b.equivalent);
  return d !== 0 ? d < 0 : a.id < b.id;
}

/**
 * One per question of `questionIds` that has a finished ('done') trace: the trace that competes best to be
 * "its" trace (see ranksBefore), in question id order. Questions without a done trace are left out.
 */
export function representatives(db: DB, questionIds: readonly number[]): RepresentativeTrace[] {
  return ranked(db, questionIds, false);
}

/**
 * The review status of each question's representative trace (see representatives), in question id order: the
 * "N / M reviewed" counts. Verdicts are read only for questions with several done traces, where they break ties.
 */
export function representativeStatuses(db: DB, questionIds: readonly number[]): ReviewStatus[] {
  return ranked(db, questionIds, true).map((r) => r.review?.status ?? 'todo');
}

/** The representatives; with `tiesOnly`, `equivalent` is read only where a question has several done traces (null elsewhere). */
function ranked(db: DB, questionIds: readonly number[], tiesOnly: boolean): RepresentativeTrace[] {
  const traces = doneTracesOfQuestions(db, questionIds);
  const ids = traces.map((t) => t.id);
  const reviews = reviewsOf(db, ids);
  const verdicts = verdictValues(db, tiesOnly ? tiedTraceIds(traces) : ids);
  const best = new Map<number, RepresentativeTrace>();
  for (const t of traces) {
    // Fields named one by one: spreading 60k rows is several times slower.
    const c: RepresentativeTrace = {
      id: t.id,
      question_id: t.question_id,
      teacher: t.teacher,
      thinking_tokens: t.thinking_tokens,
      answer_tokens: t.answer_tokens,
      review: reviews.get(t.id),
      equivalent: verdicts.get(t.id) ?? null,
    };
    const cur = best.get(t.question_id);
    if (!cur || ranksBefore(c, cur)) best.set(t.question_id, c);
  }
  return [...best.values()].sort((a, b) => a.question_id - b.question_id);
}

/** The traces whose question has more than one of these traces. */
function tiedTraceIds(traces: readonly DoneTraceSummary[]): number[] {
  const n = new Map<number, number>();
  for (const t of traces) n.set(t.question_id, (n.get(t.question_id) ?? 0) + 1);
  return traces.filter((t) => (n.get(t.question_id) ?? 0) > 1).map((t) => t.id);
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
  const exists = knownQuestionIds(db, ids);
  const unknown = ids.filter((id) => !exists.has(id));
  if (unknown.length > 0) {
    throw new UserError(
      `There is no question ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? '…' : ''} in this project; nothing was changed. List the questions with "distillery traces PROJECT".`,
      'unknown_ids',
    );
  }
  const map = new Map(representatives(db, ids).map((r) => [r.question_id, r.id]));
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

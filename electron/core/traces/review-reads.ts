// The traces as Review reads them: a queue's done traces through the covering index, and one trace's origin
// (issue 16 §3: traces owns `traces`; review/ calls these functions and composes the other domains' rows in memory).
import type { DB } from '../store/project';

/** A done trace as the review queue ranks and lists it. */
export interface DoneTraceSummary {
  id: number;
  question_id: number;
  teacher: string | null;
  thinking_tokens: number | null;
  answer_tokens: number | null;
}

/**
 * The done traces (generated or imported) of these questions, in no particular order. Read only through the
 * covering index traces_review (migration 007): thinking_tokens lies after the long thinking text in the row,
 * and reaching it in the row would read every overflow page of the thinking (review/queue.ts, review/decisions.ts).
 */
export function doneTracesOfQuestions(db: DB, questionIds: readonly number[]): DoneTraceSummary[] {
  const cols = "SELECT id, question_id, teacher, thinking_tokens, answer_tokens FROM traces WHERE status = 'done'";
  if (questionIds.length <= MANY) return db.prepare(`${cols} AND question_id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(questionIds)) as DoneTraceSummary[];
  // For a whole pool, one scan of the covering index is several times faster than a probe per question.
  const wanted = new Set(questionIds);
  return (db.prepare(cols).all() as DoneTraceSummary[]).filter((t) => wanted.has(t.question_id));
}

/** Above this many questions doneTracesOfQuestions scans every done trace instead of looking each question up. */
const MANY = 5000;

/** The length of each of these traces' thinking in characters, as SQLite counts them (0: none), by id (the review queue's page). */
export function thinkingLengths(db: DB, traceIds: readonly number[]): Map<number, number> {
  const rows = db.prepare("SELECT id, length(COALESCE(thinking, '')) FROM traces WHERE id IN (SELECT value FROM json_each(?))").raw().all(JSON.stringify(traceIds)) as [number, number][];
  return new Map(rows);
}

/** Where a trace came from. */
export interface TraceOrigin {
  question_id: number;
  teacher: string | null;
  source: string;
  job_id: number | null;
  created_at: string;
}

/** A trace's question, teacher, source, generation job and creation time, or undefined (review's editor, bundles, regenerate). */
export function traceOrigin(db: DB, id: number): TraceOrigin | undefined {
  return db.prepare('SELECT question_id, teacher, source, job_id, created_at FROM traces WHERE id = ?').get(id) as TraceOrigin | undefined;
}

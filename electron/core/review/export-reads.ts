// Review's decisions and edits as the export, its dataset card and the project overview read them (issue 16 §3:
// review owns `reviews` and `review_revisions`; export/ and api/ call these functions instead of joining them).
import type { DB } from '../store/project';

/** Those of these traces whose current text differs from the teacher's original (revision 0 vs the head). */
export function editedAmong(db: DB, traceIds: readonly number[]): Set<number> {
  const ids = db
    .prepare(
      `SELECT o.trace_id FROM review_revisions o
       WHERE o.n = 0 AND o.trace_id IN (SELECT value FROM json_each(?))
         AND o.digest != (SELECT h.digest FROM review_revisions h WHERE h.trace_id = o.trace_id ORDER BY h.n DESC LIMIT 1)`,
    )
    .pluck()
    .all(JSON.stringify(traceIds)) as number[];
  return new Set(ids);
}

/** A lookup, prepared once, of who wrote a trace's revisions after the original, in the order they first wrote one. */
export function editorsLookup(db: DB): (traceId: number) => string[] {
  const st = db
    .prepare("SELECT COALESCE(author, '(unnamed)') FROM review_revisions WHERE trace_id = ? AND n > 0 GROUP BY COALESCE(author, '(unnamed)') ORDER BY MIN(n)")
    .pluck();
  return (id) => st.all(id) as string[];
}

/** One person's decisions (whole project) and `edited`: the traces whose text they changed that still differ from the original. */
export interface ReviewerTally {
  reviewer: string;
  accepted: number;
  rejected: number;
  needsWork: number;
  todo: number;
  edited: number;
}

/** Every person's decisions and edits, by name (the dataset card's review table). */
export function reviewerTallies(db: DB): ReviewerTally[] {
  return db
    .prepare(
      `WITH changed AS (
         SELECT o.trace_id FROM review_revisions o
         WHERE o.n = 0 AND o.digest != (SELECT h.digest FROM review_revisions h WHERE h.trace_id = o.trace_id ORDER BY h.n DESC LIMIT 1)),
       d AS (
         SELECT COALESCE(reviewer, '(unnamed)') AS who, status, NULL AS trace_id FROM reviews
         UNION ALL
         SELECT DISTINCT COALESCE(author, '(unnamed)'), NULL, trace_id FROM review_revisions WHERE n > 0 AND trace_id IN (SELECT trace_id FROM changed))
       SELECT who AS reviewer,
              COALESCE(SUM(status = 'accepted'), 0) AS accepted, COALESCE(SUM(status = 'rejected'), 0) AS rejected,
              COALESCE(SUM(status = 'needs_work'), 0) AS needsWork, COALESCE(SUM(status = 'todo'), 0) AS todo,
              COUNT(DISTINCT trace_id) AS edited
       FROM d GROUP BY who ORDER BY who`,
    )
    .all() as ReviewerTally[];
}

/** How many traces a reviewer accepted (the project overview). */
export function acceptedCount(db: DB): number {
  return db.prepare("SELECT COUNT(*) FROM reviews WHERE status = 'accepted'").pluck().get() as number;
}

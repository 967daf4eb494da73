// The pool's questions as the embedding job reads them (issue 16 §3: pool owns `questions`; embed/ calls this
// instead of joining the table).
import type { DB } from '../store/project';

/**
 * The pool's questions (not excluded) with their length in characters, shortest first (ties by id): the
 * embedding job cuts them into batches in this order so that a batch pads little (embed/job.ts).
 */
export function poolQuestionsByLength(db: DB): { id: number; len: number }[] {
  return db.prepare('SELECT id, LENGTH(question) AS len FROM questions WHERE excluded = 0 ORDER BY len, id').all() as { id: number; len: number }[];
}

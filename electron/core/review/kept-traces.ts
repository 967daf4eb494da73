// What Review tells other domains about the traces a person has touched (review/ owns `reviews` and
// `review_revisions`).
import type { DB } from '../store/project';

/**
 * The traces a person reviewed (any decision) or edited (a revision past the original): a generation redo of
 * thinking-less traces keeps them. The engine hands this to teacher/'s generation job (electron/core/kinds.ts).
 */
export function reviewedOrEditedTraceIds(db: DB): number[] {
  return db.prepare('SELECT trace_id FROM reviews UNION SELECT trace_id FROM review_revisions WHERE n > 0').pluck().all() as number[];
}

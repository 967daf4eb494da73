// The frozen selection as other domains read it (issue 16 §3: curate owns `selection`; review/ and others call
// these functions instead of writing SQL that names it). curate/runs.ts freezes it.
import type { DB } from '../store/project';

/** Whether a curation run is frozen into the selection. */
export function hasSelection(db: DB): boolean {
  return db.prepare('SELECT 1 FROM selection LIMIT 1').get() !== undefined;
}

/** The question ids of the frozen selection (excluded questions too), in id order. */
export function selectionQuestionIds(db: DB): number[] {
  return db.prepare('SELECT question_id FROM selection ORDER BY question_id').pluck().all() as number[];
}

/** Those of `ids` that are in the frozen selection. */
export function selectedAmong(db: DB, ids: readonly number[]): Set<number> {
  return new Set(db.prepare('SELECT question_id FROM selection WHERE question_id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(ids)) as number[]);
}

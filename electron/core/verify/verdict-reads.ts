// Verdicts as curation and the export read them, for many traces at once (issue 16 §3: verify owns `verdicts`;
// curate/ and export/ call these functions instead of joining the table).
import type { DB } from '../store/project';

/** How many verdicts and the latest check time: changes whenever a trace is checked (curation's cache key). */
export function verdictSignature(db: DB): { v: number; vm: string } {
  return db.prepare("SELECT COUNT(*) AS v, IFNULL(MAX(checked_at), '') AS vm FROM verdicts").get() as { v: number; vm: string };
}

/**
 * The stored verdict of each of these traces that has one: 1 equivalent to the reference, 0 not, null
 * undecidable. Traces without a verdict are absent.
 */
export function verdictValues(db: DB, traceIds: readonly number[]): Map<number, number | null> {
  const cols = 'SELECT trace_id, equivalent FROM verdicts';
  if (traceIds.length <= MANY_TRACES) return new Map(db.prepare(`${cols} WHERE trace_id IN (SELECT value FROM json_each(?))`).raw().all(JSON.stringify(traceIds)) as [number, number | null][]);
  // A whole pool's traces: one scan of the table is faster than passing 60K ids through json_each (bench:reads).
  const wanted = new Set(traceIds);
  return new Map((db.prepare(cols).raw().all() as [number, number | null][]).filter(([id]) => wanted.has(id)));
}

/** Above this many traces verdictValues reads every verdict instead of looking each trace up. */
const MANY_TRACES = 5000;

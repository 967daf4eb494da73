import type { DB } from '../store/project';

/** The latest frozen curation run as stored (recipe and funnel as JSON text), or undefined: what an export's card cites. */
export function latestFrozenRun(db: DB): { id: number; seed: number; created_at: string; frozen_at: string | null; selected: number; recipe: string; funnel: string } | undefined {
  return db.prepare('SELECT * FROM curation_runs WHERE frozen_at IS NOT NULL ORDER BY frozen_at DESC, id DESC LIMIT 1').get() as
    | { id: number; seed: number; created_at: string; frozen_at: string | null; selected: number; recipe: string; funnel: string }
    | undefined;
}

/**
 * The questions of the frozen selection whose decision kept several verified traces (rejection sampling,
 * tracesPerQuestion > 1), with those trace ids: the export writes each of them (export/samples.ts).
 */
export function selectionTraceLists(db: DB): Map<number, number[]> {
  const rows = db
    .prepare(
      `SELECT sel.question_id, CAST(j.value AS INTEGER) FROM selection sel
       JOIN curation_decisions d ON d.run_id = sel.run_id AND d.question_id = sel.question_id, json_each(d.detail, '$.traces') j
       WHERE json_array_length(d.detail, '$.traces') > 1`,
    )
    .raw()
    .all() as [number, number][];
  const out = new Map<number, number[]>();
  for (const [q, t] of rows) {
    const list = out.get(q);
    if (list) list.push(t);
    else out.set(q, [t]);
  }
  return out;
}

/** How many questions the frozen selection holds (the project overview). */
export function selectionSize(db: DB): number {
  return db.prepare('SELECT COUNT(*) FROM selection').pluck().get() as number;
}

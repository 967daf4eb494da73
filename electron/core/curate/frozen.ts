import type { DB } from '../store/project';

/** The latest frozen curation run as stored (recipe and funnel as JSON text), or undefined: what an export's card cites. */
export function latestFrozenRun(db: DB): { id: number; seed: number; created_at: string; frozen_at: string | null; selected: number; recipe: string; funnel: string } | undefined {
  return db.prepare('SELECT * FROM curation_runs WHERE frozen_at IS NOT NULL ORDER BY frozen_at DESC, id DESC LIMIT 1').get() as
    | { id: number; seed: number; created_at: string; frozen_at: string | null; selected: number; recipe: string; funnel: string }
    | undefined;
}

import type { DB } from '../store/project';
import { sql } from '../store/migrations/005_curation';

const ready = new WeakSet<DB>();

/**
 * Makes sure the curation tables exist. Migration 5 creates them; this covers a build where the
 * migration is not registered yet (its statements are idempotent, so the later migration is a no-op).
 */
export function ensureCurationSchema(db: DB): void {
  if (ready.has(db)) return;
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'curation_token_counts'").get();
  if (!has) db.exec(sql);
  ready.add(db);
}

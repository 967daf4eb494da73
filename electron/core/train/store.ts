/** SQLite side of training runs: the train_runs / train_events tables (migration 006) and their queries. */
import type { DB } from '../store/project';
import { sql as schemaSql } from '../store/migrations/006_training';

const ready = new WeakSet<DB>();

/** Creates the tables when the project was opened by a build that has not registered migration 6 yet. */
export function ensureTrainSchema(db: DB): void {
  if (ready.has(db)) return;
  db.exec(schemaSql);
  ready.add(db);
}

export type RunStatus = 'queued' | 'running' | 'paused' | 'cancelled' | 'interrupted' | 'failed' | 'done';

export interface RunRow {
  id: string;
  job_id: number | null;
  dir: string;
  config: string;
  plan: string;
  status: RunStatus;
  pid: number | null;
  step: number | null;
  max_steps: number | null;
  loss: number | null;
  error: string | null;
  created_at: string;
  ended_at: string | null;
}

export function insertRun(db: DB, r: { id: string; dir: string; config: unknown; plan: unknown }): void {
  ensureTrainSchema(db);
  db.prepare('INSERT INTO train_runs (id, dir, config, plan, status, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    r.id,
    r.dir,
    JSON.stringify(r.config),
    JSON.stringify(r.plan),
    'queued',
    new Date().toISOString(),
  );
}

export function getRun(db: DB, id: string): RunRow | undefined {
  ensureTrainSchema(db);
  return db.prepare('SELECT * FROM train_runs WHERE id = ?').get(id) as RunRow | undefined;
}

export function listRuns(db: DB, limit = 100): RunRow[] {
  ensureTrainSchema(db);
  return db.prepare('SELECT * FROM train_runs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as RunRow[];
}

export function updateRun(db: DB, id: string, fields: Partial<Omit<RunRow, 'id' | 'dir' | 'created_at'>>): void {
  ensureTrainSchema(db);
  const keys = Object.keys(fields);
  if (keys.length === 0) return;
  const set = keys.map((k) => `${k} = @${k}`).join(', ');
  db.prepare(`UPDATE train_runs SET ${set} WHERE id = @id`).run({ ...fields, id });
}

export function nextSeq(db: DB, runId: string): number {
  ensureTrainSchema(db);
  const r = db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM train_events WHERE run_id = ?').get(runId) as { s: number };
  return r.s + 1;
}

export function insertEvent(db: DB, runId: string, seq: number, e: { event: string }): void {
  db.prepare('INSERT OR REPLACE INTO train_events (run_id, seq, kind, event) VALUES (?, ?, ?, ?)').run(runId, seq, e.event, JSON.stringify(e));
}

export function runEvents(db: DB, runId: string, afterSeq = 0): { seq: number; kind: string; event: string }[] {
  ensureTrainSchema(db);
  return db.prepare('SELECT seq, kind, event FROM train_events WHERE run_id = ? AND seq > ? ORDER BY seq').all(runId, afterSeq) as { seq: number; kind: string; event: string }[];
}

/** The configs (JSON text) of the latest training runs, newest first; doctor/ finds the model folders they name. Creates no table. */
export function recentRunConfigs(db: DB, limit: number): { id: string; config: string }[] {
  return db.prepare('SELECT id, config FROM train_runs ORDER BY created_at DESC LIMIT ?').all(limit) as { id: string; config: string }[];
}

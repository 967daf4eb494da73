import os from 'node:os';
import type Database from 'better-sqlite3';
import type { DB } from '../store/project';
import type { JobRow, JobStatus, PlannedItem } from './types';

const now = () => new Date().toISOString();

// Prepared once per database: items finish hundreds of times a second in a busy job.
const cache = new WeakMap<DB, Map<string, Database.Statement>>();
function stmt(db: DB, sql: string): Database.Statement {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st;
}

export function insertJob(db: DB, kind: string, params: unknown, label: string | null): number {
  const t = now();
  const r = db
    .prepare("INSERT INTO jobs (kind, label, params, status, created_at, updated_at) VALUES (?, ?, ?, 'queued', ?, ?)")
    .run(kind, label, JSON.stringify(params), t, t);
  return Number(r.lastInsertRowid);
}

export function getJob(db: DB, id: number): JobRow | undefined {
  return stmt(db, 'SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
}

/** The newest job of a kind (a panel shows its outcome after a reload), or undefined. */
export function latestJobId(db: DB, kind: string): number | undefined {
  return db.prepare('SELECT id FROM jobs WHERE kind = ? ORDER BY id DESC LIMIT 1').pluck().get(kind) as number | undefined;
}

export function listJobs(db: DB, limit = 100): JobRow[] {
  return db.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT ?').all(limit) as JobRow[];
}

export function setStatus(db: DB, id: number, status: JobStatus, error: string | null = null): void {
  const t = now();
  const ended = status === 'done' || status === 'failed' || status === 'cancelled' ? t : null;
  db.prepare('UPDATE jobs SET status = ?, error = ?, ended_at = COALESCE(?, ended_at), updated_at = ? WHERE id = ?').run(status, error, ended, t, id);
}

/** Takes ownership of a job for this process; returns false when a live process already runs it. */
export function claimJob(db: DB, id: number, staleMs: number): boolean {
  return db.transaction(() => {
    const job = getJob(db, id);
    if (!job) return false;
    if (runningElsewhere(job, staleMs)) return false;
    const t = now();
    db.prepare(
      "UPDATE jobs SET status = 'running', owner_pid = ?, owner_host = ?, heartbeat_at = ?, started_at = COALESCE(started_at, ?), ended_at = NULL, error = NULL, updated_at = ? WHERE id = ?",
    ).run(process.pid, os.hostname(), t, t, t, id);
    return true;
  })();
}

/** True when another live process (its heartbeat fresh; on this machine, its pid alive) is running the job. */
export function runningElsewhere(job: JobRow, staleMs: number): boolean {
  return job.status === 'running' && Boolean(job.owner_pid) && job.owner_pid !== process.pid && ownerAlive(job, staleMs);
}

/**
 * The one liveness rule of a job's owner: its heartbeat is fresh (younger than `staleMs`) and, when it runs on
 * this machine, its pid is alive. Another machine's process is trusted while it beats; on this machine a dead
 * pid frees the job at once, and a stale heartbeat frees it even if the pid was reused by another process.
 */
function ownerAlive(job: JobRow, staleMs: number): boolean {
  const beat = job.heartbeat_at ? Date.parse(job.heartbeat_at) : 0;
  if (Date.now() - beat > staleMs) return false;
  if (job.owner_host !== os.hostname()) return true;
  try {
    process.kill(job.owner_pid ?? 0, 0);
    return true;
  } catch {
    return false;
  }
}

/** The newest unfinished job (queued, running, paused or failed) of a kind whose params text is exactly `params`. */
export function unfinishedJobWithParams(db: DB, kind: string, params: string): number | undefined {
  return db
    .prepare("SELECT id FROM jobs WHERE kind = ? AND params = ? AND status IN ('queued', 'running', 'paused', 'failed') ORDER BY id DESC LIMIT 1")
    .pluck()
    .get(kind, params) as number | undefined;
}

export function heartbeat(db: DB, id: number): void {
  stmt(db, 'UPDATE jobs SET heartbeat_at = ? WHERE id = ? AND owner_pid = ?').run(now(), id, process.pid);
}

export function hasItems(db: DB, id: number): boolean {
  return db.prepare('SELECT 1 FROM job_items WHERE job_id = ? LIMIT 1').get(id) !== undefined;
}

export function insertItems(db: DB, id: number, items: Iterable<PlannedItem>): number {
  const put = db.prepare("INSERT INTO job_items (job_id, seq, key, payload, status) VALUES (?, ?, ?, ?, 'pending')");
  let seq = 0;
  db.transaction(() => {
    for (const it of items) {
      put.run(id, seq++, it.key, it.payload === undefined ? null : JSON.stringify(it.payload));
    }
    db.prepare('UPDATE jobs SET total = ?, updated_at = ? WHERE id = ?').run(seq, now(), id);
  })();
  return seq;
}

export interface PendingRow {
  key: string;
  payload: string | null;
  attempts: number;
  seq: number;
}

export function pendingItems(db: DB, id: number, afterSeq: number, limit: number): PendingRow[] {
  return stmt(db, "SELECT key, payload, attempts, seq FROM job_items WHERE job_id = ? AND status = 'pending' AND seq > ? ORDER BY seq LIMIT ?").all(
    id,
    afterSeq,
    limit,
  ) as PendingRow[];
}

export function counts(db: DB, id: number): { done: number; failed: number; pending: number } {
  const rows = db.prepare('SELECT status, COUNT(*) AS n FROM job_items WHERE job_id = ? GROUP BY status').all(id) as { status: string; n: number }[];
  const c = { done: 0, failed: 0, pending: 0 };
  for (const r of rows) if (r.status === 'done' || r.status === 'failed' || r.status === 'pending') c[r.status] = r.n;
  return c;
}

export function finishItem(db: DB, id: number, key: string, status: 'done' | 'failed', result: unknown, error: string | null, write?: () => void): boolean {
  return db.transaction(() => {
    // The guard on status = 'pending' makes a second commit of the same item a no-op.
    const r = stmt(db, "UPDATE job_items SET status = ?, result = ?, error = ?, attempts = attempts + 1, ended_at = ? WHERE job_id = ? AND key = ? AND status = 'pending'").run(status, result === undefined ? null : JSON.stringify(result), error, now(), id, key);
    if (r.changes === 0) return false;
    write?.();
    stmt(db, status === 'done' ? 'UPDATE jobs SET done = done + 1, updated_at = ? WHERE id = ?' : 'UPDATE jobs SET failed = failed + 1, updated_at = ? WHERE id = ?').run(now(), id);
    return true;
  })();
}

export function unfinishedJobs(db: DB): JobRow[] {
  return db.prepare("SELECT * FROM jobs WHERE status IN ('queued', 'running') ORDER BY id").all() as JobRow[];
}

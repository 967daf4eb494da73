/**
 * How a finished job really went. A job whose every item failed used to read "Done" with a full bar;
 * the outcome and the grouped reasons let every view say "all failed" or "done with failures", and what
 * to fix, in the user's language (a code per likely cause; the words live in the renderer).
 */
import type { DB } from '../store/project';
import type { JobStatus } from './types';

export type JobOutcome = 'ok' | 'partial' | 'all_failed';
/** The likely cause of the most frequent failure, so that the UI can say what to fix. */
export type FailureHint = 'unreachable' | 'auth' | 'not_found' | 'timeout' | 'overloaded' | 'bad_request' | 'server_error';

export interface FailureReason {
  reason: string;
  count: number;
}

export function outcomeOf(status: JobStatus, done: number, failed: number): JobOutcome | null {
  if (status !== 'done') return null;
  if (failed === 0) return 'ok';
  return done === 0 ? 'all_failed' : 'partial';
}

/** "Failed after 3 attempts: X" and "Failed after 1 attempt: X" are the same reason. */
function normalise(error: string): string {
  return error.replace(/^Failed after \d+ attempts?:\s*/i, '').trim();
}

/** The most frequent failure reasons of a job's items (at most `limit`), most frequent first. */
export function failureReasons(db: DB, jobId: number, limit = 3): FailureReason[] {
  const rows = db.prepare("SELECT error FROM job_items WHERE job_id = ? AND status = 'failed' AND error IS NOT NULL").pluck().all(jobId) as string[];
  const counts = new Map<string, number>();
  for (const e of rows) {
    const r = normalise(e);
    counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([reason, count]) => ({ reason, count }));
}

export function failureHint(reason: string): FailureHint | null {
  const r = reason.toLowerCase();
  if (/econnrefused|enotfound|ehostunreach|enetunreach|could not connect|connection refused|getaddrinfo|socket hang up|econnreset/.test(r)) return 'unreachable';
  if (/\b(401|403)\b|unauthori[sz]ed|forbidden|invalid api key|incorrect api key|key (was )?rejected/.test(r)) return 'auth';
  if (/\b404\b|not found|does not exist|no such model|unknown model/.test(r)) return 'not_found';
  if (/timed? ?out|timeout|etimedout/.test(r)) return 'timeout';
  if (/\b(429|503)\b|rate limit|overloaded|too many requests/.test(r)) return 'overloaded';
  if (/\b(400|413|422)\b|bad request|context length|too long/.test(r)) return 'bad_request';
  if (/\b5\d\d\b|internal server error/.test(r)) return 'server_error';
  return null;
}

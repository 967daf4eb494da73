import type { DB } from '../store/project';
import { doneTraceCount } from '../traces/store';
import type { JudgeCache } from './judge';
import type { Verdict } from './types';

export interface StoredVerdict extends Verdict {
  traceId: number;
  judge: string | null;
  checkedAt: string;
}

interface Row {
  trace_id: number;
  equivalent: number | null;
  method: string;
  reason: string;
  extracted: string | null;
  judge: string | null;
  checked_at: string;
}

const fromRow = (r: Row): StoredVerdict => ({
  traceId: r.trace_id,
  equivalent: r.equivalent === null ? null : r.equivalent === 1,
  method: r.method as Verdict['method'],
  reason: r.reason,
  extracted: r.extracted,
  judge: r.judge,
  checkedAt: r.checked_at,
});

export function saveVerdict(db: DB, traceId: number, v: Verdict, judge: string | null): void {
  db.prepare(
    `INSERT INTO verdicts (trace_id, equivalent, method, reason, extracted, judge, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(trace_id) DO UPDATE SET equivalent = excluded.equivalent, method = excluded.method, reason = excluded.reason,
       extracted = excluded.extracted, judge = excluded.judge, checked_at = excluded.checked_at`,
  ).run(traceId, v.equivalent === null ? null : v.equivalent ? 1 : 0, v.method, v.reason, v.extracted, judge, new Date().toISOString());
}

/** Verdicts for a page of traces (the traces and review views show them as badges). */
export function verdictsFor(db: DB, traceIds: readonly number[]): Map<number, StoredVerdict> {
  const out = new Map<number, StoredVerdict>();
  const stmt = db.prepare('SELECT * FROM verdicts WHERE trace_id = ?');
  for (const id of traceIds) {
    const r = stmt.get(id) as Row | undefined;
    if (r) out.set(id, fromRow(r));
  }
  return out;
}

export interface VerdictSummary {
  traces: number;
  checked: number;
  equivalent: number;
  notEquivalent: number;
  undecided: number;
  byMethod: Record<string, number>;
}

export function verdictSummary(db: DB): VerdictSummary {
  const traces = doneTraceCount(db);
  const rows = db.prepare('SELECT equivalent, method, COUNT(*) AS n FROM verdicts GROUP BY equivalent, method').all() as { equivalent: number | null; method: string; n: number }[];
  const s: VerdictSummary = { traces, checked: 0, equivalent: 0, notEquivalent: 0, undecided: 0, byMethod: {} };
  for (const r of rows) {
    s.checked += r.n;
    if (r.equivalent === 1) s.equivalent += r.n;
    else if (r.equivalent === 0) s.notEquivalent += r.n;
    else s.undecided += r.n;
    s.byMethod[r.method] = (s.byMethod[r.method] ?? 0) + r.n;
  }
  return s;
}

/** The judge's cache in the project, so a verdict once paid for is never asked again. */
export class SqliteJudgeCache implements JudgeCache {
  constructor(private readonly db: DB) {}
  get(key: string): Verdict | undefined {
    const r = this.db.prepare('SELECT verdict FROM judge_cache WHERE key = ?').get(key) as { verdict: string } | undefined;
    return r ? (JSON.parse(r.verdict) as Verdict) : undefined;
  }
  set(key: string, v: Verdict): void {
    this.db.prepare('INSERT OR REPLACE INTO judge_cache (key, verdict, created_at) VALUES (?, ?, ?)').run(key, JSON.stringify(v), new Date().toISOString());
  }
}

import type { DB } from '../store/project';
import { representativeTraces, type ReviewStatus } from './decisions';

export interface QueueFilter {
  /** 'selection': the frozen curated selection (the default when there is one); 'pool': every question not excluded. */
  scope?: 'selection' | 'pool';
  status?: ReviewStatus;
  domain?: string;
  reviewer?: string;
  /** Substring of the question. */
  search?: string;
  offset?: number;
  limit?: number;
}

export interface QueueRow {
  questionId: number;
  traceId: number;
  question: string;
  domain: string | null;
  teacher: string | null;
  status: ReviewStatus;
  reviewer: string | null;
  comment: string | null;
  updatedAt: string | null;
  verdict: boolean | null;
  thinkingTokens: number | null;
  answerTokens: number | null;
  thinkingChars: number;
}

export interface QueueCounts {
  scope: 'selection' | 'pool';
  /** Questions in scope with a finished trace (the "M" of "N / M reviewed"). */
  total: number;
  /** Decided: accepted, rejected or needs work. */
  reviewed: number;
  todo: number;
  accepted: number;
  rejected: number;
  needsWork: number;
  /** Questions in scope with no finished trace yet (not reviewable). */
  withoutTrace: number;
  /** "312 / 1,000 reviewed". */
  label: string;
}

export function hasSelection(db: DB): boolean {
  return db.prepare('SELECT 1 FROM selection LIMIT 1').get() !== undefined;
}

/** SQL yielding the question ids in scope: the frozen selection, or the pool; excluded questions never count. */
export function scopeSql(scope: 'selection' | 'pool'): string {
  return scope === 'selection'
    ? 'SELECT s.question_id FROM selection s JOIN questions q2 ON q2.id = s.question_id WHERE q2.excluded = 0'
    : 'SELECT id FROM questions WHERE excluded = 0';
}

export function resolveScope(db: DB, scope?: 'selection' | 'pool'): 'selection' | 'pool' {
  return scope ?? (hasSelection(db) ? 'selection' : 'pool');
}

function base(scope: 'selection' | 'pool'): string {
  return /* sql */ `
    WITH rep AS (${representativeTraces(scopeSql(scope))})
    SELECT q.id AS question_id, t.id AS trace_id, q.question, q.domain, t.teacher,
           COALESCE(r.status, 'todo') AS status, r.reviewer, r.comment, r.updated_at,
           v.equivalent, t.thinking_tokens, t.answer_tokens, length(COALESCE(t.thinking, '')) AS thinking_chars
    FROM rep JOIN questions q ON q.id = rep.question_id JOIN traces t ON t.id = rep.trace_id
    LEFT JOIN reviews r ON r.trace_id = t.id LEFT JOIN verdicts v ON v.trace_id = t.id`;
}

/** Counts for "N / M reviewed" over the scope. */
export function queueCounts(db: DB, scope?: 'selection' | 'pool'): QueueCounts {
  const s = resolveScope(db, scope);
  const rows = db.prepare(`SELECT status, COUNT(*) AS n FROM (${base(s)}) GROUP BY status`).all() as { status: ReviewStatus; n: number }[];
  const by = (k: ReviewStatus) => rows.find((r) => r.status === k)?.n ?? 0;
  const total = rows.reduce((a, r) => a + r.n, 0);
  const inScope = (db.prepare(`SELECT COUNT(*) FROM (${scopeSql(s)})`).pluck().get() as number) ?? 0;
  const reviewed = by('accepted') + by('rejected') + by('needs_work');
  return {
    scope: s,
    total,
    reviewed,
    todo: by('todo'),
    accepted: by('accepted'),
    rejected: by('rejected'),
    needsWork: by('needs_work'),
    withoutTrace: inScope - total,
    label: `${reviewed.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} reviewed`,
  };
}

/** One page of the review queue (one row per question, its representative trace) and the counts. */
export function reviewQueue(db: DB, f: QueueFilter = {}): { counts: QueueCounts; filtered: number; rows: QueueRow[] } {
  const s = resolveScope(db, f.scope);
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: f.limit ?? 100, offset: f.offset ?? 0 };
  const add = (cond: string, key: string, v: string | undefined) => {
    if (!v) return;
    where.push(cond);
    params[key] = v;
  };
  add('status = @status', 'status', f.status);
  add('domain = @domain', 'domain', f.domain);
  add('reviewer = @reviewer', 'reviewer', f.reviewer);
  add('instr(lower(question), lower(@search)) > 0', 'search', f.search);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const sql = `SELECT * FROM (${base(s)}) ${w}`;
  const filtered = db.prepare(`SELECT COUNT(*) FROM (${sql})`).pluck().get(params) as number;
  const rows = db.prepare(`${sql} ORDER BY question_id LIMIT @limit OFFSET @offset`).all(params) as {
    question_id: number;
    trace_id: number;
    question: string;
    domain: string | null;
    teacher: string | null;
    status: ReviewStatus;
    reviewer: string | null;
    comment: string | null;
    updated_at: string | null;
    equivalent: number | null;
    thinking_tokens: number | null;
    answer_tokens: number | null;
    thinking_chars: number;
  }[];
  return {
    counts: queueCounts(db, s),
    filtered,
    rows: rows.map((r) => ({
      questionId: r.question_id,
      traceId: r.trace_id,
      question: r.question.length > 300 ? `${r.question.slice(0, 300)}…` : r.question,
      domain: r.domain,
      teacher: r.teacher,
      status: r.status,
      reviewer: r.reviewer,
      comment: r.comment,
      updatedAt: r.updated_at,
      verdict: r.equivalent === null ? null : r.equivalent === 1,
      thinkingTokens: r.thinking_tokens,
      answerTokens: r.answer_tokens,
      thinkingChars: r.thinking_chars,
    })),
  };
}

import type { DB } from '../store/project';
import { TRACE_RANK, type ReviewStatus } from './decisions';
import { cachedStudentCounts, studentTokenizer, tokenizerInfo } from './tokens';
import type { TokenizerInfo } from './types';

export interface QueueFilter {
  /** 'selection': the frozen curated selection (the default when there is one); 'pool': every question not excluded. */
  scope?: 'selection' | 'pool';
  status?: ReviewStatus;
  domain?: string;
  reviewer?: string;
  /** Substring of the question. */
  search?: string;
  /** 'correct' / 'wrong': the answer check's verdict; 'unchecked': no verdict (or undecidable). */
  verdict?: 'correct' | 'wrong' | 'unchecked';
  /** true: only samples edited in review; false: only untouched ones. */
  edited?: boolean;
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
  /** In the student's tokenizer when the project has one (see QueuePage.tokenizer), else the stored count. */
  thinkingTokens: number | null;
  answerTokens: number | null;
  /** True when the trace was edited and no student tokenizer is set: thinkingTokens is chars / 4. */
  tokensEstimated: boolean;
  thinkingChars: number;
  /** Revisions after the teacher's original (0: never edited). */
  revisions: number;
  /** The head revision number (0: the original). */
  head: number;
  /** Time of the last revision, or null. */
  editedAt: string | null;
}

export interface QueuePage {
  counts: QueueCounts;
  filtered: number;
  tokenizer: TokenizerInfo;
  domains: string[];
  reviewers: string[];
  rows: QueueRow[];
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

/**
 * Of these question ids, those outside the frozen selection (none when nothing is frozen): a decision on them is
 * kept, but the default export (the selection) leaves them out, so the CLI and the Review step say so.
 */
export function outsideSelection(db: DB, questionIds: readonly number[]): number[] {
  if (!hasSelection(db) || questionIds.length === 0) return [];
  const inSel = new Set(
    db.prepare('SELECT question_id FROM selection WHERE question_id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(questionIds)) as number[],
  );
  return [...new Set(questionIds)].filter((id) => !inSel.has(id));
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

/**
 * One row per question in scope with its representative trace (see TRACE_RANK). Reads traces only through
 * the covering index traces_review (migration 007): thinking_tokens lies after the long thinking text in the
 * row, and reaching it in the row would read every overflow page of the thinking.
 */
function base(scope: 'selection' | 'pool'): string {
  return /* sql */ `
    WITH rep AS (
      SELECT question_id, trace_id, teacher, thinking_tokens, answer_tokens FROM (
        SELECT t.question_id, t.id AS trace_id, t.teacher, t.thinking_tokens, t.answer_tokens,
               ROW_NUMBER() OVER (PARTITION BY t.question_id ORDER BY ${TRACE_RANK}) AS rn
        FROM traces t
        LEFT JOIN reviews r ON r.trace_id = t.id
        LEFT JOIN verdicts v ON v.trace_id = t.id
        WHERE t.status = 'done' AND t.question_id IN (${scopeSql(scope)})
      ) WHERE rn = 1)
    SELECT q.id AS question_id, rep.trace_id, q.question, q.domain, rep.teacher,
           COALESCE(r.status, 'todo') AS status, r.reviewer, r.comment, r.updated_at,
           v.equivalent, rep.thinking_tokens, rep.answer_tokens,
           COALESCE(h.revs, 0) AS revs, COALESCE(h.head, 0) AS head
    FROM rep JOIN questions q ON q.id = rep.question_id
    LEFT JOIN reviews r ON r.trace_id = rep.trace_id LEFT JOIN verdicts v ON v.trace_id = rep.trace_id
    LEFT JOIN (SELECT trace_id, COUNT(*) - 1 AS revs, MAX(n) AS head FROM review_revisions GROUP BY trace_id) h ON h.trace_id = rep.trace_id`;
}

/** Counts for "N / M reviewed" over the scope. */
export function queueCounts(db: DB, scope?: 'selection' | 'pool'): QueueCounts {
  const s = resolveScope(db, scope);
  return countsFrom(db, s, `(${base(s)})`);
}

function countsFrom(db: DB, s: 'selection' | 'pool', source: string): QueueCounts {
  const rows = db.prepare(`SELECT status, COUNT(*) AS n FROM ${source} GROUP BY status`).all() as { status: ReviewStatus; n: number }[];
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
export function reviewQueue(db: DB, f: QueueFilter = {}): QueuePage {
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
  if (f.verdict) where.push(f.verdict === 'correct' ? 'equivalent = 1' : f.verdict === 'wrong' ? 'equivalent = 0' : 'equivalent IS NULL');
  if (f.edited !== undefined) where.push(f.edited ? 'head > 0' : 'head = 0');
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  // One pass over the scope into a temporary table; the counts, lists and page read it back.
  db.exec('DROP TABLE IF EXISTS temp.review_q');
  db.exec(`CREATE TEMP TABLE review_q AS ${base(s)}`);
  try {
    const counts = countsFrom(db, s, 'temp.review_q');
    const filtered = db.prepare(`SELECT COUNT(*) FROM temp.review_q ${w}`).pluck().get(params) as number;
    const rows = db
      .prepare(`SELECT *, (SELECT length(COALESCE(thinking, '')) FROM traces WHERE id = trace_id) AS thinking_chars FROM temp.review_q ${w} ORDER BY question_id LIMIT @limit OFFSET @offset`)
      .all(params) as {
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
      revs: number;
      head: number;
    }[];
    const domains = db.prepare('SELECT DISTINCT domain FROM temp.review_q WHERE domain IS NOT NULL ORDER BY domain').pluck().all() as string[];
    const reviewers = db.prepare('SELECT DISTINCT reviewer FROM temp.review_q WHERE reviewer IS NOT NULL ORDER BY reviewer').pluck().all() as string[];
    const tok = studentTokenizer(db);
    const student = tok ? cachedStudentCounts(db, tok, rows.map((r) => r.trace_id)) : null;
    const editedAt = db.prepare('SELECT updated_at FROM review_revisions WHERE trace_id = ? ORDER BY n DESC LIMIT 1').pluck();
    return {
      counts,
      filtered,
      tokenizer: tok ? tokenizerInfo(db) : { source: 'stored', dir: null },
      domains,
      reviewers,
      rows: rows.map((r) => {
        const estimated = !student && r.head > 0;
        return {
          questionId: r.question_id,
          traceId: r.trace_id,
          question: r.question.length > 200 ? `${r.question.slice(0, 200)}…` : r.question,
          domain: r.domain,
          teacher: r.teacher,
          status: r.status,
          reviewer: r.reviewer,
          comment: r.comment,
          updatedAt: r.updated_at,
          verdict: r.equivalent === null ? null : r.equivalent === 1,
          thinkingTokens: student ? (student.get(r.trace_id) ?? 0) : estimated ? Math.ceil(r.thinking_chars / 4) : r.thinking_tokens,
          answerTokens: r.answer_tokens,
          tokensEstimated: estimated,
          thinkingChars: r.thinking_chars,
          revisions: r.revs,
          head: r.head,
          editedAt: r.head > 0 ? ((editedAt.get(r.trace_id) as string | undefined) ?? null) : null,
        };
      }),
    };
  } finally {
    db.exec('DROP TABLE IF EXISTS temp.review_q');
  }
}

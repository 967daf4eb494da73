import { hasSelection, selectedAmong, selectionQuestionIds } from '../curate/selection';
import { poolDomains, questionsContaining } from '../pool/review-reads';
import { poolQuestionIds, questionTextLookup } from '../pool/questions';
import type { DB } from '../store/project';
import { thinkingLengths } from '../traces/review-reads';
import { representativeStatuses, representatives, type RepresentativeTrace, type ReviewStatus } from './decisions';
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

export { hasSelection };

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

/**
 * Of these question ids, those outside the frozen selection (none when nothing is frozen): a decision on them is
 * kept, but the default export (the selection) leaves them out, so the CLI and the Review step say so.
 */
export function outsideSelection(db: DB, questionIds: readonly number[]): number[] {
  if (!hasSelection(db) || questionIds.length === 0) return [];
  const inSel = selectedAmong(db, questionIds);
  return [...new Set(questionIds)].filter((id) => !inSel.has(id));
}

/** The question ids in scope, in id order: the frozen selection, or the pool; excluded questions never count. */
export function scopeQuestionIds(db: DB, scope: 'selection' | 'pool'): number[] {
  const pool = poolQuestionIds(db);
  if (scope === 'pool') return pool;
  const inPool = new Set(pool);
  return selectionQuestionIds(db).filter((id) => inPool.has(id));
}

export function resolveScope(db: DB, scope?: 'selection' | 'pool'): 'selection' | 'pool' {
  return scope ?? (hasSelection(db) ? 'selection' : 'pool');
}

/** A question in scope with its representative trace, as the queue filters and lists it. */
interface Entry {
  rep: RepresentativeTrace;
  status: ReviewStatus;
  reviewer: string | null;
  domain: string | null;
  revs: number;
  head: number;
}

/** The queue over a scope: one entry per question in scope with a done trace, in question id order; and the scope's size. */
function entries(db: DB, scope: 'selection' | 'pool'): { inScope: number; rows: Entry[] } {
  const domains = poolDomains(db, scope === 'pool' ? undefined : selectionQuestionIds(db));
  const ids = [...domains.keys()];
  const reps = representatives(db, ids);
  const revs = revisionCounts(db);
  const rows = reps.map((r) => {
    const h = revs.get(r.id);
    return { rep: r, status: r.review?.status ?? 'todo', reviewer: r.review?.reviewer ?? null, domain: domains.get(r.question_id) ?? null, revs: h?.revs ?? 0, head: h?.head ?? 0 };
  });
  return { inScope: ids.length, rows };
}

/** Revisions after the original and the head revision number of every trace that has a revision, by trace id. */
function revisionCounts(db: DB): Map<number, { revs: number; head: number }> {
  const rows = db.prepare('SELECT trace_id, COUNT(*) - 1 AS revs, MAX(n) AS head FROM review_revisions GROUP BY trace_id').all() as { trace_id: number; revs: number; head: number }[];
  return new Map(rows.map((r) => [r.trace_id, r]));
}

/** Counts for "N / M reviewed" over the scope. */
export function queueCounts(db: DB, scope?: 'selection' | 'pool'): QueueCounts {
  const s = resolveScope(db, scope);
  // Only the representatives' statuses: no domains, revisions or (but for ties) verdicts to read.
  return db.transaction(() => {
    const ids = scopeQuestionIds(db, s);
    return countsOf(s, { inScope: ids.length, rows: representativeStatuses(db, ids).map((status) => ({ status })) });
  })();
}

function countsOf(s: 'selection' | 'pool', { inScope, rows }: { inScope: number; rows: readonly Pick<Entry, 'status'>[] }): QueueCounts {
  const by = (k: ReviewStatus) => rows.filter((r) => r.status === k).length;
  const total = rows.length;
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

/** The distinct values, nulls left out, in SQLite's BINARY order (UTF-8 bytes, i.e. code points). */
function distinctSorted(values: readonly (string | null)[]): string[] {
  const set = [...new Set(values.filter((v): v is string => v !== null))];
  return set.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** The filter's test of an entry; `matching` holds the questions that contain the search text (when there is one). */
function passes(f: QueueFilter, matching: Set<number> | null): (e: Entry) => boolean {
  const verdict = f.verdict === 'correct' ? 1 : f.verdict === 'wrong' ? 0 : f.verdict === 'unchecked' ? null : undefined;
  return (e) =>
    (!f.status || e.status === f.status) &&
    (!f.domain || e.domain === f.domain) &&
    (!f.reviewer || e.reviewer === f.reviewer) &&
    (!matching || matching.has(e.rep.question_id)) &&
    (verdict === undefined || e.rep.equivalent === verdict) &&
    (f.edited === undefined || (f.edited ? e.head > 0 : e.head === 0));
}

/** One page of the review queue (one row per question, its representative trace) and the counts. */
export function reviewQueue(db: DB, f: QueueFilter = {}): QueuePage {
  // One read transaction: the counts, lists and page see the same state of the project.
  return db.transaction(() => queuePage(db, f))();
}

function queuePage(db: DB, f: QueueFilter): QueuePage {
  const s = resolveScope(db, f.scope);
  const all = entries(db, s);
  const matching = f.search ? questionsContaining(db, all.rows.map((e) => e.rep.question_id), f.search) : null;
  const filtered = all.rows.filter(passes(f, matching));
  const limit = f.limit ?? 100;
  const offset = Math.max(0, f.offset ?? 0);
  const rows = filtered.slice(offset, limit < 0 ? undefined : offset + limit);
  const ids = rows.map((r) => r.rep.id);
  const chars = thinkingLengths(db, ids);
  const questionText = questionTextLookup(db);
  const tok = studentTokenizer(db);
  const student = tok ? cachedStudentCounts(db, tok, ids) : null;
  const editedAt = db.prepare('SELECT updated_at FROM review_revisions WHERE trace_id = ? ORDER BY n DESC LIMIT 1').pluck();
  return {
    counts: countsOf(s, all),
    filtered: filtered.length,
    tokenizer: tok ? tokenizerInfo(db) : { source: 'stored', dir: null },
    domains: distinctSorted(all.rows.map((r) => r.domain)),
    reviewers: distinctSorted(all.rows.map((r) => r.reviewer)),
    rows: rows.map((e) => {
      const r = e.rep;
      const estimated = !student && e.head > 0;
      const question = questionText(r.question_id) ?? '';
      const thinkingChars = chars.get(r.id) ?? 0;
      return {
        questionId: r.question_id,
        traceId: r.id,
        question: question.length > 200 ? `${question.slice(0, 200)}…` : question,
        domain: e.domain,
        teacher: r.teacher,
        status: e.status,
        reviewer: e.reviewer,
        comment: r.review?.comment ?? null,
        updatedAt: r.review?.updated_at ?? null,
        verdict: r.equivalent === null ? null : r.equivalent === 1,
        thinkingTokens: student ? (student.get(r.id) ?? 0) : estimated ? Math.ceil(thinkingChars / 4) : r.thinking_tokens,
        answerTokens: r.answer_tokens,
        tokensEstimated: estimated,
        thinkingChars,
        revisions: e.revs,
        head: e.head,
        editedAt: e.head > 0 ? ((editedAt.get(r.id) as string | undefined) ?? null) : null,
      };
    }),
  };
}

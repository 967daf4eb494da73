import { poolQuestionTexts, poolSize, questionTextLookup } from '../pool/questions';
import type { DB } from '../store/project';
import { eachQuestionBestTrace, generatedCounts, jobErrors, pageOfTraces } from '../traces/store';
import { currentFlags } from './traceFlags';

export interface QuestionTraceLine {
  question_id: number;
  question: string;
  status: 'done' | 'failed' | 'pending';
  thinking: string | null;
  answer: string | null;
  attempts: number;
  finish_reason: string | null;
  thinking_tokens: number | null;
  answer_tokens: number | null;
  /** Why the generation failed (status 'failed'), as stored; null otherwise. */
  error: string | null;
  /** Parse flags of a done trace: no_thinking, truncated, split_thinking … */
  flags: string[];
}

/**
 * One line per question of the pool, in import order: its best generated result (a done trace before a
 * failed one, the lowest sample first) or pending. Calls `each` row by row so 60K questions stream.
 */
export function eachQuestionTrace(db: DB, each: (l: QuestionTraceLine) => void, opts: { teacher?: string } = {}): void {
  eachQuestionBestTrace(db, opts.teacher ?? null, poolQuestionTexts(db), (r) => {
    each({
      question_id: r.question_id,
      question: r.question,
      status: r.status ?? 'pending',
      thinking: r.thinking,
      answer: r.answer,
      attempts: r.attempts ?? 0,
      finish_reason: r.finish_reason,
      thinking_tokens: r.thinking_tokens,
      answer_tokens: r.answer_tokens,
      error: r.error,
      flags: flagsOf(r),
    });
  });
}

/** A done trace's flags as its current (possibly edited) text gives them; a failed trace's as stored. */
function flagsOf(r: { status: string | null; flags: string | null; thinking: string | null; answer: string | null }): string[] {
  const stored = r.flags ? (JSON.parse(r.flags) as string[]) : [];
  return r.status === 'done' ? currentFlags(stored, r.thinking, r.answer) : stored;
}

/** A page of traces for the Traces view, newest first; the raw response is fetched on demand. */
export function listTraces(db: DB, f: { status?: 'done' | 'failed'; teacher?: string; questionId?: number; offset: number; limit: number }) {
  const { total, rows } = pageOfTraces(db, f);
  const question = questionTextLookup(db);
  // Every trace has its question (traces.question_id cascades on delete), so no row lacks the text.
  return { total, rows: rows.map((r) => ({ ...r, question: question(r.question_id) ?? '', flags: flagsOf(r) })) };
}

export { traceRaw } from '../traces/store';

export function traceCounts(db: DB, teacher?: string): { done: number; failed: number; questions: number } {
  const r = generatedCounts(db, teacher);
  const questions = poolSize(db);
  return { ...r, questions };
}

/** The stored error without the "Failed after N attempts: " prefix: the reason itself, shared by many rows. */
export function failureReason(error: string | null): string {
  return (error ?? 'unknown error').replace(/^Failed after \d+ attempts?: /, '').trim() || 'unknown error';
}

/** A next step for the usual reasons a generation fails. */
export function failureHint(reason: string): string | null {
  if (reason.includes('the server serves ')) return null; // the reason already names the models to choose from
  if (/could not connect|ECONNREFUSED|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN/.test(reason)) return 'is the teacher running?';
  if (/\b401\b|\b403\b|unauthori[sz]ed|forbidden|api key/i.test(reason)) return 'check the API key (teacher add --key-env).';
  if (/\b404\b|not found/i.test(reason)) return 'check the base URL (it usually ends in /v1) and the model name.';
  if (/timed? ?out|idle/i.test(reason)) return 'the teacher is slow or stuck; raise the timeout or lower the concurrency.';
  if (/\b429\b|rate/i.test(reason)) return 'the teacher is rate-limited; lower the concurrency or wait.';
  return null;
}

export interface FailureGroup {
  reason: string;
  count: number;
  hint: string | null;
}

/** The failed traces of one generation job grouped by reason, most frequent first. */
export function failureSummary(db: DB, jobId: number): FailureGroup[] {
  const rows = jobErrors(db, jobId);
  const by = new Map<string, number>();
  for (const e of rows) {
    const r = failureReason(e);
    by.set(r, (by.get(r) ?? 0) + 1);
  }
  return [...by].map(([reason, count]) => ({ reason, count, hint: failureHint(reason) })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

/** "12 of 40 failed: 12 × could not connect to http://127.0.0.1:9 (ECONNREFUSED) — is the teacher running?" */
export function failureSentence(groups: FailureGroup[], failed: number, total: number): string {
  const parts = groups.slice(0, 3).map((g) => `${g.count} × ${g.reason}${g.hint ? ` — ${g.hint}` : ''}`);
  if (groups.length > 3) parts.push(`${groups.slice(3).reduce((a, g) => a + g.count, 0)} × other reasons (see "distillery traces PROJECT --json")`);
  return `${failed} of ${total} failed: ${parts.join('; ')}`;
}

/** Done traces of one job without thinking, and cut at max tokens: said at the end of `generate`, not found out at export. */
export { jobTraceQuality } from '../traces/store';

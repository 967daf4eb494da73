import type { DB } from '../store/project';

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
}

interface Joined {
  question_id: number;
  question: string;
  status: 'done' | 'failed' | null;
  thinking: string | null;
  answer: string | null;
  attempts: number | null;
  finish_reason: string | null;
  thinking_tokens: number | null;
  answer_tokens: number | null;
}

/**
 * One line per question of the pool, in import order: its best generated result (a done trace before a
 * failed one, the lowest sample first) or pending. Calls `each` row by row so 60K questions stream.
 */
export function eachQuestionTrace(db: DB, each: (l: QuestionTraceLine) => void, opts: { teacher?: string } = {}): void {
  const stmt = db.prepare(`
    SELECT q.id AS question_id, q.question, t.status, t.thinking, t.answer, t.attempts, t.finish_reason, t.thinking_tokens, t.answer_tokens
    FROM questions q
    LEFT JOIN traces t ON t.id = (
      SELECT id FROM traces x WHERE x.question_id = q.id AND x.source != 'imported' AND (@teacher IS NULL OR x.teacher = @teacher)
      ORDER BY (x.status = 'done') DESC, x.sample_index, x.id LIMIT 1)
    WHERE q.excluded = 0
    ORDER BY q.id`);
  for (const r of stmt.iterate({ teacher: opts.teacher ?? null }) as Iterable<Joined>) {
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
    });
  }
}

export interface TraceRow {
  id: number;
  question_id: number;
  teacher: string | null;
  sample_index: number;
  status: 'done' | 'failed';
  thinking: string | null;
  answer: string | null;
  finish_reason: string | null;
  prompt_tokens: number | null;
  thinking_tokens: number | null;
  answer_tokens: number | null;
  latency_ms: number | null;
  error: string | null;
  attempts: number;
  reasoning_source: string | null;
  flags: string | null;
  endpoint: string | null;
  job_id: number | null;
  created_at: string;
}

const COLS = `t.id, t.question_id, t.teacher, t.sample_index, t.status, t.thinking, t.answer, t.finish_reason, t.prompt_tokens, t.thinking_tokens,
  t.answer_tokens, t.latency_ms, t.error, t.attempts, t.reasoning_source, t.flags, t.endpoint, t.job_id, t.created_at`;

/** A page of traces for the Traces view, newest first; the raw response is fetched on demand. */
export function listTraces(db: DB, f: { status?: 'done' | 'failed'; teacher?: string; questionId?: number; offset: number; limit: number }) {
  const where = ["t.source != 'imported'"];
  if (f.status) where.push('t.status = @status');
  if (f.teacher) where.push('t.teacher = @teacher');
  if (f.questionId !== undefined) where.push('t.question_id = @questionId');
  const w = where.join(' AND ');
  const args = { status: f.status, teacher: f.teacher, questionId: f.questionId, offset: f.offset, limit: f.limit };
  const total = db.prepare(`SELECT COUNT(*) FROM traces t WHERE ${w}`).pluck().get(args) as number;
  const rows = db
    .prepare(`SELECT ${COLS}, q.question FROM traces t JOIN questions q ON q.id = t.question_id WHERE ${w} ORDER BY t.id DESC LIMIT @limit OFFSET @offset`)
    .all(args) as (TraceRow & { question: string })[];
  return { total, rows: rows.map((r) => ({ ...r, flags: r.flags ? (JSON.parse(r.flags) as string[]) : [] })) };
}

export function traceRaw(db: DB, id: number): string | null {
  return (db.prepare('SELECT raw FROM traces WHERE id = ?').pluck().get(id) as string | null | undefined) ?? null;
}

export function traceCounts(db: DB, teacher?: string): { done: number; failed: number; questions: number } {
  const r = db
    .prepare(
      `SELECT SUM(status = 'done') AS done, SUM(status = 'failed') AS failed FROM traces WHERE source != 'imported' AND (@teacher IS NULL OR teacher = @teacher)`,
    )
    .get({ teacher: teacher ?? null }) as { done: number | null; failed: number | null };
  const questions = db.prepare('SELECT COUNT(*) FROM questions WHERE excluded = 0').pluck().get() as number;
  return { done: r.done ?? 0, failed: r.failed ?? 0, questions };
}

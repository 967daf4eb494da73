// Every query on the `traces` table (issue 16 §3; Signal's DataInterface is the model). Other domains call
// these functions instead of writing SQL that names `traces`; store/ownership.test.ts enforces it. Rows come
// back as stored (flags as their JSON text): shaping them for a view stays with the domain that shows them.
import type { DB } from '../store/project';

/** A trace as stored, without the raw response (fetched on demand with `traceRaw`). */
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

/** A question with its best generated trace (null fields when it has none yet). */
export interface QuestionBestTrace {
  question_id: number;
  question: string;
  status: 'done' | 'failed' | null;
  thinking: string | null;
  answer: string | null;
  attempts: number | null;
  finish_reason: string | null;
  thinking_tokens: number | null;
  answer_tokens: number | null;
  error: string | null;
  flags: string | null;
}

const COLS = `t.id, t.question_id, t.teacher, t.sample_index, t.status, t.thinking, t.answer, t.finish_reason, t.prompt_tokens, t.thinking_tokens,
  t.answer_tokens, t.latency_ms, t.error, t.attempts, t.reasoning_source, t.flags, t.endpoint, t.job_id, t.created_at`;

/**
 * Each of `questions` (the caller passes the pool's, in import order: pool/ owns them) with its best generated
 * trace (a done trace before a failed one, the lowest sample first), row by row so 60K questions stream.
 */
export function eachQuestionBestTrace(db: DB, teacher: string | null, questions: Iterable<{ id: number; question: string }>, each: (r: QuestionBestTrace) => void): void {
  const best = db.prepare(`
    SELECT status, thinking, answer, attempts, finish_reason, thinking_tokens, answer_tokens, error, flags FROM traces
    WHERE question_id = @question AND source != 'imported' AND (@teacher IS NULL OR teacher = @teacher)
    ORDER BY (status = 'done') DESC, sample_index, id LIMIT 1`);
  for (const q of questions) {
    const t = best.get({ question: q.id, teacher }) as Omit<QuestionBestTrace, 'question_id' | 'question'> | undefined;
    each({
      question_id: q.id,
      question: q.question,
      status: t?.status ?? null,
      thinking: t?.thinking ?? null,
      answer: t?.answer ?? null,
      attempts: t?.attempts ?? null,
      finish_reason: t?.finish_reason ?? null,
      thinking_tokens: t?.thinking_tokens ?? null,
      answer_tokens: t?.answer_tokens ?? null,
      error: t?.error ?? null,
      flags: t?.flags ?? null,
    });
  }
}

/** A page of generated traces, newest first, and how many match in all (the caller adds each question's text from pool/). */
export function pageOfTraces(db: DB, f: { status?: 'done' | 'failed'; teacher?: string; questionId?: number; offset: number; limit: number }) {
  const where = ["t.source != 'imported'"];
  if (f.status) where.push('t.status = @status');
  if (f.teacher) where.push('t.teacher = @teacher');
  if (f.questionId !== undefined) where.push('t.question_id = @questionId');
  const w = where.join(' AND ');
  const args = { status: f.status, teacher: f.teacher, questionId: f.questionId, offset: f.offset, limit: f.limit };
  const total = db.prepare(`SELECT COUNT(*) FROM traces t WHERE ${w}`).pluck().get(args) as number;
  const rows = db
    .prepare(`SELECT ${COLS} FROM traces t WHERE ${w} ORDER BY t.id DESC LIMIT @limit OFFSET @offset`)
    .all(args) as TraceRow[];
  return { total, rows };
}

/** The teacher's raw response of a trace, or null. */
export function traceRaw(db: DB, id: number): string | null {
  return (db.prepare('SELECT raw FROM traces WHERE id = ?').pluck().get(id) as string | null | undefined) ?? null;
}

/** Generated (not imported) traces done and failed, of one teacher or all. */
export function generatedCounts(db: DB, teacher?: string): { done: number; failed: number } {
  const r = db
    .prepare(`SELECT SUM(status = 'done') AS done, SUM(status = 'failed') AS failed FROM traces WHERE source != 'imported' AND (@teacher IS NULL OR teacher = @teacher)`)
    .get({ teacher: teacher ?? null }) as { done: number | null; failed: number | null };
  return { done: r.done ?? 0, failed: r.failed ?? 0 };
}

/** The stored errors of one generation job's failed traces. */
export function jobErrors(db: DB, jobId: number): (string | null)[] {
  return db.prepare("SELECT error FROM traces WHERE job_id = ? AND status = 'failed'").pluck().all(jobId) as (string | null)[];
}

/** One job's done traces, those without thinking and those cut at max tokens. */
export function jobTraceQuality(db: DB, jobId: number): { done: number; noThinking: number; truncated: number } {
  return db
    .prepare(
      `SELECT COUNT(*) AS done, COALESCE(SUM(COALESCE(thinking, '') = ''), 0) AS noThinking, COALESCE(SUM(finish_reason = 'length'), 0) AS truncated
       FROM traces WHERE job_id = ? AND status = 'done'`,
    )
    .get(jobId) as { done: number; noThinking: number; truncated: number };
}

/** The prompt tokens and the thinking + answer tokens of one job's done traces (a resumed job's running totals). */
export function jobTokenSums(db: DB, jobId: number): { input: number; output: number } {
  return db
    .prepare("SELECT COALESCE(SUM(prompt_tokens), 0) AS input, COALESCE(SUM(thinking_tokens), 0) + COALESCE(SUM(answer_tokens), 0) AS output FROM traces WHERE job_id = ? AND status = 'done'")
    .get(jobId) as { input: number; output: number };
}

/** The ids of one job's done traces. */
export function doneTraceIdsOfJob(db: DB, jobId: number): number[] {
  return db.prepare("SELECT id FROM traces WHERE job_id = ? AND status = 'done'").pluck().all(jobId) as number[];
}

/** A lookup of the generated trace of (question, teacher, sample), prepared once for many calls. */
export function generatedTraceLookup(db: DB): (questionId: number, teacher: string, sampleIndex: number) => number | undefined {
  const st = db.prepare("SELECT id FROM traces WHERE question_id = ? AND teacher = ? AND sample_index = ? AND source != 'imported'").pluck();
  return (q, t, s) => st.get(q, t, s) as number | undefined;
}

/** How many traces are done (generated or imported). */
export function doneTraceCount(db: DB): number {
  return db.prepare("SELECT COUNT(*) FROM traces WHERE status = 'done'").pluck().get() as number;
}

/** A lookup of a trace's thinking text by id, prepared once for many calls (null: no thinking, or no such trace). */
export function thinkingLookup(db: DB): (traceId: number) => string | null {
  const st = db.prepare('SELECT thinking FROM traces WHERE id = ?').pluck();
  return (id) => (st.get(id) as string | null | undefined) ?? null;
}

/** Every trace of one question, oldest first (the pool's question detail). */
export function tracesOfQuestion(db: DB, questionId: number) {
  return db.prepare('SELECT id, source, teacher, sample_index, status, thinking, answer, created_at FROM traces WHERE question_id = ? ORDER BY id').all(questionId) as {
    id: number; source: string; teacher: string | null; sample_index: number; status: 'done' | 'failed'; thinking: string | null; answer: string | null; created_at: string;
  }[];
}

/** One trace's text, status, stored flags and creation time, or undefined. */
export function traceText(db: DB, id: number) {
  return db.prepare('SELECT question_id, status, thinking, answer, flags, created_at FROM traces WHERE id = ?').get(id) as
    | { question_id: number; status: 'done' | 'failed'; thinking: string | null; answer: string | null; flags: string | null; created_at: string }
    | undefined;
}

/** Replaces a trace's text and its stored flags (Review's head revision is mirrored here). */
export function setTraceText(db: DB, id: number, thinking: string | null, answer: string | null, flags: string | null): void {
  db.prepare('UPDATE traces SET thinking = ?, answer = ?, flags = ? WHERE id = ?').run(thinking, answer, flags, id);
  noteTextRewrite(db);
}

const textRewrites = new WeakMap<DB, number>();

/**
 * How many times this connection rewrote traces' text in place (an edit, a redo over a trace): the trace count and
 * highest id do not change then, so curation's cache key (sample-reads traceSignature) counts these too.
 */
export function textRewriteCount(db: DB): number {
  return textRewrites.get(db) ?? 0;
}

/** Counts an in-place rewrite of traces' text (see textRewriteCount). */
export function noteTextRewrite(db: DB): void {
  textRewrites.set(db, textRewriteCount(db) + 1);
}

/** Whether a trace with this id exists (any status). */
export function traceExists(db: DB, id: number): boolean {
  return db.prepare('SELECT 1 FROM traces WHERE id = ?').get(id) !== undefined;
}

/** Those of `ids` that name a trace of this project. */
export function existingTraceIds(db: DB, ids: readonly number[]): number[] {
  return db.prepare('SELECT id FROM traces WHERE id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(ids)) as number[];
}

/** A check, prepared once, that a trace id names a done trace. */
export function doneTraceCheck(db: DB): (id: number) => boolean {
  const st = db.prepare("SELECT 1 FROM traces WHERE id = ? AND status = 'done'").pluck();
  return (id) => st.get(id) !== undefined;
}

/** A check, prepared once, that (question, teacher, sample) has a trace, whatever its status or source. */
export function sampleTakenCheck(db: DB): (questionId: number, teacher: string, sampleIndex: number) => boolean {
  const st = db.prepare('SELECT 1 FROM traces WHERE question_id = ? AND teacher = ? AND sample_index = ?').pluck();
  return (q, t, s) => st.get(q, t, s) !== undefined;
}

/** A question's done samples from one teacher below sample `below`, in sample order. */
export function doneSamples(db: DB, questionId: number, teacher: string, below: number): { traceId: number; sampleIndex: number; response: string | null }[] {
  return db
    .prepare("SELECT id AS traceId, sample_index AS sampleIndex, answer AS response FROM traces WHERE question_id = ? AND teacher = ? AND status = 'done' AND sample_index < ? ORDER BY sample_index")
    .all(questionId, teacher, below) as { traceId: number; sampleIndex: number; response: string | null }[];
}

/** A count, prepared once, of a question's distinct done samples from one teacher below sample `below`. */
export function doneSampleCounter(db: DB): (questionId: number, teacher: string, below: number) => number {
  const st = db.prepare("SELECT COUNT(DISTINCT sample_index) FROM traces WHERE question_id = ? AND teacher = ? AND status = 'done' AND sample_index < ?").pluck();
  return (q, t, b) => st.get(q, t, b) as number;
}

/** Stores a done generated trace (a student's attempt: no token counts, no job). */
export function insertDoneTrace(db: DB, t: { questionId: number; teacher: string; sampleIndex: number; thinking: string | null; answer: string | null; raw: string; finishReason: string | null }): void {
  db.prepare("INSERT INTO traces (question_id, source, teacher, sample_index, status, thinking, answer, raw, finish_reason, created_at) VALUES (?, 'generated', ?, ?, 'done', ?, ?, ?, ?, ?)")
    .run(t.questionId, t.teacher, t.sampleIndex, t.thinking, t.answer, t.raw, t.finishReason, new Date().toISOString());
}

/** An insert, prepared once, of a trace imported with its question (an import writes thousands in one transaction). */
export function importedTraceInserter(db: DB): (questionId: number, teacher: string | null, sampleIndex: number, thinking: string | null, answer: string | null, createdAt: string) => void {
  const st = db.prepare(`INSERT INTO traces (question_id, source, teacher, sample_index, status, thinking, answer, created_at) VALUES (?, 'imported', ?, ?, 'done', ?, ?, ?)`);
  return (q, teacher, k, thinking, answer, at) => void st.run(q, teacher, k, thinking, answer, at);
}

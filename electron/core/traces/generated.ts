// The generation job's reads and writes of `traces` (issue 16 §3: traces owns the table; teacher/generate.ts
// calls these instead of writing SQL that names it).
import type { Statement } from 'better-sqlite3';
import type { DB } from '../store/project';
import { noteTextRewrite } from './store';

/**
 * A finished trace that a redo (`redoNoThinking`) may replace: it has no thinking and is not one of `@kept`
 * (a JSON array of the trace ids a person reviewed or edited, which review/ knows). With `@redo = 0` no trace is.
 */
const REDOABLE = `(@redo = 1 AND COALESCE(traces.thinking, '') = '' AND traces.id NOT IN (SELECT value FROM json_each(@kept)))`;
const ANSWERED = `status = 'done' AND source != 'imported' AND NOT ${REDOABLE}`;

/** Whether a redo is asked for and, when it is, the traces it must keep (ids a person reviewed or edited). */
export interface Redo {
  redo: boolean;
  kept: readonly number[];
}
const redoParams = (r: Redo) => ({ redo: r.redo ? 1 : 0, kept: JSON.stringify(r.redo ? r.kept : []) });

/** The `question:sample` keys a teacher has answered (generated, done, and not to be redone): a job plans the others. */
export function answeredKeys(db: DB, teacher: string, r: Redo): Set<string> {
  return new Set(db.prepare(`SELECT question_id || ':' || sample_index FROM traces WHERE teacher = @teacher AND ${ANSWERED}`).pluck().all({ teacher, ...redoParams(r) }) as string[]);
}

/** One generated trace as the job writes it (done, or failed with its error). */
export interface GeneratedTrace {
  q: number;
  s: number;
  teacher: string;
  status: 'done' | 'failed';
  thinking: string | null;
  answer: string | null;
  raw: string | null;
  finish: string | null;
  pt: number | null;
  tt: number | null;
  at: number | null;
  lat: number | null;
  hash: string;
  error: string | null;
  attempts: number;
  now: string;
  rs: string | null;
  flags: string | null;
  endpoint: string;
  job: number;
}

const UPSERT = `INSERT INTO traces (question_id, source, teacher, sample_index, status, thinking, answer, raw, finish_reason, prompt_tokens,
  thinking_tokens, answer_tokens, latency_ms, prompt_hash, error, attempts, created_at, reasoning_source, flags, endpoint, job_id)
  VALUES (@q, 'generated', @teacher, @s, @status, @thinking, @answer, @raw, @finish, @pt, @tt, @at, @lat, @hash, @error, @attempts, @now, @rs, @flags, @endpoint, @job)
  ON CONFLICT(question_id, teacher, sample_index) WHERE source != 'imported' DO UPDATE SET
    status = excluded.status, thinking = excluded.thinking, answer = excluded.answer, raw = excluded.raw, finish_reason = excluded.finish_reason,
    prompt_tokens = excluded.prompt_tokens, thinking_tokens = excluded.thinking_tokens, answer_tokens = excluded.answer_tokens,
    latency_ms = excluded.latency_ms, prompt_hash = excluded.prompt_hash, error = excluded.error, attempts = traces.attempts + excluded.attempts,
    created_at = excluded.created_at, reasoning_source = excluded.reasoning_source, flags = excluded.flags, endpoint = excluded.endpoint, job_id = excluded.job_id
  WHERE traces.status = 'failed' OR (traces.status = 'done' AND ${REDOABLE})`;

/** The generation job's statements, prepared once per database connection (compiling the upsert per item is not free). */
export interface GeneratedTraces {
  /** Whether the teacher has answered this question's sample (see answeredKeys). */
  answered(q: number, teacher: string, s: number, r: Redo): boolean;
  /**
   * Writes a trace over a failed one, or over a finished one that the redo may replace; never over an imported
   * trace or another finished one. How many rows changed (0 or 1).
   */
  upsert(t: GeneratedTrace, r: Redo): number;
}
const prepared = new WeakMap<DB, { answered: Statement; upsert: Statement }>();

export function generatedTraces(db: DB): GeneratedTraces {
  let st = prepared.get(db);
  if (!st) {
    st = {
      answered: db.prepare(`SELECT 1 FROM traces WHERE question_id = @q AND teacher = @teacher AND sample_index = @s AND ${ANSWERED}`),
      upsert: db.prepare(UPSERT),
    };
    prepared.set(db, st);
  }
  const s = st;
  return {
    answered: (q, teacher, sample, r) => s.answered.get({ q, teacher, s: sample, ...redoParams(r) }) !== undefined,
    upsert: (t, r) => {
      const changes = s.upsert.run({ ...t, ...redoParams(r) }).changes;
      // A redo writes over an existing row: same count and ids, new text.
      if (changes) noteTextRewrite(db);
      return changes;
    },
  };
}

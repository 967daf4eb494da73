// The traces as curation and the export read them, over the whole pool at once (issue 16 §3: traces owns
// `traces`; curate/ and export/ call these functions and compose the other domains' rows in memory).
import type { DB } from '../store/project';
import { textRewriteCount } from './store';

/**
 * How many traces, the highest id and how many in-place text rewrites (Review's edits, redos) this connection made:
 * changes whenever a trace is added or its text changes (curation's cache key).
 */
export function traceSignature(db: DB): { t: number; tm: number; e: number } {
  const r = db.prepare('SELECT COUNT(*) AS t, IFNULL(MAX(id), 0) AS tm FROM traces').get() as { t: number; tm: number };
  return { ...r, e: textRewriteCount(db) };
}

/** The trace curation judges for a question, with the text its features are measured on. */
export interface JudgedTrace {
  id: number;
  question_id: number;
  status: 'done' | 'failed';
  error: string | null;
  thinking: string | null;
  answer: string | null;
  finish_reason: string | null;
  flags: string | null;
}

/** Which traces a source choice admits: of `teacher` (any when null), and never of the `excluded` teachers (filter models). */
const SOURCE = '(@teacher IS NULL OR teacher = @teacher) AND (teacher IS NULL OR teacher NOT IN (SELECT value FROM json_each(@excluded)))';

/**
 * Each question's judged trace, row by row so 60K traces stream: of the chosen teacher (or any source that is
 * not an excluded teacher), a done trace before a failed one, then the lowest sample, then the oldest.
 */
export function eachJudgedTrace(db: DB, teacher: string | null, excluded: readonly string[], each: (t: JudgedTrace) => void): void {
  const stmt = db.prepare(`
    SELECT id, question_id, status, error, thinking, answer, finish_reason, flags FROM traces WHERE id IN (
      SELECT id FROM (
        SELECT id, ROW_NUMBER() OVER (PARTITION BY question_id ORDER BY (status = 'done') DESC, sample_index, id) AS rn
        FROM traces WHERE ${SOURCE})
      WHERE rn = 1)`);
  for (const t of stmt.iterate({ teacher, excluded: JSON.stringify(excluded) }) as Iterable<JudgedTrace>) each(t);
}

/** The done traces of these teachers (the filter models' samples), by question, teacher, sample and id. */
export function doneTracesOfTeachers(db: DB, teachers: readonly string[]): { id: number; question_id: number; teacher: string }[] {
  return db
    .prepare(
      `SELECT id, question_id, teacher FROM traces WHERE status = 'done' AND teacher IN (SELECT value FROM json_each(?))
       ORDER BY question_id, teacher, sample_index, id`,
    )
    .all(JSON.stringify(teachers)) as { id: number; question_id: number; teacher: string }[];
}

/**
 * The done traces of these questions admitted by the source choice (see eachJudgedTrace), by question, sample
 * and id; `usable`: 1 when it has thinking (blanks trimmed) and was not cut at the token limit (rejection sampling).
 */
export function doneTracesOf(db: DB, questionIds: readonly number[], teacher: string | null, excluded: readonly string[]): { id: number; question_id: number; usable: number }[] {
  return db
    .prepare(
      `SELECT id, question_id, (TRIM(COALESCE(thinking, '')) != '' AND COALESCE(finish_reason, '') != 'length') AS usable
       FROM traces WHERE status = 'done' AND question_id IN (SELECT value FROM json_each(@ids)) AND ${SOURCE}
       ORDER BY question_id, sample_index, id`,
    )
    .all({ ids: JSON.stringify(questionIds), teacher, excluded: JSON.stringify(excluded) }) as { id: number; question_id: number; usable: number }[];
}

/** A trace as the export writes it (its text as it is now: Review's head revision is mirrored into the row). */
export interface ExportTrace {
  id: number;
  teacher: string | null;
  source: string;
  job_id: number | null;
  sample_index: number;
  thinking: string | null;
  answer: string | null;
  thinking_tokens: number | null;
  answer_tokens: number | null;
  finish_reason: string | null;
}

/** The export's columns of these traces, by id (export/samples.ts). */
export function exportTraces(db: DB, ids: readonly number[]): Map<number, ExportTrace> {
  const rows = db
    .prepare(
      `SELECT id, teacher, source, job_id, sample_index, thinking, answer, thinking_tokens, answer_tokens, finish_reason
       FROM traces WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as ExportTrace[];
  return new Map(rows.map((r) => [r.id, r]));
}

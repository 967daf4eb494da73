// The pool's questions as other domains read them (issue 16 §3: pool owns the `questions` table; other
// folders call these functions instead of writing SQL that names it — store/ownership.test.ts).
import type { DB } from '../store/project';

/** The ids of the questions in the pool (not excluded), in import order. */
export function poolQuestionIds(db: DB): number[] {
  return db.prepare('SELECT id FROM questions WHERE excluded = 0 ORDER BY id').pluck().all() as number[];
}

/** How many questions are in the pool (not excluded). */
export function poolSize(db: DB): number {
  return db.prepare('SELECT COUNT(*) FROM questions WHERE excluded = 0').pluck().get() as number;
}

/** The pool's questions without a reference answer (excluded ones left out), in import order. */
export function unansweredPoolIds(db: DB): number[] {
  return db.prepare("SELECT id FROM questions WHERE excluded = 0 AND (answer IS NULL OR TRIM(answer) = '') ORDER BY id").pluck().all() as number[];
}

export interface QuestionText {
  question: string;
  answer: string | null;
  domain: string | null;
}

/** A question's text, reference answer and domain, or undefined. */
export function questionById(db: DB, id: number): QuestionText | undefined {
  return questionLookup(db)(id);
}

/** `questionById` prepared once for many calls (a generation job asks it per item). */
export function questionLookup(db: DB): (id: number) => QuestionText | undefined {
  const st = db.prepare('SELECT question, answer, domain FROM questions WHERE id = ?');
  return (id) => st.get(id) as QuestionText | undefined;
}

/** Those of `ids` that name a question of the project (excluded or not). */
export function knownQuestionIds(db: DB, ids: readonly number[]): Set<number> {
  return new Set(db.prepare('SELECT id FROM questions WHERE id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(ids)) as number[]);
}

/** The questions (excluded ones too) whose imported domain column is set, with that domain. */
export function questionDomains(db: DB): { id: number; domain: string }[] {
  return db.prepare("SELECT id, domain FROM questions WHERE domain IS NOT NULL AND TRIM(domain) != '' ORDER BY id").all() as { id: number; domain: string }[];
}

/** A lookup, prepared once for many calls, of a question's text by id (undefined: no such question). */
export function questionTextLookup(db: DB): (id: number) => string | undefined {
  const st = db.prepare('SELECT question FROM questions WHERE id = ?').pluck();
  return (id) => st.get(id) as string | undefined;
}

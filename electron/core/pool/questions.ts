// The pool's questions as other domains read them (issue 16 §3: pool owns the `questions` table; other
// folders call these functions instead of writing SQL that names it — store/ownership.test.ts).
import type { DB } from '../store/project';

/** The ids of the questions in the pool (not excluded), in import order. */
export function poolQuestionIds(db: DB): number[] {
  return db.prepare('SELECT id FROM questions WHERE excluded = 0 ORDER BY id').pluck().all() as number[];
}

/** The pool's questions (not excluded) with their text, in import order, read row by row (60K questions stream). */
export function* poolQuestionTexts(db: DB): Generator<{ id: number; question: string }> {
  yield* db.prepare('SELECT id, question FROM questions WHERE excluded = 0 ORDER BY id').iterate() as Iterable<{ id: number; question: string }>;
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

/** A question as augment/ varies it: text, answer, domain, language and whether (and why) it is excluded. */
export interface QuestionForVariant {
  id: number;
  question: string;
  answer: string | null;
  domain: string | null;
  lang: string | null;
  excluded: number;
  exclude_reason: string | null;
}

/** The question `id` with what a variant inherits from it, or undefined (deleted, or a wrong id). */
export function questionForVariant(db: DB, id: number): QuestionForVariant | undefined {
  return db.prepare('SELECT id, question, answer, domain, lang, excluded, exclude_reason FROM questions WHERE id = ?').get(id) as QuestionForVariant | undefined;
}

/** A question whose normalised text has this hash (pool/text.ts `normHash`), or undefined: an exact duplicate check. */
export function questionIdByHash(db: DB, hash: string): number | undefined {
  return db.prepare('SELECT id FROM questions WHERE norm_hash = ? LIMIT 1').pluck().get(hash) as number | undefined;
}

/** Adds a question made inside the project (an augment variant); its id. Runs in the caller's transaction. */
export function insertQuestion(
  db: DB,
  q: { question: string; answer: string | null; domain: string | null; source: string; lang: string | null; metadata: string | null; createdAt: string; normHash: string },
): number {
  return Number(
    db
      .prepare('INSERT INTO questions (question, answer, domain, source, lang, metadata, created_at, norm_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(q.question, q.answer, q.domain, q.source, q.lang, q.metadata, q.createdAt, q.normHash).lastInsertRowid,
  );
}

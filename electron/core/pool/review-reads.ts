// The pool's questions as Review reads them (issue 16 §3: pool owns `questions`; review/ calls these functions
// instead of joining the table).
import type { DB } from '../store/project';

/** A question as Review's editor and bundles show it. */
export interface QuestionDetail {
  id: number;
  ext_id: string | null;
  question: string;
  answer: string | null;
  solution: string | null;
  domain: string | null;
}

/** A question's id, external id, text, reference answer, solution and domain, or undefined (review/sample.ts, review/bundle.ts). */
export function questionDetail(db: DB, id: number): QuestionDetail | undefined {
  return db.prepare('SELECT id, ext_id, question, answer, solution, domain FROM questions WHERE id = ?').get(id) as QuestionDetail | undefined;
}

/**
 * The pool's questions (not excluded) in id order, each with its domain (null: none); only those of `ids` when
 * given. The review queue's scope (the pool, or the frozen selection) and its domains.
 */
export function poolDomains(db: DB, ids?: readonly number[]): Map<number, string | null> {
  const rows = ids
    ? db.prepare('SELECT id, domain FROM questions WHERE excluded = 0 AND id IN (SELECT value FROM json_each(?)) ORDER BY id').raw().all(JSON.stringify(ids))
    : db.prepare('SELECT id, domain FROM questions WHERE excluded = 0 ORDER BY id').raw().all();
  return new Map(rows as [number, string | null][]);
}

/**
 * Those of `ids` whose question contains `search`, ignoring case as SQLite's lower() does (ASCII letters only;
 * the review queue's search box).
 */
export function questionsContaining(db: DB, ids: readonly number[], search: string): Set<number> {
  return new Set(
    db.prepare('SELECT id FROM questions WHERE id IN (SELECT value FROM json_each(?)) AND instr(lower(question), lower(?)) > 0').pluck().all(JSON.stringify(ids), search) as number[],
  );
}

// The pool's question rows as curation, the export, the project overview and the sample project read and write
// them (issue 16 §3: pool owns `questions`, `contamination` and `evalsets`; other folders call these functions
// instead of writing SQL that names them — store/ownership.test.ts).
import type { DB } from '../store/project';
import type { QuestionDetail } from './review-reads';

/** A question as curation weighs it: every question, excluded ones too. */
export interface QuestionFlags {
  id: number;
  question: string;
  excluded: number;
  exclude_reason: string | null;
  domain: string | null;
}

/** Every question (excluded ones too) with its exclusion and domain, in id order (curate/features.ts). */
export function questionFlags(db: DB): QuestionFlags[] {
  return db.prepare('SELECT id, question, excluded, exclude_reason, domain FROM questions ORDER BY id').all() as QuestionFlags[];
}

/** How many questions, the highest id and how many are excluded: changes whenever the pool does (curation's cache key). */
export function questionSignature(db: DB): { q: number; qm: number; x: number } {
  return db
    .prepare('SELECT COUNT(*) AS q, IFNULL(MAX(id), 0) AS qm, (SELECT COUNT(*) FROM questions WHERE excluded = 1) AS x FROM questions')
    .get() as { q: number; qm: number; x: number };
}

/** A question's exclusion, or undefined when there is no such question (curation's pin and exclude). */
export function questionExclusion(db: DB, id: number): { id: number; excluded: number; exclude_reason: string | null } | undefined {
  return db.prepare('SELECT id, excluded, exclude_reason FROM questions WHERE id = ?').get(id) as { id: number; excluded: number; exclude_reason: string | null } | undefined;
}

/** The first `chars` characters of each of these questions' text, by id (questions that do not exist are left out). */
export function questionSnippets(db: DB, ids: readonly number[], chars: number): Map<number, string> {
  const rows = db.prepare('SELECT id, substr(question, 1, ?) AS question FROM questions WHERE id IN (SELECT value FROM json_each(?))').all(chars, JSON.stringify(ids)) as { id: number; question: string }[];
  return new Map(rows.map((r) => [r.id, r.question]));
}

/** A question's first `chars` characters and its domain, or undefined (curation's explanation). */
export function questionSnippet(db: DB, id: number, chars: number): { id: number; question: string; domain: string | null } | undefined {
  return db.prepare('SELECT id, substr(question, 1, ?) AS question, domain FROM questions WHERE id = ?').get(chars, id) as { id: number; question: string; domain: string | null } | undefined;
}

/** Those of `ids` that are excluded from the pool (duplicates, contaminated, removed by hand). */
export function excludedAmong(db: DB, ids: readonly number[]): Set<number> {
  return new Set(db.prepare('SELECT id FROM questions WHERE excluded = 1 AND id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(ids)) as number[]);
}

/** A question as the export writes it. */
export interface ExportQuestion extends QuestionDetail {
  source: string;
  metadata: string | null;
}

/** The export's columns of these questions, by id (export/samples.ts). */
export function exportQuestions(db: DB, ids: readonly number[]): Map<number, ExportQuestion> {
  const rows = db
    .prepare('SELECT id, ext_id, question, answer, solution, domain, source, metadata FROM questions WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(ids)) as ExportQuestion[];
  return new Map(rows.map((r) => [r.id, r]));
}

/** How many questions are excluded from the pool. */
export function excludedCount(db: DB): number {
  return db.prepare('SELECT COUNT(*) FROM questions WHERE excluded = 1').pluck().get() as number;
}

/** The pool's questions (not excluded) per domain ('unlabelled' for none), largest first (the project overview). */
export function poolDomainCounts(db: DB): Record<string, number> {
  const rows = db
    .prepare("SELECT COALESCE(domain, 'unlabelled') AS d, COUNT(*) AS n FROM questions WHERE excluded = 0 GROUP BY d ORDER BY n DESC, d")
    .all() as { d: string; n: number }[];
  const out: Record<string, number> = {};
  for (const r of rows) out[r.d] = r.n;
  return out;
}

/** A question to add to the pool as it is, without the importer's checks (the generated sample project). */
export interface NewQuestion {
  extId: string;
  question: string;
  answer: string | null;
  domain: string | null;
  source: string;
  lang: string | null;
  createdAt: string;
}

/** Adds questions in one transaction. */
export function insertQuestions(db: DB, questions: readonly NewQuestion[]): void {
  const put = db.prepare('INSERT INTO questions (ext_id, question, answer, domain, source, lang, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const q of questions) put.run(q.extId, q.question, q.answer, q.domain, q.source, q.lang, q.createdAt);
  })();
}

/** Each registered evaluation set with its items and the pool questions it flagged, by name (the dataset card). */
export function evalsetFlags(db: DB): { name: string; items: number; flagged: number }[] {
  return db
    .prepare('SELECT e.name, e.items, (SELECT COUNT(DISTINCT c.question_id) FROM contamination c WHERE c.evalset_id = e.id) AS flagged FROM evalsets e ORDER BY e.name')
    .all() as { name: string; items: number; flagged: number }[];
}

/** How many of these questions some evaluation set flagged. */
export function flaggedCount(db: DB, ids: readonly number[]): number {
  return db.prepare('SELECT COUNT(DISTINCT question_id) FROM contamination WHERE question_id IN (SELECT value FROM json_each(?))').pluck().get(JSON.stringify(ids)) as number;
}

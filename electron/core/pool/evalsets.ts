// The evaluation sets (held-out items) and the contamination flags as other domains read them (issue 16 §3:
// pool owns `evalsets`, `evalset_items` and `contamination`; augment/ and eval/ call these functions instead
// of writing SQL that names them — store/ownership.test.ts).
import type { DB } from '../store/project';
import type { EvalItem } from './decontam';

/** Every item of every registered evaluation set, by set name then item (the decontamination index's input). */
export function evalItems(db: DB): EvalItem[] {
  return db.prepare('SELECT e.name AS evalset, i.item, i.question AS text FROM evalset_items i JOIN evalsets e ON e.id = i.evalset_id ORDER BY e.name, i.item').all() as EvalItem[];
}

/** One evaluation item a question was flagged against (set name and item), or undefined when it is clean. Augment refuses to vary it. */
export function contaminationOf(db: DB, questionId: number): { name: string; item: number } | undefined {
  return db.prepare('SELECT e.name, c.item FROM contamination c JOIN evalsets e ON e.id = c.evalset_id WHERE c.question_id = ? LIMIT 1').get(questionId) as
    | { name: string; item: number }
    | undefined;
}

/** A registered evaluation set as a benchmark: its items with a reference answer (`n`) and the pool questions flagged against it. */
export interface EvalsetBenchmark {
  name: string;
  file: string;
  created_at: string;
  n: number;
  flagged: number;
}

/** The registered evaluation sets by name, for eval/'s benchmark list. */
export function evalsetBenchmarks(db: DB): EvalsetBenchmark[] {
  return db
    .prepare(
      `SELECT e.name, e.file, e.created_at, (SELECT COUNT(*) FROM evalset_items i WHERE i.evalset_id = e.id AND i.answer IS NOT NULL AND TRIM(i.answer) != '') AS n,
        (SELECT COUNT(DISTINCT question_id) FROM contamination c WHERE c.evalset_id = e.id) AS flagged
       FROM evalsets e ORDER BY e.name`,
    )
    .all() as EvalsetBenchmark[];
}

/** The items of one evaluation set that have a reference answer, by item; null when no set has that name (eval/ loads it as a benchmark). */
export function answeredEvalsetItems(db: DB, name: string): { item: number; question: string; answer: string }[] | null {
  const rows = db
    .prepare(
      `SELECT i.item, i.question, i.answer FROM evalset_items i JOIN evalsets e ON e.id = i.evalset_id
       WHERE e.name = ? AND i.answer IS NOT NULL AND TRIM(i.answer) != '' ORDER BY i.item`,
    )
    .all(name) as { item: number; question: string; answer: string }[];
  return db.prepare('SELECT 1 FROM evalsets WHERE name = ?').get(name) ? rows : null;
}

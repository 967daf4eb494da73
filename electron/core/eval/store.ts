/** SQLite side of evaluation: the eval_* tables (migration 008) and their queries. */
import type { DB } from '../store/project';
import { sql as schemaSql } from '../store/migrations/008_eval';
import type { BenchQuestion, RunConfig } from './types';

const ready = new WeakSet<DB>();

/** Creates the tables when the project was opened by a build that has not registered migration 8. */
export function ensureEvalSchema(db: DB): void {
  if (ready.has(db)) return;
  db.exec(schemaSql);
  ready.add(db);
}

export interface EvalRunRow {
  id: string;
  name: string | null;
  job_id: number | null;
  config: string;
  total: number;
  report_html: string | null;
  report_json: string | null;
  created_at: string;
  ended_at: string | null;
}

export interface ResultRow {
  run_id: string;
  model: number;
  benchmark: string;
  qidx: number;
  budget: number;
  sample: number;
  thinking: string;
  answer: string;
  extracted: string | null;
  correct: number | null;
  method: string;
  reason: string;
  thinking_tokens: number;
  answer_tokens: number;
  waits: number;
  hit_budget: number;
  ttft_ms: number | null;
  total_ms: number;
  tokens_per_s: number | null;
  error: string | null;
  created_at: string;
}

export interface RunQuestionRow extends BenchQuestion {
  benchmark: string;
  qidx: number;
}

export function insertEvalRun(db: DB, r: { id: string; config: RunConfig; questions: RunQuestionRow[]; total: number }): void {
  ensureEvalSchema(db);
  db.transaction(() => {
    db.prepare('INSERT INTO eval_runs (id, name, config, total, created_at) VALUES (?, ?, ?, ?, ?)').run(r.id, r.config.name, JSON.stringify(r.config), r.total, new Date().toISOString());
    const ins = db.prepare('INSERT INTO eval_run_questions (run_id, benchmark, qidx, qid, question, reference) VALUES (?, ?, ?, ?, ?, ?)');
    for (const q of r.questions) ins.run(r.id, q.benchmark, q.qidx, q.qid, q.question, q.reference);
  })();
}

export function getEvalRun(db: DB, id: string): EvalRunRow | undefined {
  ensureEvalSchema(db);
  return db.prepare('SELECT * FROM eval_runs WHERE id = ?').get(id) as EvalRunRow | undefined;
}

export function listEvalRuns(db: DB, limit = 200): EvalRunRow[] {
  ensureEvalSchema(db);
  return db.prepare('SELECT * FROM eval_runs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as EvalRunRow[];
}

export function updateEvalRun(db: DB, id: string, fields: Partial<Pick<EvalRunRow, 'job_id' | 'report_html' | 'report_json' | 'ended_at'>>): void {
  ensureEvalSchema(db);
  const keys = Object.keys(fields);
  if (keys.length === 0) return;
  db.prepare(`UPDATE eval_runs SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...fields, id });
}

export function deleteEvalRun(db: DB, id: string): void {
  ensureEvalSchema(db);
  db.transaction(() => {
    db.prepare('DELETE FROM eval_results WHERE run_id = ?').run(id);
    db.prepare('DELETE FROM eval_run_questions WHERE run_id = ?').run(id);
    db.prepare('DELETE FROM eval_runs WHERE id = ?').run(id);
  })();
}

export function runQuestions(db: DB, runId: string): RunQuestionRow[] {
  ensureEvalSchema(db);
  return db.prepare('SELECT benchmark, qidx, qid, question, reference FROM eval_run_questions WHERE run_id = ? ORDER BY benchmark, qidx').all(runId) as RunQuestionRow[];
}

export function runQuestion(db: DB, runId: string, benchmark: string, qidx: number): RunQuestionRow | undefined {
  return db.prepare('SELECT benchmark, qidx, qid, question, reference FROM eval_run_questions WHERE run_id = ? AND benchmark = ? AND qidx = ?').get(runId, benchmark, qidx) as
    | RunQuestionRow
    | undefined;
}

/** Inserts one generation; the primary key makes a second insert of the same item fail loudly. */
export function insertResult(db: DB, r: Omit<ResultRow, 'created_at'>): void {
  db.prepare(
    `INSERT INTO eval_results (run_id, model, benchmark, qidx, budget, sample, thinking, answer, extracted, correct, method, reason, thinking_tokens,
      answer_tokens, waits, hit_budget, ttft_ms, total_ms, tokens_per_s, error, created_at)
     VALUES (@run_id, @model, @benchmark, @qidx, @budget, @sample, @thinking, @answer, @extracted, @correct, @method, @reason, @thinking_tokens,
      @answer_tokens, @waits, @hit_budget, @ttft_ms, @total_ms, @tokens_per_s, @error, @created_at)`,
  ).run({ ...r, created_at: new Date().toISOString() });
}

/** Whether the generation has a stored row (`okOnly`: a row without an error). */
export function hasResult(db: DB, runId: string, model: number, benchmark: string, qidx: number, budget: number, sample: number, okOnly = false): boolean {
  const sql = `SELECT 1 FROM eval_results WHERE run_id = ? AND model = ? AND benchmark = ? AND qidx = ? AND budget = ? AND sample = ?${okOnly ? ' AND error IS NULL' : ''}`;
  return Boolean(db.prepare(sql).get(runId, model, benchmark, qidx, budget, sample));
}

/** The stored settings; a run made before repeats existed ran each cell once. */
export function parseConfig(row: EvalRunRow): RunConfig {
  const c = JSON.parse(row.config) as RunConfig;
  return { ...c, repeats: c.repeats ?? 1 };
}

/** The folders of the models added on the Evaluate step (doctor/ checks them). Creates no table. */
export function evalModelDirs(db: DB): string[] {
  return db.prepare('SELECT dir FROM eval_models').pluck().all() as string[];
}

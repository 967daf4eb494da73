import { poolQuestionIds } from '../pool/questions';
import type { DB } from '../store/project';
import type { EmbedModel } from './model';

/** Records (or touches) a model identity. */
export function upsertModel(db: DB, m: EmbedModel, dims: number | null = null): void {
  const now = new Date().toISOString();
  db.prepare(
    `INSERT INTO embedding_models (key, dir, dtype, max_length, dims, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET dir = excluded.dir, last_used_at = excluded.last_used_at, dims = COALESCE(excluded.dims, embedding_models.dims)`,
  ).run(m.key, m.dir, m.dtype, m.maxLength, dims, now, now);
}

export function saveVectors(db: DB, model: string, rows: readonly { questionId: number; vector: Float32Array }[]): void {
  const put = db.prepare('INSERT OR REPLACE INTO question_embeddings (model, question_id, vector) VALUES (?, ?, ?)');
  for (const r of rows) put.run(model, r.questionId, Buffer.from(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength));
  if (rows[0]) db.prepare('UPDATE embedding_models SET dims = ? WHERE key = ? AND dims IS NULL').run(rows[0].vector.length, model);
}

/** The ids of the questions that have a vector of this model (the embedding job plans the others). */
export function embeddedIds(db: DB, model: string): Set<number> {
  return new Set(db.prepare('SELECT question_id FROM question_embeddings WHERE model = ?').pluck().all(model) as number[]);
}

/** The pool's questions (excluded ones left out) as ONE json_each parameter: vectors count only while their question is in the pool. */
const IN_POOL = 'e.question_id IN (SELECT value FROM json_each(?))';
const poolParam = (db: DB) => JSON.stringify(poolQuestionIds(db));

export interface VectorSet {
  ids: number[];
  dims: number;
  /** ids.length × dims, row-major. */
  data: Float32Array;
}

/** Every stored vector of a model for questions still in the pool (excluded questions left out), by question id. */
export function loadVectors(db: DB, model: string): VectorSet {
  const rows = db
    .prepare(`SELECT e.question_id AS id, e.vector AS v FROM question_embeddings e WHERE e.model = ? AND ${IN_POOL} ORDER BY e.question_id`)
    .all(model, poolParam(db)) as { id: number; v: Buffer }[];
  const dims = rows[0] ? rows[0].v.byteLength / 4 : 0;
  const data = new Float32Array(rows.length * dims);
  const ids: number[] = new Array<number>(rows.length);
  rows.forEach((r, i) => {
    ids[i] = r.id;
    data.set(new Float32Array(r.v.buffer, r.v.byteOffset, dims), i * dims);
  });
  return { ids, dims, data };
}

/** What the vectors of a model were computed over: count and id range (clusters are recomputed when it changes). */
export function vectorSignature(db: DB, model: string): string {
  const r = db
    .prepare(`SELECT COUNT(*) AS n, IFNULL(MIN(e.question_id), 0) AS lo, IFNULL(MAX(e.question_id), 0) AS hi, IFNULL(SUM(e.question_id), 0) AS s FROM question_embeddings e WHERE e.model = ? AND ${IN_POOL}`)
    .get(model, poolParam(db)) as { n: number; lo: number; hi: number; s: number };
  return `${r.n}/${r.lo}/${r.hi}/${r.s}`;
}

export interface ModelStatus {
  key: string;
  dir: string;
  dtype: string;
  maxLength: number;
  dims: number | null;
  embedded: number;
  lastUsedAt: string;
}

/** Embedding models known to the project, newest first, with how many pool questions each has embedded. */
export function listModels(db: DB): ModelStatus[] {
  return (
    db
      .prepare(
        `SELECT m.key, m.dir, m.dtype, m.max_length AS maxLength, m.dims, m.last_used_at AS lastUsedAt,
                (SELECT COUNT(*) FROM question_embeddings e WHERE e.model = m.key AND ${IN_POOL}) AS embedded
         FROM embedding_models m ORDER BY m.last_used_at DESC`,
      )
      .all(poolParam(db)) as ModelStatus[]
  );
}

/** Pool questions (not excluded) without a vector of this model. */
export function missingCount(db: DB, model: string): number {
  const pool = poolQuestionIds(db);
  const embedded = db.prepare(`SELECT COUNT(*) FROM question_embeddings e WHERE e.model = ? AND ${IN_POOL}`).pluck().get(model, JSON.stringify(pool)) as number;
  return pool.length - embedded;
}

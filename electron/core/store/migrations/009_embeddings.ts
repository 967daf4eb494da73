// Schema 9: question embeddings computed in the app (electron/core/embed) and their k-means clusters.
// Never edit this file once released: add a new numbered migration instead.
// IF NOT EXISTS: the embed module creates these tables itself on a project opened by a build that has not
// registered this migration yet (electron/core/embed/store.ts); the migration then runs as a no-op.
export const sql = /* sql */ `
-- One row per embedding model identity: a hash of the folder's config.json, tokenizer.json and ONNX
-- weights, with the precision and the token limit. Another model (or the same folder with new weights)
-- gets another key, so its vectors are computed afresh.
CREATE TABLE IF NOT EXISTS embedding_models (
  key          TEXT PRIMARY KEY,
  dir          TEXT NOT NULL,
  dtype        TEXT NOT NULL,
  max_length   INTEGER NOT NULL,
  dims         INTEGER,
  created_at   TEXT NOT NULL,
  last_used_at TEXT NOT NULL
);

-- One L2-normalised float32 vector (little-endian) per question and model.
CREATE TABLE IF NOT EXISTS question_embeddings (
  model       TEXT NOT NULL REFERENCES embedding_models(key) ON DELETE CASCADE,
  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  vector      BLOB NOT NULL,
  PRIMARY KEY (model, question_id)
) WITHOUT ROWID;

-- A k-means run over a model's vectors (k, seed); the labels themselves are in domain_labels
-- (source 'cluster') under the taxonomy name stored here. signature: the vectors it was computed from.
CREATE TABLE IF NOT EXISTS embedding_clusters (
  model      TEXT NOT NULL REFERENCES embedding_models(key) ON DELETE CASCADE,
  k          INTEGER NOT NULL,
  seed       INTEGER NOT NULL,
  signature  TEXT NOT NULL,
  taxonomy   TEXT NOT NULL,
  iterations INTEGER NOT NULL,
  inertia    REAL NOT NULL,
  sizes      TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (model, k, seed)
);
`;

// Schema 8: evaluation with budget forcing (electron/core/eval): imported benchmarks, model folders added
// for evaluation, runs (a durable `eval` job each), the questions a run froze and one row per generation.
// Never edit this file once released: add a new numbered migration instead.
// IF NOT EXISTS: the eval module creates these tables itself on a project opened by a build that has not
// registered this migration yet (electron/core/eval/store.ts); the migration then runs as a no-op.
export const sql = /* sql */ `
CREATE TABLE IF NOT EXISTS eval_benchmarks (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  file        TEXT NOT NULL,
  items       INTEGER NOT NULL,
  rejected    INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS eval_benchmark_items (
  benchmark_id INTEGER NOT NULL REFERENCES eval_benchmarks(id) ON DELETE CASCADE,
  qidx         INTEGER NOT NULL,
  qid          TEXT NOT NULL,
  question     TEXT NOT NULL,
  reference    TEXT NOT NULL,
  PRIMARY KEY (benchmark_id, qidx)
);

-- Model folders the user added on the Evaluate step (teachers and training runs are listed from their own tables).
CREATE TABLE IF NOT EXISTS eval_models (
  dir         TEXT PRIMARY KEY,
  label       TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

-- One row per evaluation run; config is the normalised RunConfig (models, benchmarks, budgets, k ...).
CREATE TABLE IF NOT EXISTS eval_runs (
  id          TEXT PRIMARY KEY,
  name        TEXT,
  job_id      INTEGER,
  config      TEXT NOT NULL,
  total       INTEGER NOT NULL,
  report_html TEXT,
  report_json TEXT,
  created_at  TEXT NOT NULL,
  ended_at    TEXT
);

-- The questions a run evaluates, frozen when it starts (a benchmark file may change later).
CREATE TABLE IF NOT EXISTS eval_run_questions (
  run_id     TEXT NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
  benchmark  TEXT NOT NULL,
  qidx       INTEGER NOT NULL,
  qid        TEXT NOT NULL,
  question   TEXT NOT NULL,
  reference  TEXT NOT NULL,
  PRIMARY KEY (run_id, benchmark, qidx)
);

-- One budget-forced generation: model and budget are indexes into the run's config.
CREATE TABLE IF NOT EXISTS eval_results (
  run_id          TEXT NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
  model           INTEGER NOT NULL,
  benchmark       TEXT NOT NULL,
  qidx            INTEGER NOT NULL,
  budget          INTEGER NOT NULL,
  sample          INTEGER NOT NULL,
  thinking        TEXT NOT NULL DEFAULT '',
  answer          TEXT NOT NULL DEFAULT '',
  extracted       TEXT,
  correct         INTEGER,
  method          TEXT NOT NULL DEFAULT 'none',
  reason          TEXT NOT NULL DEFAULT '',
  thinking_tokens INTEGER NOT NULL DEFAULT 0,
  answer_tokens   INTEGER NOT NULL DEFAULT 0,
  waits           INTEGER NOT NULL DEFAULT 0,
  hit_budget      INTEGER NOT NULL DEFAULT 0,
  ttft_ms         REAL,
  total_ms        REAL NOT NULL DEFAULT 0,
  tokens_per_s    REAL,
  error           TEXT,
  created_at      TEXT NOT NULL,
  PRIMARY KEY (run_id, model, benchmark, qidx, budget, sample)
);
CREATE INDEX IF NOT EXISTS eval_results_cell ON eval_results(run_id, model, benchmark, budget);
`;

// Schema 6: training runs launched from the engine (electron/core/train/job.ts) and their event streams.
// Never edit this file once released: add a new numbered migration instead.
// IF NOT EXISTS: the train module creates these tables itself on a project opened by a build that has not
// registered this migration yet (electron/core/train/store.ts); the migration then runs as a no-op.
export const sql = /* sql */ `
-- One row per training run. dir is relative to the project (artifacts/runs/<id>); config is the run config
-- written to dir/config.json, plan the planner's verdict at launch.
CREATE TABLE IF NOT EXISTS train_runs (
  id          TEXT PRIMARY KEY,
  job_id      INTEGER,
  dir         TEXT NOT NULL,
  config      TEXT NOT NULL,
  plan        TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'queued',
  pid         INTEGER,
  step        INTEGER,
  max_steps   INTEGER,
  loss        REAL,
  error       TEXT,
  created_at  TEXT NOT NULL,
  ended_at    TEXT
);
CREATE INDEX IF NOT EXISTS train_runs_job ON train_runs(job_id);

-- Every JSON-lines event the worker printed, in order (also appended to dir/events.jsonl).
CREATE TABLE IF NOT EXISTS train_events (
  run_id  TEXT NOT NULL REFERENCES train_runs(id) ON DELETE CASCADE,
  seq     INTEGER NOT NULL,
  kind    TEXT NOT NULL,
  event   TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
`;

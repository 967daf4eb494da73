// Schema 5: curation (s1's quality, difficulty and diversity selection), explained and reproducible.
// Never edit this file once released: add a new numbered migration instead.
// IF NOT EXISTS: the curation module can create these tables on a project opened by a build that has not
// registered this migration yet (see electron/core/curate/schema.ts); the migration then runs as a no-op.
export const sql = /* sql */ `
-- One row per stored curation run: the whole recipe (every knob and the seed) and its result.
CREATE TABLE IF NOT EXISTS curation_runs (
  id         INTEGER PRIMARY KEY,
  name       TEXT,
  recipe     TEXT NOT NULL,
  seed       INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  funnel     TEXT NOT NULL,
  domains    TEXT NOT NULL,
  histogram  TEXT,
  notes      TEXT,
  selected   INTEGER NOT NULL,
  frozen_at  TEXT
);

-- Why every question was kept or dropped in a run: the stage, the rule and its values.
CREATE TABLE IF NOT EXISTS curation_decisions (
  run_id      INTEGER NOT NULL REFERENCES curation_runs(id) ON DELETE CASCADE,
  question_id INTEGER NOT NULL,
  kept        INTEGER NOT NULL CHECK (kept IN (0, 1)),
  stage       TEXT NOT NULL,
  rule        TEXT NOT NULL,
  detail      TEXT,
  domain      TEXT,
  pick        INTEGER,
  PRIMARY KEY (run_id, question_id)
);
CREATE INDEX IF NOT EXISTS curation_decisions_filter ON curation_decisions(run_id, kept, stage);

-- The user's manual decisions; they survive every re-run.
CREATE TABLE IF NOT EXISTS curation_overrides (
  question_id INTEGER PRIMARY KEY REFERENCES questions(id) ON DELETE CASCADE,
  action      TEXT NOT NULL CHECK (action IN ('pin', 'exclude')),
  note        TEXT,
  created_at  TEXT NOT NULL
);

-- Domain labels per taxonomy: from the imported column, a teacher's labelling job, or clusters.
CREATE TABLE IF NOT EXISTS domain_labels (
  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  taxonomy    TEXT NOT NULL,
  label       TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('column', 'teacher', 'cluster')),
  raw         TEXT,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (question_id, taxonomy)
);
CREATE INDEX IF NOT EXISTS domain_labels_taxonomy ON domain_labels(taxonomy, label);

-- User taxonomies (the two-digit MSC ships with the app and is not stored here).
CREATE TABLE IF NOT EXISTS curation_taxonomies (
  name       TEXT PRIMARY KEY,
  entries    TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Thinking length in a student's tokens, per trace and tokenizer (tokenising 60K traces once, not per run).
CREATE TABLE IF NOT EXISTS curation_token_counts (
  tokenizer TEXT NOT NULL,
  trace_id  INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
  tokens    INTEGER NOT NULL,
  PRIMARY KEY (tokenizer, trace_id)
);
`;

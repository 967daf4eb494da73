// Schema 13: data distillation (electron/core/augment) and rubric judging (electron/core/verification).
// Never edit this file once released: add a new numbered migration instead.
export const sql = /* sql */ `
-- A question written by the teacher from another one (paraphrase, new numbers, harder, translated): its parent.
CREATE TABLE question_variants (
  question_id   INTEGER PRIMARY KEY REFERENCES questions(id) ON DELETE CASCADE,
  parent_id     INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  kind          TEXT NOT NULL CHECK (kind IN ('paraphrase', 'numbers', 'harder', 'translate')),
  teacher       TEXT NOT NULL,
  -- Where the variant's reference answer came from: the parent's (same problem), re-derived by the teacher, or none.
  answer_origin TEXT NOT NULL CHECK (answer_origin IN ('parent', 'rederived', 'none')),
  job_id        INTEGER,
  created_at    TEXT NOT NULL
);
CREATE INDEX question_variants_parent ON question_variants(parent_id);

-- Every variant the augmentation job asked for, kept or not: what came back and why it was dropped or refused.
CREATE TABLE augment_outcomes (
  job_id      INTEGER NOT NULL,
  parent_id   INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('added', 'dropped', 'refused')),
  reason      TEXT,
  question_id INTEGER,
  text        TEXT,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (job_id, parent_id, kind)
);

-- A pseudo-reference for a question without an answer: the teacher's majority answer over K samples. Never
-- written into questions.answer, so that nothing treats it as ground truth without saying so.
CREATE TABLE pseudo_labels (
  question_id INTEGER PRIMARY KEY REFERENCES questions(id) ON DELETE CASCADE,
  answer      TEXT,
  votes       INTEGER NOT NULL,
  samples     INTEGER NOT NULL,
  agreement   REAL NOT NULL,
  unsure      INTEGER NOT NULL CHECK (unsure IN (0, 1)),
  teacher     TEXT NOT NULL,
  groups      TEXT NOT NULL,
  job_id      INTEGER,
  created_at  TEXT NOT NULL
);
CREATE INDEX pseudo_labels_unsure ON pseudo_labels(unsure);

-- Rubrics: criteria with weights in the user's words, and a pass threshold on the weighted total (0..1).
CREATE TABLE rubrics (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  criteria    TEXT NOT NULL,
  threshold   REAL NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

-- One judge's rubric verdict on one trace: per-criterion scores with a one-line reason, the weighted total.
CREATE TABLE rubric_verdicts (
  rubric_id  INTEGER NOT NULL REFERENCES rubrics(id) ON DELETE CASCADE,
  trace_id   INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
  judge      TEXT NOT NULL,
  scores     TEXT,
  total      REAL,
  passed     INTEGER CHECK (passed IN (0, 1)),
  reason     TEXT NOT NULL,
  checked_at TEXT NOT NULL,
  PRIMARY KEY (rubric_id, trace_id, judge)
);

-- The user's own pass/fail for a trace under a rubric (calibration); kept when the judges are asked again.
CREATE TABLE rubric_marks (
  rubric_id  INTEGER NOT NULL REFERENCES rubrics(id) ON DELETE CASCADE,
  trace_id   INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
  passed     INTEGER NOT NULL CHECK (passed IN (0, 1)),
  marked_at  TEXT NOT NULL,
  PRIMARY KEY (rubric_id, trace_id)
);
`;

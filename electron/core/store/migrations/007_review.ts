// Schema 7: the review workspace — every revision of a reviewed trace, review settings, bundle imports.
// Never edit this file once released: add a new numbered migration instead.
export const sql = /* sql */ `
-- The history of a trace's text. n = 0 is the teacher's original (written on the first change); every save
-- gets a larger n. traces.thinking / traces.answer always equal the head (largest n) once a revision exists.
-- An autosave burst by one window replaces its own head (the row is deleted and re-inserted as n + 1), so
-- numbers may have gaps and a window holding an old n always notices a newer save (see review/revisions.ts).
CREATE TABLE review_revisions (
  trace_id      INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
  n             INTEGER NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('original', 'edit', 'undo', 'regenerate', 'import', 'merge')),
  author        TEXT,
  client_id     TEXT,
  thinking      TEXT NOT NULL,
  answer        TEXT NOT NULL,
  digest        TEXT NOT NULL,
  restored_from INTEGER,
  saves         INTEGER NOT NULL DEFAULT 1,
  note          TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (trace_id, n)
);
CREATE INDEX review_revisions_digest ON review_revisions(trace_id, digest);

-- Per-project review settings (JSON values): reasons for reject / needs work, the student tokenizer folder.
CREATE TABLE review_settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Every review decision as it was made (reviews holds the latest); bundles use it to find the decision both
-- copies of a project last shared.
CREATE TABLE review_decision_log (
  trace_id INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
  at       TEXT NOT NULL,
  status   TEXT NOT NULL,
  reviewer TEXT,
  comment  TEXT
);
CREATE INDEX review_decision_log_trace ON review_decision_log(trace_id, at);

-- The other side of a bundle conflict, until a merge revision resolves it: that revision then records the
-- digest as a parent, so the merged text counts as containing the other copy's text on the way back.
CREATE TABLE review_pending_merges (
  trace_id  INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
  digest    TEXT NOT NULL,
  bundle_id TEXT NOT NULL,
  PRIMARY KEY (trace_id, digest)
);

-- Bundles imported into this project (for reports; idempotence itself comes from text digests).
CREATE TABLE review_bundle_imports (
  bundle_id   TEXT PRIMARY KEY,
  file        TEXT NOT NULL,
  applied     INTEGER NOT NULL,
  unchanged   INTEGER NOT NULL,
  conflicts   INTEGER NOT NULL,
  imported_at TEXT NOT NULL
);

-- The review queue reads traces through this covering index: thinking_tokens and answer_tokens lie after the
-- long thinking text in a traces row, and reading them from the row walks every overflow page of the thinking.
CREATE INDEX traces_review ON traces(question_id, status, teacher, thinking_tokens, answer_tokens);
-- The queue filters by status and reviewer over ~1,000 rows.
CREATE INDEX IF NOT EXISTS reviews_status ON reviews(status);
CREATE INDEX IF NOT EXISTS reviews_reviewer ON reviews(reviewer);
`;

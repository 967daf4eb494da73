// Schema 1: the project, its question pool, traces, the frozen selection, reviews and durable jobs.
// Never edit this file once released: add a new numbered migration instead.
export const sql = /* sql */ `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE questions (
  id             INTEGER PRIMARY KEY,
  ext_id         TEXT,
  question       TEXT NOT NULL,
  answer         TEXT,
  solution       TEXT,
  domain         TEXT,
  source         TEXT NOT NULL,
  lang           TEXT,
  excluded       INTEGER NOT NULL DEFAULT 0,
  exclude_reason TEXT,
  metadata       TEXT,
  created_at     TEXT NOT NULL
);
CREATE INDEX questions_domain ON questions(domain);
CREATE INDEX questions_source ON questions(source);

CREATE TABLE traces (
  id              INTEGER PRIMARY KEY,
  question_id     INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  source          TEXT NOT NULL,
  teacher         TEXT,
  sample_index    INTEGER NOT NULL DEFAULT 0,
  status          TEXT NOT NULL CHECK (status IN ('done', 'failed')),
  thinking        TEXT,
  answer          TEXT,
  raw             TEXT,
  finish_reason   TEXT,
  prompt_tokens   INTEGER,
  thinking_tokens INTEGER,
  answer_tokens   INTEGER,
  latency_ms      INTEGER,
  prompt_hash     TEXT,
  error           TEXT,
  attempts        INTEGER NOT NULL DEFAULT 1,
  created_at      TEXT NOT NULL
);
CREATE INDEX traces_question ON traces(question_id);

CREATE TABLE selection (
  question_id INTEGER PRIMARY KEY REFERENCES questions(id) ON DELETE CASCADE,
  run_id      INTEGER,
  pinned      INTEGER NOT NULL DEFAULT 0,
  frozen_at   TEXT NOT NULL
);

CREATE TABLE reviews (
  trace_id   INTEGER PRIMARY KEY REFERENCES traces(id) ON DELETE CASCADE,
  status     TEXT NOT NULL CHECK (status IN ('todo', 'accepted', 'rejected', 'needs_work')),
  reviewer   TEXT,
  comment    TEXT,
  updated_at TEXT NOT NULL
);

CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,
  label        TEXT,
  params       TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'cancelled', 'failed', 'done')),
  total        INTEGER,
  done         INTEGER NOT NULL DEFAULT 0,
  failed       INTEGER NOT NULL DEFAULT 0,
  error        TEXT,
  owner_pid    INTEGER,
  owner_host   TEXT,
  heartbeat_at TEXT,
  created_at   TEXT NOT NULL,
  started_at   TEXT,
  ended_at     TEXT,
  updated_at   TEXT NOT NULL
);
CREATE INDEX jobs_status ON jobs(status);

CREATE TABLE job_items (
  job_id   INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  seq      INTEGER NOT NULL,
  key      TEXT NOT NULL,
  payload  TEXT,
  status   TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  error    TEXT,
  result   TEXT,
  ended_at TEXT,
  PRIMARY KEY (job_id, key)
);
CREATE INDEX job_items_pending ON job_items(job_id, status, seq);
`;

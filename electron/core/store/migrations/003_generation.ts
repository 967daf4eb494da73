// Schema 3: teachers and trace generation.
// Never edit this file once released: add a new numbered migration instead.
export const sql = /* sql */ `
CREATE TABLE teachers (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  preset        TEXT,
  base_urls     TEXT NOT NULL,
  model         TEXT NOT NULL,
  headers       TEXT,
  key_ref       TEXT,
  system_prompt TEXT,
  price_input   REAL,
  price_output  REAL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

CREATE TABLE generation_settings (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  settings   TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

ALTER TABLE traces ADD COLUMN reasoning_source TEXT;
ALTER TABLE traces ADD COLUMN flags TEXT;
ALTER TABLE traces ADD COLUMN endpoint TEXT;
ALTER TABLE traces ADD COLUMN job_id INTEGER;

CREATE UNIQUE INDEX traces_one_result ON traces(question_id, teacher, sample_index) WHERE source != 'imported';
CREATE INDEX traces_job ON traces(job_id);
`;

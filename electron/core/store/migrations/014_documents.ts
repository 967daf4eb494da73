// Schema 14: documents in, questions from chunks (electron/core/docs): the files read, each page's accounting,
// the chunks with their provenance, and the link from a synthesized question to the chunk it came from.
// Never edit this file once released: add a new numbered migration instead.
export const sql = /* sql */ `
-- One row per file (or .zip member) added: read, partly read (scanned pages), or failed with its sentence.
CREATE TABLE documents (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  path          TEXT,
  kind          TEXT NOT NULL,
  sha256        TEXT NOT NULL,
  bytes         INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('ok', 'partial', 'failed')),
  error         TEXT,
  notes         TEXT,
  title         TEXT,
  paged         INTEGER NOT NULL DEFAULT 0,
  pages         INTEGER NOT NULL DEFAULT 0,
  pages_text    INTEGER NOT NULL DEFAULT 0,
  pages_scanned INTEGER NOT NULL DEFAULT 0,
  chars         INTEGER NOT NULL DEFAULT 0,
  chunks        INTEGER NOT NULL DEFAULT 0,
  tokens        INTEGER NOT NULL DEFAULT 0,
  tokenizer     TEXT,
  text          TEXT,
  created_at    TEXT NOT NULL
);
CREATE INDEX documents_sha ON documents(sha256);

CREATE TABLE document_pages (
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  page        INTEGER NOT NULL,
  chars       INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('text', 'scanned', 'ocr', 'empty')),
  PRIMARY KEY (document_id, page)
);

-- A chunk is an exact slice of its document's text: text = substr(documents.text, start_char + 1, end_char - start_char).
CREATE TABLE chunks (
  id           INTEGER PRIMARY KEY,
  document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  page_from    INTEGER NOT NULL,
  page_to      INTEGER NOT NULL,
  heading_path TEXT NOT NULL,
  start_char   INTEGER NOT NULL,
  end_char     INTEGER NOT NULL,
  tokens       INTEGER NOT NULL,
  text         TEXT NOT NULL,
  UNIQUE (document_id, seq)
);

-- A synthesized question (questions.source = 'synthesized') and the chunk it was written from, with the verbatim
-- quote that supports its answer and where that quote sits in the chunk's text.
CREATE TABLE question_chunks (
  question_id INTEGER PRIMARY KEY REFERENCES questions(id) ON DELETE CASCADE,
  chunk_id    INTEGER NOT NULL REFERENCES chunks(id),
  qtype       TEXT,
  quote       TEXT NOT NULL,
  quote_start INTEGER,
  quote_end   INTEGER,
  teacher     TEXT,
  job_id      INTEGER,
  created_at  TEXT NOT NULL
);
CREATE INDEX question_chunks_chunk ON question_chunks(chunk_id);

-- Every question the synthesis job got back, kept or not: accepted, a duplicate of the pool, or rejected with why.
CREATE TABLE synth_outcomes (
  id          INTEGER PRIMARY KEY,
  job_id      INTEGER NOT NULL,
  chunk_id    INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('accepted', 'duplicate', 'rejected')),
  reason      TEXT,
  question_id INTEGER,
  question    TEXT,
  raw         TEXT,
  created_at  TEXT NOT NULL
);
CREATE INDEX synth_outcomes_job ON synth_outcomes(job_id, status);
`;

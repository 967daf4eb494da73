// Schema 2: the question pool's imports, evaluation sets, deduplication and decontamination.
// Never edit this file once released: add a new numbered migration instead.
export const sql = /* sql */ `
ALTER TABLE questions ADD COLUMN norm_hash TEXT;
ALTER TABLE questions ADD COLUMN import_id INTEGER;
ALTER TABLE questions ADD COLUMN source_line INTEGER;
CREATE INDEX questions_norm_hash ON questions(norm_hash);
CREATE INDEX questions_import ON questions(import_id);

-- One row per import (or dry run that was committed): what was read, how it was mapped, and the accounting.
CREATE TABLE imports (
  id          INTEGER PRIMARY KEY,
  file        TEXT NOT NULL,
  format      TEXT NOT NULL,
  compressed  INTEGER NOT NULL DEFAULT 0,
  shape       TEXT NOT NULL,
  mapping     TEXT NOT NULL,
  read        INTEGER NOT NULL,
  imported    INTEGER NOT NULL,
  duplicates  INTEGER NOT NULL,
  rejected    INTEGER NOT NULL,
  traces      INTEGER NOT NULL DEFAULT 0,
  report_path TEXT,
  created_at  TEXT NOT NULL
);

-- Every row read that did not become a question: rejected (with a reason) or a duplicate (with what it duplicates).
CREATE TABLE import_rejects (
  id           INTEGER PRIMARY KEY,
  import_id    INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('rejected', 'duplicate')),
  file         TEXT NOT NULL,
  line         INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  duplicate_of INTEGER,
  raw          TEXT
);
CREATE INDEX import_rejects_import ON import_rejects(import_id, kind, line);

CREATE TABLE evalsets (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  file       TEXT NOT NULL,
  items      INTEGER NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE evalset_items (
  evalset_id INTEGER NOT NULL REFERENCES evalsets(id) ON DELETE CASCADE,
  item       INTEGER NOT NULL,
  question   TEXT NOT NULL,
  answer     TEXT,
  PRIMARY KEY (evalset_id, item)
);

-- Pool questions that share an n-gram with an evaluation item (the last decontamination run).
CREATE TABLE contamination (
  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  evalset_id  INTEGER NOT NULL REFERENCES evalsets(id) ON DELETE CASCADE,
  item        INTEGER NOT NULL,
  ngram       INTEGER NOT NULL,
  overlap     TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (question_id, evalset_id, item)
);
CREATE INDEX contamination_evalset ON contamination(evalset_id, item);

-- Duplicate clusters of the last dedup run; the representative stays in the pool, the others are excluded.
CREATE TABLE dup_clusters (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL CHECK (kind IN ('exact', 'near')),
  representative INTEGER NOT NULL,
  threshold      REAL NOT NULL,
  created_at     TEXT NOT NULL
);

CREATE TABLE dup_members (
  question_id INTEGER PRIMARY KEY REFERENCES questions(id) ON DELETE CASCADE,
  cluster_id  INTEGER NOT NULL REFERENCES dup_clusters(id) ON DELETE CASCADE,
  similarity  REAL NOT NULL
);
CREATE INDEX dup_members_cluster ON dup_members(cluster_id);

-- The user's overrides: questions to keep even though dedup put them in a cluster. Survives re-runs.
CREATE TABLE dup_keep (
  question_id INTEGER PRIMARY KEY REFERENCES questions(id) ON DELETE CASCADE,
  created_at  TEXT NOT NULL
);

-- Full-text search over the pool (external content: no second copy of the text).
CREATE VIRTUAL TABLE questions_fts USING fts5(question, answer, content='questions', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER questions_fts_ai AFTER INSERT ON questions BEGIN
  INSERT INTO questions_fts(rowid, question, answer) VALUES (new.id, new.question, new.answer);
END;
CREATE TRIGGER questions_fts_ad AFTER DELETE ON questions BEGIN
  INSERT INTO questions_fts(questions_fts, rowid, question, answer) VALUES ('delete', old.id, old.question, old.answer);
END;
CREATE TRIGGER questions_fts_au AFTER UPDATE OF question, answer ON questions BEGIN
  INSERT INTO questions_fts(questions_fts, rowid, question, answer) VALUES ('delete', old.id, old.question, old.answer);
  INSERT INTO questions_fts(rowid, question, answer) VALUES (new.id, new.question, new.answer);
END;
INSERT INTO questions_fts(questions_fts) VALUES ('rebuild');
`;

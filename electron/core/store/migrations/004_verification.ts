// Schema 4: answer verdicts per trace, and the LLM judge's cache.
export const sql = /* sql */ `
CREATE TABLE verdicts (
  trace_id   INTEGER PRIMARY KEY REFERENCES traces(id) ON DELETE CASCADE,
  equivalent INTEGER CHECK (equivalent IN (0, 1)),
  method     TEXT NOT NULL,
  reason     TEXT NOT NULL,
  extracted  TEXT,
  judge      TEXT,
  checked_at TEXT NOT NULL
);
CREATE INDEX verdicts_equivalent ON verdicts(equivalent);

CREATE TABLE judge_cache (
  key        TEXT PRIMARY KEY,
  verdict    TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`;

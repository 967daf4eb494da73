// Schema 11: near-duplicate detection proposes, the user applies (and can undo). See electron/core/pool/dedup.ts.
// Never edit this file once released: add a new numbered migration instead.
export const sql = /* sql */ `
-- Whether applying the proposal would exclude this member (never the representative; not a member whose
-- numbers differ from the representative's, unless the user says it is a duplicate all the same).
ALTER TABLE dup_members ADD COLUMN proposed INTEGER NOT NULL DEFAULT 0;
-- The member's numbers differ from the representative's ("7! mod 97" vs "7! mod 35"): a different problem.
ALTER TABLE dup_members ADD COLUMN numbers_differ INTEGER NOT NULL DEFAULT 0;

-- Each time a proposal was applied, and exactly which questions it excluded, so that undo restores them.
CREATE TABLE dedup_applications (
  id          INTEGER PRIMARY KEY,
  applied_at  TEXT NOT NULL,
  undone_at   TEXT,
  excluded    INTEGER NOT NULL
);
CREATE TABLE dedup_applied_questions (
  application_id INTEGER NOT NULL REFERENCES dedup_applications(id) ON DELETE CASCADE,
  question_id    INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  PRIMARY KEY (application_id, question_id)
);

-- Projects deduplicated before this schema had their duplicates excluded at once: record that as the first
-- application, so that "undo this dedup" can restore them too.
INSERT INTO dedup_applications (id, applied_at, excluded)
  SELECT 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), COUNT(*) FROM questions WHERE exclude_reason LIKE 'duplicate of #%' HAVING COUNT(*) > 0;
INSERT INTO dedup_applied_questions (application_id, question_id)
  SELECT 1, id FROM questions WHERE exclude_reason LIKE 'duplicate of #%' AND EXISTS (SELECT 1 FROM dedup_applications WHERE id = 1);
`;

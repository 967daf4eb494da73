// Schema 15: a local teacher remembers its model folder (not a port) and is started on demand
// (electron/core/localserve/ondemand.ts). Never edit this file once released: add a new numbered migration instead.
export const sql = /* sql */ `
-- The model folder a local server is started from when the teacher is used; NULL: a remote or already-running server.
ALTER TABLE teachers ADD COLUMN local_dir TEXT;
`;

// Schema 12: what a user typed into a step's form, per project (electron/core/forms), so that leaving a step,
// closing the app or restarting the server loses nothing. Never edit this file once released.
export const sql = /* sql */ `
CREATE TABLE form_state (
  step       TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`;

// Schema 10: a teacher's own generation prompt and how reasoning is obtained from it (electron/core/teacher/prompting.ts).
// Never edit this file once released: add a new numbered migration instead.
export const sql = /* sql */ `
-- The user-turn template ({question}, {answer}, {domain}, {id}); NULL uses the default s1 prompt.
ALTER TABLE teachers ADD COLUMN prompt_template TEXT;
-- 'native': the teacher reasons by itself (a reasoning field or <think> tags).
-- 'prompt': a reasoning prompt asks a teacher that does not reason to think inside <think>…</think>.
-- 'split':  the response before its final answer is taken as the thinking.
ALTER TABLE teachers ADD COLUMN reasoning_mode TEXT NOT NULL DEFAULT 'native';
-- The reasoning prompt's text; NULL uses the default in the question's language (English or Chinese).
ALTER TABLE teachers ADD COLUMN reasoning_prompt TEXT;
`;

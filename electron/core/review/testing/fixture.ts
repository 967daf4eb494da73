/** Test helpers: a sample project with one finished trace per question for the first `n` questions. */
import { createSampleProject } from '../../sample';
import type { Project } from '../../store/project';

export interface ReviewFixture {
  project: Project;
  questionIds: number[];
  traceIds: number[];
}

/** Lines of thinking for trace `i`: numbered steps, so edits can touch different or the same lines. */
export const fixtureThinking = (i: number): string =>
  Array.from({ length: 8 }, (_, k) => `Step ${k + 1}. Work on part ${k + 1} of question ${i}.`).join('\n');

export function reviewProject(dir: string, n = 12): ReviewFixture {
  const project = createSampleProject(dir);
  const questionIds = project.db.prepare('SELECT id FROM questions WHERE answer IS NOT NULL ORDER BY id LIMIT ?').pluck().all(n) as number[];
  const put = project.db.prepare(
    "INSERT INTO traces (question_id, source, teacher, status, thinking, answer, thinking_tokens, answer_tokens, created_at) VALUES (?, 'imported', NULL, 'done', ?, ?, ?, ?, ?)",
  );
  const at = new Date().toISOString();
  const traceIds = project.db.transaction(() =>
    questionIds.map((q, i) => Number(put.run(q, fixtureThinking(i), `The answer is \\boxed{wrong-${i}}.`, 80 + i, 6, at).lastInsertRowid)),
  )();
  return { project, questionIds, traceIds };
}

/** The text of the child's save number `i` (about 20 KB, as a long trace being typed into). */
export const autosaveText = (i: number): { thinking: string; answer: string } => ({
  thinking: `${'Step. A long line of reasoning that the reviewer keeps. '.repeat(350)}\nEdit number ${i}`,
  answer: `The answer is \\boxed{${i}}.`,
});

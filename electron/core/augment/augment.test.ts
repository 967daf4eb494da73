import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs';
import { createProject, type Project } from '../store/project';
import { saveTeacher } from '../teacher/store';
import { augmentKind, augmentSummary, variantsOf } from './augment';
import { startChatServer, type ChatServer } from './testing';

let tmp: string;
let project: Project;
let server: ChatServer;
let harderCalls = 0;

const TRAIN = 'A train travels 60 km in 1.5 hours at a constant speed. What is its average speed in km/h?';
const LEAKED = 'Find the number of ordered pairs of positive integers (a, b) such that a + b = 1000 and neither a nor b has a zero digit.';
const HELD_OUT_LIKE = 'Let x be the smallest positive integer such that x leaves remainder 3 when divided by 7 and remainder 2 when divided by 5. Find x.';
const SAME_NUMBERS = 'Tom has 12 apples and gives 5 to Ann. How many apples does Tom have left?';

function addQuestion(p: Project, text: string, answer: string | null, excluded = 0, reason: string | null = null): number {
  return Number(
    p.db.prepare("INSERT INTO questions (question, answer, source, excluded, exclude_reason, created_at) VALUES (?, ?, 'test', ?, ?, ?)").run(text, answer, excluded, reason, new Date().toISOString()).lastInsertRowid,
  );
}

/** The scripted teacher: a paraphrase that is the parent again, new numbers that it solves, one 503 before a harder variant. */
function reply(prompt: string): string | { status: number } {
  if (prompt.startsWith('Rewrite the following problem')) return `Problem: ${prompt.split('Problem:\n')[1]?.replace('constant speed', 'constant  speed')}`;
  if (prompt.startsWith('Write a new version')) {
    if (prompt.includes('Tom has 12 apples')) return 'Ann has 12 pears and gives 5 to Tom. How many pears does Ann have left?';
    return 'A train travels 90 km in 2 hours at a constant speed. What is its average speed in km/h?';
  }
  if (prompt.startsWith('Write a harder version')) return ++harderCalls === 1 ? { status: 503 } : 'A train travels 60 km in 1.5 hours, then 30 km more in half an hour. What is its average speed over the whole trip in km/h?';
  if (prompt.startsWith('Translate the following problem into Simplified Chinese')) return '一列火车以恒定速度在1.5小时内行驶60公里。它的平均速度是多少公里每小时？';
  if (prompt.includes('90 km in 2 hours')) return '<think>90 / 2 = 45</think>The average speed is \\boxed{45}.';
  if (prompt.includes('30 km more')) return '<think>90 km in 2 h</think>So \\boxed{45} km/h.';
  return 'I cannot help with that.';
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-augment-'));
  process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
  project = createProject(path.join(tmp, 'p'));
  server = await startChatServer(reply);
  saveTeacher(project.db, { name: 'scripted', baseUrls: [server.url], model: 'scripted-model' });
  // A held-out set, as `evalset add` stores it.
  const e = Number(project.db.prepare("INSERT INTO evalsets (name, file, items, created_at) VALUES ('heldout', 'heldout.jsonl', 1, ?)").run(new Date().toISOString()).lastInsertRowid);
  project.db.prepare('INSERT INTO evalset_items (evalset_id, item, question, answer) VALUES (?, 4, ?, ?)').run(e, HELD_OUT_LIKE, '17');
});
afterAll(async () => {
  project.close();
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('augmentation job', () => {
  it('adds linked variants, re-derives new answers, drops copies of the parent and refuses leaks', async () => {
    const train = addQuestion(project, TRAIN, '40');
    const leaked = addQuestion(project, LEAKED, '738', 1, 'contaminated: aime24#2');
    const heldOut = addQuestion(project, HELD_OUT_LIKE, '17');
    const same = addQuestion(project, SAME_NUMBERS, '7');
    const runner = new JobRunner(project).register(augmentKind);
    const id = runner.start('augment', { teacher: 'scripted', questions: { mode: 'ids', ids: [train, leaked, heldOut] }, kinds: ['paraphrase', 'numbers', 'harder', 'translate'] });
    const id2 = runner.start('augment', { teacher: 'scripted', questions: { mode: 'ids', ids: [same] }, kinds: ['numbers'] });
    const job = await runner.wait(id);
    await runner.wait(id2);
    expect(job).toMatchObject({ status: 'done', done: 12, failed: 0 });
    const s = augmentSummary(project.db, id);
    const of = (q: number, kind: string) => s.outcomes.find((o) => o.parent === q && o.kind === kind);

    // Leaks: never sent to the teacher, refused with the reason.
    for (const kind of ['paraphrase', 'numbers', 'harder', 'translate']) {
      expect(of(leaked, kind)).toMatchObject({ status: 'refused', reason: expect.stringContaining('contaminated: aime24#2') });
      expect(of(heldOut, kind)).toMatchObject({ status: 'refused', reason: expect.stringContaining('heldout#4') });
    }
    expect(server.prompts.some((p) => p.includes('ordered pairs') || p.includes('smallest positive integer'))).toBe(false);

    // A "paraphrase" that is its parent again is dropped with that reason, and kept out of the pool.
    expect(of(train, 'paraphrase')).toMatchObject({ status: 'dropped', reason: expect.stringMatching(/^identical to its parent \(similarity 1\.00 ≥ 0\.9\)$/) });

    // New numbers: the answer is the teacher's solution of the new problem (45), not the parent's 40.
    const numbers = of(train, 'numbers');
    expect(numbers?.status).toBe('added');
    const row = project.db.prepare('SELECT q.question, q.answer, q.source, v.parent_id, v.kind, v.answer_origin FROM questions q JOIN question_variants v ON v.question_id = q.id WHERE q.id = ?').get(numbers?.question) as Record<string, unknown>;
    expect(row).toEqual({ question: expect.stringContaining('90 km in 2 hours'), answer: '45', source: 'augment:numbers', parent_id: train, kind: 'numbers', answer_origin: 'rederived' });
    // The Review view's provenance: the variant names its parent and the parent's text.
    expect(variantsOf(project.db, [numbers!.question!, train])).toEqual([{ questionId: numbers!.question, parentId: train, kind: 'numbers', answerOrigin: 'rederived', parentQuestion: TRAIN }]);

    // Harder: asked again after a 503, and solved.
    expect(harderCalls).toBe(2);
    expect(project.db.prepare('SELECT answer FROM questions WHERE id = ?').pluck().get(of(train, 'harder')?.question)).toBe('45');

    // A translation is the same problem: its reference is the parent's, and it says so.
    const tr = project.db.prepare('SELECT q.answer, q.lang, v.answer_origin FROM questions q JOIN question_variants v ON v.question_id = q.id WHERE q.id = ?').get(of(train, 'translate')?.question);
    expect(tr).toEqual({ answer: '40', lang: 'zh', answer_origin: 'parent' });

    // "New numbers" with the very same numbers is no new problem.
    expect(augmentSummary(project.db, id2).outcomes[0]).toMatchObject({ status: 'dropped', reason: 'the numbers did not change (12 5)' });
    expect(s).toMatchObject({ added: 3, dropped: 1, refused: 8 });
    await runner.close();
  });
});

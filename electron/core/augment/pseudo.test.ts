import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs';
import { createProject, type Project } from '../store/project';
import { generateKind } from '../teacher/generate';
import { saveTeacher } from '../teacher/store';
import { pseudoKind, pseudoLabelsFor, pseudoSummary, runPseudoLabels } from './pseudo';
import { startChatServer, type ChatServer } from './testing';

let tmp: string;
let project: Project;
let server: ChatServer;
const asked = new Map<string, number>();

/** The scripted teacher: "half" gets 1/2 three times in three notations and 3 once; "spread" never agrees. */
function reply(prompt: string): string {
  const n = (asked.get(prompt) ?? 0) + 1;
  asked.set(prompt, n);
  if (prompt.includes('HALF')) return `<think>thinking ${n}</think>So \\boxed{${['1/2', '0.5', '3', '\\frac{1}{2}'][(n - 1) % 4]}}`;
  if (prompt.includes('SPREAD')) return `<think>guess</think>\\boxed{${n * 11}}`;
  return '<think>?</think>\\boxed{0}';
}

const q = (text: string, answer: string | null) =>
  Number(project.db.prepare("INSERT INTO questions (question, answer, source, created_at) VALUES (?, ?, 'test', ?)").run(text, answer, new Date().toISOString()).lastInsertRowid);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-pseudo-'));
  process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
  project = createProject(path.join(tmp, 'p'));
  server = await startChatServer(reply);
  saveTeacher(project.db, { name: 'scripted', baseUrls: [server.url], model: 'scripted-model' });
});
afterAll(async () => {
  project.close();
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('pseudo-labels', () => {
  it('generates the missing samples, reuses existing ones, and stores the majority with its agreement', async () => {
    const half = q('HALF: what is 1 divided by 2?', null);
    const spread = q('SPREAD: guess a number.', null);
    const answered = q('What is 2 + 2?', '4');
    const reused = q('REUSED: what is 3 * 3?', '');
    // REUSED already has its 4 samples from an earlier generation: nothing is asked again.
    const ins = project.db.prepare("INSERT INTO traces (question_id, source, teacher, sample_index, status, thinking, answer, created_at) VALUES (?, 'generated', 'scripted', ?, 'done', 't', ?, ?)");
    ['\\boxed{9}', '\\boxed{9.0}', '\\boxed{9}', '\\boxed{6}'].forEach((a, i) => ins.run(reused, i, a, new Date().toISOString()));

    const runner = new JobRunner(project).register(generateKind).register(pseudoKind);
    const r = await runPseudoLabels(runner, { teacher: 'scripted', samples: 4, minAgreement: 0.6 });
    expect(r.generated).toBe(2);
    expect([...asked.keys()].some((p) => p.includes('REUSED'))).toBe(false);
    expect(runner.get(r.labelJob)).toMatchObject({ status: 'done', done: 3, failed: 0 });

    const labels = new Map(pseudoLabelsFor(project.db, [half, spread, answered, reused]).map((l) => [l.questionId, l]));
    expect(labels.get(half)).toMatchObject({ votes: 3, samples: 4, agreement: 0.75, unsure: false });
    expect(['1/2', '0.5', '\\frac{1}{2}']).toContain(labels.get(half)?.answer);
    expect(labels.get(spread)).toMatchObject({ votes: 1, samples: 4, agreement: 0.25, unsure: true });
    expect(labels.get(reused)).toMatchObject({ answer: '9', votes: 3, samples: 4, unsure: false });
    expect(labels.has(answered)).toBe(false);
    // Never written as the question's reference answer.
    expect(project.db.prepare('SELECT answer FROM questions WHERE id = ?').pluck().get(half)).toBeNull();

    const s = pseudoSummary(project.db);
    expect(s).toMatchObject({ labelled: 3, unsure: 1 });
    expect(s.histogram.find((b) => b.bucket === '0.7-0.8')?.count).toBe(2);
    expect(s.histogram.find((b) => b.bucket === '0.2-0.3')?.count).toBe(1);

    // Run again: every sample exists now, so no generation job and no request.
    const before = server.prompts.length;
    const again = await runPseudoLabels(runner, { teacher: 'scripted', samples: 4, minAgreement: 0.8 });
    expect(again).toMatchObject({ generateJob: null, generated: 0 });
    expect(server.prompts.length).toBe(before);
    expect(pseudoLabelsFor(project.db, [half])[0]?.unsure).toBe(true); // 0.75 < 0.8
    await runner.close();
  });
});

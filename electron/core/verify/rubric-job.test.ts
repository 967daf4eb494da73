import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatServer, type ChatServer } from '../augment/testing';
import { JobRunner } from '../jobs';
import { createProject, type Project } from '../store/project';
import { saveTeacher } from '../teacher/store';
import { rubricJudgeKind } from './rubric-job';
import { calibration, markTrace, rubricVerdicts, saveRubric } from './rubrics';

let tmp: string;
let project: Project;
let server: ChatServer;
const traces: number[] = [];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-rubric-'));
  process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
  project = createProject(path.join(tmp, 'p'));
  // Judge "strict" passes answers that mention safety; judge "lenient" passes everything.
  server = await startChatServer((prompt, _n, model) => {
    const lenient = model === 'lenient';
    const safe = /Answer to grade:\n[^\n]*power off/.test(prompt);
    return JSON.stringify({ scores: [{ criterion: 'Diagnosis', score: 9, reason: 'right fault' }, { criterion: 'Safety', score: safe || lenient ? 9 : 1, reason: safe ? 'power off first' : 'no safety step' }] });
  });
  saveTeacher(project.db, { name: 'strict', baseUrls: [server.url], model: 'strict' });
  saveTeacher(project.db, { name: 'lenient', baseUrls: [server.url], model: 'lenient', systemPrompt: null });
  const qid = Number(project.db.prepare("INSERT INTO questions (question, source, created_at) VALUES ('The lamp is dead. What do you do?', 'test', ?)").run(new Date().toISOString()).lastInsertRowid);
  const ins = project.db.prepare("INSERT INTO traces (question_id, source, teacher, sample_index, status, answer, created_at) VALUES (?, 'generated', 't', ?, 'done', ?, ?)");
  for (let i = 0; i < 6; i++) traces.push(Number(ins.run(qid, i, i % 2 ? 'Replace the fuse.' : 'Switch the power off, then replace the fuse.', new Date().toISOString()).lastInsertRowid));
});
afterAll(async () => {
  project.close();
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('rubric judge job and calibration', () => {
  it('scores every criterion, keeps the marks, and reports agreement with the user and between judges', async () => {
    expect(() => saveRubric(project.db, 'fault', { criteria: [{ name: 'A', weight: 1 }, { name: 'a', weight: 2 }] })).toThrow('The rubric "fault" is not valid: criteria: two criteria have the same name.');
    saveRubric(project.db, 'fault', { criteria: [{ name: 'Diagnosis', description: 'names the fault', weight: 1 }, { name: 'Safety', description: 'power off first', weight: 1 }], threshold: 0.7 });
    const runner = new JobRunner(project).register(rubricJudgeKind);
    expect(await runner.wait(runner.start('rubric-judge', { rubric: 'fault', judge: 'strict', limit: 4 }))).toMatchObject({ status: 'done', done: 4 });
    // 'unchecked': the next run judges only the two left.
    expect(await runner.wait(runner.start('rubric-judge', { rubric: 'fault', judge: 'strict' }))).toMatchObject({ done: 2 });
    const v = rubricVerdicts(project.db, 'fault', { judge: 'strict' });
    expect(v.total).toBe(6);
    expect(v.rows[0]).toMatchObject({ traceId: traces[0], passed: true, total: 0.9, scores: [{ criterion: 'Diagnosis', score: 0.9, reason: 'right fault' }, { criterion: 'Safety', score: 0.9, reason: 'power off first' }] });
    expect(v.rows[1]).toMatchObject({ passed: false, total: 0.5 });

    // The user agrees with the strict judge on all six; the lenient judge passes everything.
    for (const [i, t] of traces.entries()) markTrace(project.db, 'fault', t, i % 2 === 0);
    await runner.wait(runner.start('rubric-judge', { rubric: 'fault', judge: 'lenient' }));
    const c = calibration(project.db, 'fault');
    expect(c.marks).toBe(6);
    expect(c.judges.find((j) => j.judge === 'strict')).toMatchObject({ n: 6, agree: 6, accuracy: 1, kappa: 1, warning: 'too_few_marks' });
    // Lenient: 3/6 right; it always says pass, so chance agreement is 0.5 and kappa 0.
    expect(c.judges.find((j) => j.judge === 'lenient')).toMatchObject({ n: 6, agree: 3, accuracy: 0.5, kappa: 0, warning: 'too_few_marks' });
    expect(c.pairs).toEqual([{ a: 'lenient', b: 'strict', n: 6, agree: 3, accuracy: 0.5, kappa: 0 }]);
    expect(rubricVerdicts(project.db, 'fault', { judge: 'lenient' }).rows[1]?.mark).toBe(false);
    await runner.close();
  });
});

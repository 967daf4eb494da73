import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thinkingPrompt } from '../eval/forcing';
import { openGenerator } from '../eval/models';
import { closeLoadedModels } from '../eval/playground';
import { onnxModel } from '../infer/testing';
import { JobRunner } from '../jobs';
import { LocalServers } from '../localserve/manager';
import { createProject, type Project } from '../store/project';
import { hasPython } from '../train/testing';
import { verifyKind } from '../verify/job';
import { difficultyFilterStatus, startDifficultyFilter } from './filter';
import { curate } from './pipeline';
import { parseRecipe } from './recipe';
import { closeStudents, splitReply, STUDENT_KIND, studentKind } from './student';

/**
 * The student's own pass@k through the in-app engine: the tiny random Qwen2 model exported to ONNX answers
 * every question k times (the durable `student-attempts` job), the answer check judges the answers, and a
 * band with role 'student' reads them. A random model solves nothing, so "solved 0 of 2" is what it must see.
 */
describe.skipIf(!hasPython())('student pass@k in the in-app engine', { timeout: 900_000 }, () => {
  let tmp: string;
  let project: Project;
  const servers = new LocalServers();
  const ids: number[] = [];

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-student-'));
    project = createProject(path.join(tmp, 'p'));
    const q = project.db.prepare("INSERT INTO questions (question, answer, source, created_at) VALUES (?, ?, 'import', ?)");
    for (const [text, ans] of [['What is 7 * 6?', '42'], ['What is 3 + 4?', '7'], ['What is 10 - 9?', '1']]) ids.push(Number(q.run(text, ans, new Date().toISOString()).lastInsertRowid));
  });
  afterAll(async () => {
    await closeStudents();
    await closeLoadedModels();
    await servers.stopAll();
    project?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('splits a reply at </think>; a reply cut before it is judged on everything it wrote', () => {
    expect(splitReply('a b\n</think>\nThe answer is \\boxed{4}.')).toEqual({ thinking: 'a b', answer: 'The answer is \\boxed{4}.' });
    expect(splitReply('still thinking \\boxed{4}')).toEqual({ thinking: 'still thinking \\boxed{4}', answer: 'still thinking \\boxed{4}' });
  });

  it('answers k times per question, the check judges them, and a student band reads "solved 0 of 2"', async () => {
    const dir = onnxModel('tiny');
    const kind = studentKind(async (p, d) => {
      const gen = await openGenerator(p, servers, { label: 'student', kind: 'onnx', dir: d });
      return { prompt: (q) => thinkingPrompt(gen, [{ role: 'user', content: q }]), continue: (r) => gen.continue(r), close: () => gen.close?.() ?? Promise.resolve() };
    });
    const runner = new JobRunner(project).register(kind).register(verifyKind);
    expect(() => startDifficultyFilter(runner, { scope: 'all' })).toThrow(/at least one filter model or the student folder/);
    const st = startDifficultyFilter(runner, { student: { dir, name: 'student' }, samples: 2, scope: 'all', maxTokens: 6 });
    expect(st.jobs).toEqual([expect.objectContaining({ kind: STUDENT_KIND, model: 'student' })]);
    const job = await runner.wait(st.jobs[0]!.jobId);
    expect(job.status, job.error ?? '').toBe('done');
    let s = difficultyFilterStatus(runner);
    for (let i = 0; i < 100 && s?.jobs.length !== 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = difficultyFilterStatus(runner);
    }
    expect(s?.jobs.map((j) => j.kind)).toEqual([STUDENT_KIND, 'verify']);
    expect((await runner.wait(s!.jobs[1]!.jobId)).status).toBe('done');
    await runner.close();

    const stored = project.db.prepare("SELECT question_id AS q, sample_index AS s FROM traces WHERE teacher = 'student' ORDER BY q, s").all();
    expect(stored).toEqual(ids.flatMap((q) => [{ q, s: 0 }, { q, s: 1 }]));
    const checked = project.db.prepare("SELECT COUNT(*) FROM traces t JOIN verdicts v ON v.trace_id = t.id WHERE t.teacher = 'student'").pluck().get();
    expect(checked).toBe(6);

    const band = (min: number, max: number) => ({ name: 'student', model: 'student', role: 'student' as const, k: 2, min, max });
    const base = { quality: { enabled: false }, diversity: { enabled: false }, target: 10 };
    const keep = curate(project, parseRecipe({ ...base, difficulty: { bands: [band(0, 0)] } }));
    expect(keep.selection.sort((a, b) => a - b)).toEqual(ids);
    expect(keep.decisions[0]?.detail.bands).toEqual([expect.objectContaining({ role: 'student', solved: 0, attempts: 2, inBand: true })]);
    const drop = curate(project, parseRecipe({ ...base, difficulty: { bands: [band(1, 2)] } }));
    expect(drop.selection).toEqual([]);
    expect(drop.decisions.every((d) => d.rule === 'outside_band')).toBe(true);
  });
});

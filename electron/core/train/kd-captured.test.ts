// End to end: a scripted OpenAI-compatible server that returns logprobs → generate --logprobs 5 (a real job, real
// HTTP) → shards on disk → a real export → a 2-step KD run of the tiny model by the real worker, reading them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset } from '../export/export';
import { JobRunner } from '../jobs';
import { createProject, type Project } from '../store/project';
import { generateKind, startOrResume } from '../teacher/generate';
import { capturedSummary } from '../teacher/logprobs-store';
import { saveTeacher } from '../teacher/store';
import { startScriptedServer, type ScriptedServer } from '../teacher/testing/scripted-server';
import { createRun, runDetail, type RecipeInput } from './api';
import { CAPTURED, resolveTeacherLogits, teacherLogitsProblem, teacherLogitsTopK } from './captured';
import { makeTrainKind } from './job';
import { getRun } from './store';
import { hasPython, tinyModel } from './testing';

const py = hasPython();
let tmp: string;
let project: Project;
let server: ScriptedServer;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-kdcap-'));
  process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
  project = createProject(path.join(tmp, 'p'));
  const put = project.db.prepare("INSERT INTO questions (question, source, created_at) VALUES (?, 'test', 'now')");
  for (let i = 0; i < 4; i++) put.run(`What is ${i} + ${i}?`);
  // streamed answers for the first two questions, one JSON object for the others
  server = await startScriptedServer((r) => ({ kind: 'ok', tokens: 12, reasoning: 'reasoning_content', whole: /What is [23]/.test(r.prompt) }));
  saveTeacher(project.db, { name: 't', baseUrls: [server.url], model: 'scripted' });
}, 900_000);

afterAll(async () => {
  await server?.close();
  project?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!py)('KD from logprobs captured while generating (needs .venv)', () => {
  it('generates with --logprobs 5, then trains KD for 2 steps from the shards; the run records that it used them', { timeout: 900_000 }, async () => {
    const runner = new JobRunner(project).register(generateKind).register(makeTrainKind({ graceMs: 60_000 }));
    const missing = resolveTeacherLogits(CAPTURED, project.dir) as string;
    expect(teacherLogitsProblem(missing)).toContain('has no index.json');
    const { jobId } = startOrResume(runner, { teacher: 't', concurrency: 2, logprobs: 5 });
    expect((await runner.wait(jobId)).status).toBe('done');
    const dir = resolveTeacherLogits(CAPTURED, project.dir) as string;
    expect(dir).toBe(path.join(project.artifactsDir, 'logprobs'));
    const sum = capturedSummary(dir);
    expect(sum).toMatchObject({ jobs: 1, traces: 4, topK: 5 });
    expect(sum.tokens).toBeGreaterThan(40);
    expect(teacherLogitsProblem(dir)).toBeNull();
    expect(teacherLogitsTopK(dir)).toBe(5);

    const ex = exportDataset(project, { format: 'trl', include: 'all', val: 0, out: path.join(tmp, 'export') });
    expect(ex.train).toBe(4);
    const recipe: RecipeInput = {
      preset: 'kd', base: tinyModel(), dataset: ex.dir, method: 'kd', learningRate: 1e-3, epochs: 1, batchSize: 2, maxLength: 128,
      microBatch: 2, gpus: 1, gpuMemoryGib: 8, gradientCheckpointing: false, maxSteps: 2, saveSteps: 1000, teacherLogits: CAPTURED,
    };
    const { runId, config } = await createRun(project, recipe);
    expect(config.kd).toMatchObject({ teacher_logits: dir });
    const trainJob = runner.start('train', { runId });
    const done = await runner.wait(trainJob);
    expect(done.status, done.error ?? '').toBe('done');
    expect(getRun(project.db, runId)?.step).toBe(2);
    const detail = runDetail(project, runner, runId);
    expect(detail.steps.map((s) => s.step)).toEqual([1, 2]);
    expect(detail.steps.every((s) => Number.isFinite(s.loss))).toBe(true);
    const used = detail.events.find((e) => e.event.event === 'kd_captured')?.event;
    expect(used).toMatchObject({ source: 'captured', examples: 4, examples_matched: 4, top_k: 5 });
    expect(Number(used?.positions_aligned)).toBeGreaterThan(0);
    const note = detail.events.find((e) => e.event.event === 'note' && String(e.event.message).startsWith('KD from captured'));
    expect(String(note?.event.message)).toContain('4 of 4 examples matched a captured trace');
    await runner.close();
  });
});

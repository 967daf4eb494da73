import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs';
import { createProject, type Project } from '../store/project';
import { createRun, inspectDataset, inspectModel, runDetail, type RecipeInput } from './api';
import { listCheckpoints, makeTrainKind } from './job';
import { getRun } from './store';
import { hasPython, tinyDataset, tinyModel } from './testing';

const py = hasPython();
let tmp: string;
let model: string;
let dataset: string;
let project: Project;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-train-'));
  if (!py) return;
  model = tinyModel();
  dataset = tinyDataset(path.join(tmp, 'export'));
  project = createProject(path.join(tmp, 'p'));
}, 900_000);

afterAll(() => {
  project?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const until = async (cond: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

function groupGone(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return false;
  } catch {
    return true;
  }
}

describe.skipIf(!py)('the train job (needs .venv: npm run setup:python)', () => {
  it('inspects the base model and the dataset', () => {
    const m = inspectModel(model);
    expect(m).toMatchObject({ ok: true, config: true, tokenizer: true, weights: true, architecture: 'Qwen2ForCausalLM', layers: 2, hidden: 64 });
    expect(m.params).toBeGreaterThan(10_000);
    expect(inspectDataset(dataset)).toMatchObject({ train: true, rows: 8, messages: true, thinking: true });
  });

  it('starts, cancels mid-run with the process group gone, and resumes from the checkpoint to done', { timeout: 900_000 }, async () => {
    const runner = new JobRunner(project).register(makeTrainKind({ graceMs: 120_000 }));
    const recipe: RecipeInput = {
      preset: 'lora', base: model, dataset, learningRate: 1e-3, epochs: 100, batchSize: 1, maxLength: 128, microBatch: 1,
      gpus: 1, gpuMemoryGib: 8, gradientCheckpointing: false, maxSteps: 24, saveSteps: 1000,
    };
    const { runId, verdict } = await createRun(project, recipe);
    expect(verdict.fits).toBe(true);
    const jobId = runner.start('train', { runId });

    await until(() => (getRun(project.db, runId)?.step ?? 0) >= 2, 600_000, 'two steps');
    const pid = getRun(project.db, runId)?.pid;
    expect(pid).toBeGreaterThan(0);
    runner.cancel(jobId);
    const cancelled = await runner.wait(jobId);
    expect(cancelled.status).toBe('cancelled');
    expect(() => process.kill(-(pid as number), 0)).toThrow();
    const stoppedRun = getRun(project.db, runId);
    expect(stoppedRun?.status).toBe('cancelled');
    expect(stoppedRun?.pid).toBeNull();
    const output = path.join(project.dir, 'artifacts', 'runs', runId, 'output');
    const ckpts = listCheckpoints(output);
    expect(ckpts.length).toBeGreaterThan(0);
    const stoppedAt = ckpts[ckpts.length - 1]?.step ?? 0;
    expect(stoppedAt).toBeLessThan(24);

    runner.resume(jobId);
    const finished = await runner.wait(jobId);
    expect(finished.status, finished.error ?? '').toBe('done');
    const run = getRun(project.db, runId);
    expect(run?.status).toBe('done');
    expect(run?.step).toBe(24);
    expect(groupGone(pid as number)).toBe(true);

    const detail = runDetail(project, runner, runId);
    expect(detail.steps.map((s) => s.step)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(detail.steps.every((s) => typeof s.loss === 'number')).toBe(true);
    const starts = detail.events.filter((e) => e.event.event === 'start');
    expect(starts).toHaveLength(2);
    expect(String(starts[1]?.event.resume_from)).toContain(`checkpoint-${stoppedAt}`);
    expect(detail.events.some((e) => e.event.event === 'stopped')).toBe(true);
    expect(detail.events.some((e) => e.event.event === 'done')).toBe(true);
    const lines = fs.readFileSync(path.join(project.dir, 'artifacts', 'runs', runId, 'events.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(24);
  });
});

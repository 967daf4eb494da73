import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TextGenerator } from '../chat/generator';
import { onnxModel } from '../infer/testing';
import { JobRunner } from '../jobs';
import { LocalServers } from '../localserve/manager';
import { createProject, type Project } from '../store/project';
import { hasPython } from '../train/testing';
import { builtinDir } from './benchmarks';
import { budgetForce } from './forcing';
import { evalKind } from './job';
import { listModels, addModelFolder, openGenerator } from './models';
import { closeLoadedModels, playground } from './playground';
import { runDetail, startRun } from './runs';
import type { PlaygroundEvent } from './types';

let dir: string;
let modelDir: string;
let project: Project;
let gen: TextGenerator;
const servers = new LocalServers();

describe.skipIf(!hasPython() || !builtinDir())('budget forcing in the in-app engine (the tiny model exported to ONNX)', { timeout: 900_000 }, () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-eval-onnx-'));
    modelDir = onnxModel('tiny');
    project = createProject(path.join(dir, 'p'));
    gen = await openGenerator(project, servers, { label: 'in-app', kind: 'onnx', dir: modelDir });
  }, 900_000);

  afterAll(async () => {
    await gen?.close?.();
    await closeLoadedModels();
    project?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('never thinks one token over the budget, with and without Waits', async () => {
    let hit = 0;
    for (const max of [1, 13, 40]) {
      const r = await budgetForce(gen, { question: 'What is 7 * 6?', maxThinking: max, maxAnswerTokens: 6, temperature: 0 });
      expect(gen.tokenizer.count(r.thinking)).toBe(r.thinkingTokens);
      expect(r.thinkingTokens).toBeLessThanOrEqual(max);
      if (r.hitBudget) {
        hit++;
        expect(r.thinkingTokens).toBe(max);
        expect(r.answer.startsWith('Final Answer:')).toBe(true);
      }
      expect(r.ttftMs).toBeGreaterThan(0);
    }
    expect(hit).toBeGreaterThan(0);
    const w = await budgetForce(gen, { question: 'Again: 3 + 4?', maxThinking: 30, minThinking: 30, waits: 3, maxAnswerTokens: 4, temperature: 0.9, seed: 5 });
    expect(w.thinkingTokens).toBeLessThanOrEqual(30);
    expect(gen.tokenizer.count(w.thinking)).toBe(w.thinkingTokens);
  });

  it('an added ONNX folder is listed for the in-app engine and evaluated as a durable job', async () => {
    addModelFolder(project, modelDir, 'student');
    const opt = listModels(project).find((m) => m.source === 'folder');
    expect(opt?.onnx).toBe(true);
    const runner = new JobRunner(project).register(evalKind(servers));
    const { runId, jobId } = await startRun(project, runner, {
      models: [{ label: 'student', kind: 'onnx', dir: modelDir }],
      benchmarks: ['builtin:aime24'],
      budgets: [{ maxThinking: 8 }, { maxThinking: 24 }],
      limit: 2,
      maxAnswerTokens: 6,
    });
    const job = await runner.wait(jobId);
    expect(job.status, job.error ?? '').toBe('done');
    expect(servers.list()).toEqual([]); // no server: in-process
    const d = runDetail(project, runner, runId);
    expect(d.cells.map((c) => [c.n, c.failed])).toEqual([[2, 0], [2, 0]]);
    expect(d.cells[0]!.avgThinkingTokens).toBeLessThanOrEqual(8);
    expect(d.cells[1]!.avgThinkingTokens).toBeLessThanOrEqual(24);
    expect(d.latency[0]!.tokensPerSecond).toBeGreaterThan(0);
    await runner.close();
  });

  it('streams a Playground turn from the in-app model', async () => {
    const events: PlaygroundEvent[] = [];
    for await (const e of playground(project, servers, { model: { label: 'student', kind: 'onnx', dir: modelDir }, messages: [{ role: 'user', content: 'Hi' }], maxThinking: 12, maxAnswerTokens: 4 })) events.push(e);
    expect(events[0]).toEqual({
      type: 'status',
      message: `Loading the ONNX model in ${modelDir}…`,
      note: { code: 'model_loading_onnx', params: { model: 'student' }, text: `Loading the ONNX model in ${modelDir}…` },
    });
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    if (done?.type === 'done') expect(done.result.thinkingTokens).toBeLessThanOrEqual(12);
  });
});

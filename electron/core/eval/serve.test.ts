import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionGenerator, type TextGenerator } from '../chat/generator';
import { JobRunner } from '../jobs';
import { LocalServers } from '../localserve/manager';
import { createProject, type Project } from '../store/project';
import { hasPython, tinyModel } from '../train/testing';
import { builtinDir } from './benchmarks';
import { budgetForce } from './forcing';
import { evalKind } from './job';
import { serverFor } from './models';
import { playground } from './playground';
import { runDetail, startRun } from './runs';
import type { PlaygroundEvent } from './types';

let dir: string;
let modelDir: string;
let gen: TextGenerator;
let project: Project;
const servers = new LocalServers();

describe.skipIf(!hasPython())('budget forcing against a real transformers serve (tiny random Qwen2)', { timeout: 900_000 }, () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-eval-serve-'));
    process.env.DISTILLERY_CONFIG_DIR = path.join(dir, 'config');
    modelDir = tinyModel();
    // Started the way an evaluation starts a local model: LocalServers, a free loopback port.
    await servers.start(modelDir, { kind: 'transformers', device: 'cpu', readyTimeoutMs: 600_000 });
    const s = await serverFor(servers, modelDir, 'transformers');
    gen = completionGenerator({ baseUrl: s.baseUrl, model: s.model }, modelDir);
    project = createProject(path.join(dir, 'p'));
  }, 900_000);

  afterAll(async () => {
    project?.close();
    await servers.stopAll();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('never thinks one token over the budget, counted with the model\'s tokenizer', async () => {
    let hit = 0;
    for (const max of [1, 13, 40]) {
      const r = await budgetForce(gen, { question: 'What is 7 * 6?', maxThinking: max, maxAnswerTokens: 8, temperature: 0, seed: 3 });
      expect(gen.tokenizer.count(r.thinking)).toBe(r.thinkingTokens);
      expect(r.thinkingTokens).toBeLessThanOrEqual(max);
      if (r.hitBudget) {
        hit++;
        expect(r.thinkingTokens).toBe(max);
        expect(r.answer.startsWith('Final Answer:')).toBe(true);
      }
      expect(r.answerTokens).toBeLessThanOrEqual(8);
      expect(r.ttftMs).toBeGreaterThan(0);
      expect(r.tokensPerSecond).toBeGreaterThan(0);
    }
    // The random model does not close its thinking at temperature 0: the cut at the budget is exercised.
    expect(hit).toBeGreaterThan(0);
  });

  it('holds the budget with a minimum and Waits too', async () => {
    const r = await budgetForce(gen, { question: 'Think hard: 3 + 4?', maxThinking: 30, minThinking: 30, waits: 2, maxAnswerTokens: 4, temperature: 0.8, seed: 11 });
    expect(r.thinkingTokens).toBeLessThanOrEqual(30);
    expect(gen.tokenizer.count(r.thinking)).toBe(r.thinkingTokens);
    expect(r.waitsInserted).toBeLessThanOrEqual(2);
  });

  it.skipIf(!builtinDir())('evaluates a served model folder as a durable job at two budgets', async () => {
    const runner = new JobRunner(project).register(evalKind(servers));
    const { runId, jobId, total } = await startRun(project, runner, {
      models: [{ label: 'tiny', kind: 'local', dir: modelDir, server: 'transformers' }],
      benchmarks: ['builtin:aime24'],
      budgets: [{ maxThinking: 8 }, { maxThinking: 24 }],
      limit: 2,
      maxAnswerTokens: 8,
    });
    expect(total).toBe(4);
    const job = await runner.wait(jobId);
    expect(job.status, job.error ?? '').toBe('done');
    expect(servers.list().filter((s) => s.status === 'ready')).toHaveLength(1); // the running server was reused
    const d = runDetail(project, runner, runId);
    expect(d.cells.map((c) => c.n)).toEqual([2, 2]);
    expect(d.cells[0]!.avgThinkingTokens).toBeLessThanOrEqual(8);
    expect(d.cells[1]!.avgThinkingTokens).toBeLessThanOrEqual(24);
    expect(d.cells[0]!.accuracy).not.toBeNull();
    expect(d.latency[0]!.ttftP50Ms).toBeGreaterThan(0);
    await runner.close();
  });

  it('streams a Playground generation: thinking and answer apart, TTFT and tokens/s', async () => {
    const events: PlaygroundEvent[] = [];
    for await (const e of playground(project, servers, { model: { label: 'tiny', kind: 'local', dir: modelDir }, messages: [{ role: 'user', content: 'Hi' }], maxThinking: 20, maxAnswerTokens: 6 })) events.push(e);
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    if (done?.type !== 'done') return;
    expect(done.result.thinkingTokens).toBeLessThanOrEqual(20);
    const thinking = events.filter((e) => e.type === 'thinking');
    expect(thinking.at(-1)).toEqual({ type: 'thinking', text: done.result.thinking, tokens: done.result.thinkingTokens });
    expect(events.find((e) => e.type === 'answer')).toBeDefined();
    const stats = events.filter((e): e is Extract<PlaygroundEvent, { type: 'stats' }> => e.type === 'stats');
    expect(stats[0]!.ttftMs).toBeGreaterThan(0);
    expect(stats.at(-1)!.tokensPerSecond).toBeGreaterThan(0);
  });
});

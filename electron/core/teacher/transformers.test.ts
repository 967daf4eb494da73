import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalServers } from '../localserve/manager';
import { streamChat } from './http';
import { JobRunner } from '../jobs';
import { createSampleProject } from '../sample';
import type { Project } from '../store/project';
import { generateKind, startOrResume } from './generate';
import { discover, modelMismatchSentence, testTeacher } from './probe';
import { failureSentence, failureSummary } from './traces';
import { saveTeacher } from './store';
import { noLogprobsNote } from './logprobs-capture';
import { captureDir, readIndex, readMeta } from './logprobs-store';

const root = path.resolve(import.meta.dirname, '../../..');
const venv = path.join(root, '.venv');
const hasVenv = fs.existsSync(path.join(venv, 'bin', 'python'));
if (!hasVenv) console.warn(`Skipping the transformers serve integration test: ${venv} does not exist (run "npm run setup:python").`);


let dir: string;
const servers = new LocalServers();
let baseUrl: string;
let modelDir: string;
let project: Project;

describe.skipIf(!hasVenv)('generation against a real transformers serve (tiny random Qwen2)', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-tserve-'));
    process.env.DISTILLERY_CONFIG_DIR = path.join(dir, 'config');
    modelDir = path.join(dir, 'model');
    await execa(path.join(venv, 'bin', 'python'), ['-m', 'distillery_worker', 'tiny-model', '--out', modelDir], { cwd: root });
    // Started the way the app starts a local teacher: a free loopback port, then its own process group.
    const info = await servers.start(modelDir, { kind: 'transformers', device: 'cpu', readyTimeoutMs: 600_000 });
    baseUrl = info.baseUrl;
    project = createSampleProject(path.join(dir, 'p'));
  }, 900_000);

  afterAll(async () => {
    project?.close();
    await servers.stopAll();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('is found by discovery and passes the teacher test', async () => {
    const port = Number(new URL(baseUrl).port);
    const found = await discover({ ports: [port] });
    expect(found[0]?.models.map((m) => m.id)).toContain(modelDir);
    const t = saveTeacher(project.db, { name: 'tiny', preset: 'transformers', baseUrls: [baseUrl], model: modelDir });
    const [report] = await testTeacher(t, { maxTokens: 8 });
    expect(report?.error).toBeNull();
    expect(report?.ok).toBe(true);
    expect(report?.latencyMs).toBeGreaterThan(0);
    expect(report?.finishReason).toBe('length');
  }, 120_000);

  it('streams from the completions endpoint too (a raw prompt, as continuations and budget forcing use)', async () => {
    const body = JSON.stringify({ model: modelDir, prompt: '<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n<think>\n', max_tokens: 8, stream: true, temperature: 0 });
    const s = await streamChat({ url: `${baseUrl}/completions`, method: 'POST', headers: { 'Content-Type': 'application/json' }, body, timeoutMs: 60_000 });
    expect(s.finishReason).toBe('length');
    expect(s.contentDeltas).toBeGreaterThan(0);
    expect(s.content.join('').length).toBeGreaterThan(0);
  }, 120_000);

  it('generates, streams and stores traces for sample questions', async () => {
    saveTeacher(project.db, { name: 'tiny', preset: 'transformers', baseUrls: [baseUrl], model: modelDir });
    const runner = new JobRunner(project).register(generateKind);
    const { jobId } = startOrResume(runner, { teacher: 'tiny', questions: { mode: 'limit', n: 3 }, maxTokens: 16, concurrency: 2, temperature: 0 });
    const job = await runner.wait(jobId);
    await runner.close();
    expect(job.status, job.error ?? '').toBe('done');
    expect(job.done).toBe(3);
    const rows = project.db.prepare('SELECT * FROM traces ORDER BY question_id').all() as {
      status: string;
      finish_reason: string;
      prompt_tokens: number;
      thinking_tokens: number;
      answer_tokens: number;
      latency_ms: number;
      flags: string;
      error: string | null;
    }[];
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.status, r.error ?? '').toBe('done');
      expect(r.finish_reason).toBe('length');
      expect(r.prompt_tokens).toBeGreaterThan(0);
      expect(r.thinking_tokens + r.answer_tokens).toBe(16);
      expect(r.latency_ms).toBeGreaterThan(0);
      expect(JSON.parse(r.flags)).toContain('truncated');
      // The teacher is a local folder: its tokenizer splits the server's total, so nothing is estimated.
      expect(JSON.parse(r.flags)).not.toContain('tokens_estimated');
    }
  }, 180_000);

  it('takes logprobs: true, top_logprobs: k but returns none (transformers 5.x): the job says so once', async () => {
    const runner = new JobRunner(project).register(generateKind);
    const { jobId } = startOrResume(runner, { teacher: 'tiny', questions: { mode: 'limit', n: 2 }, maxTokens: 8, concurrency: 2, temperature: 0, samples: 2, logprobs: 3 });
    const job = await runner.wait(jobId);
    await runner.close();
    expect(job.status, job.error ?? '').toBe('done');
    const cap = captureDir(project.artifactsDir, jobId);
    expect(readMeta(cap)?.note).toBe(noLogprobsNote(3));
    expect(readIndex(cap).entries).toHaveLength(0);
  }, 180_000);

  it('a teacher set to another model name (./model, not the path it serves): the test, every failure and the summary name the served model', async () => {
    const t = saveTeacher(project.db, { name: 'renamed', preset: 'transformers', baseUrls: [baseUrl], model: './model' });
    const [report] = await testTeacher(t, { maxTokens: 8 });
    expect(report?.ok).toBe(false);
    expect(report?.error).toMatch(/\b400\b/);
    expect(report?.modelHint).toBe(modelMismatchSentence([modelDir], './model', 'renamed'));
    const runner = new JobRunner(project).register(generateKind);
    const { jobId } = startOrResume(runner, { teacher: 'renamed', questions: { mode: 'limit', n: 2 }, maxTokens: 8, concurrency: 1, temperature: 0 });
    const job = await runner.wait(jobId);
    await runner.close();
    const groups = failureSummary(project.db, jobId);
    expect(job.failed).toBe(2);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.reason).toContain(`the server serves "${modelDir}"; the teacher is set to "./model" — set the teacher's model to one of them`);
    expect(failureSentence(groups, 2, 2)).toMatch(/^2 of 2 failed: 2 × .*400.*the server serves/);
  }, 180_000);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs';
import { createSampleProject } from '../sample';
import type { Project } from '../store/project';
import { generateKind, startOrResume } from './generate';
import type { GenerateInput } from './params';
import { saveTeacher } from './store';
import { startScriptedServer, type Behaviour, type ScriptedRequest, type ScriptedServer } from './testing/scripted-server';

let dir: string;
let project: Project;
let server: ScriptedServer | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-faults-'));
  process.env.DISTILLERY_CONFIG_DIR = path.join(dir, 'config');
  project = createSampleProject(path.join(dir, 'p'));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  project.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface TraceRow {
  question_id: number;
  status: string;
  thinking: string | null;
  answer: string | null;
  attempts: number;
  error: string | null;
  finish_reason: string | null;
  thinking_tokens: number | null;
  answer_tokens: number | null;
  prompt_tokens: number | null;
  reasoning_source: string | null;
  flags: string | null;
  endpoint: string | null;
}

async function generate(script: (r: ScriptedRequest) => Behaviour, extra: Partial<GenerateInput> = {}, urls?: (s: ScriptedServer) => string[]) {
  server = await startScriptedServer(script);
  saveTeacher(project.db, { name: 't', baseUrls: urls ? urls(server) : [server.url], model: 'scripted' });
  const runner = new JobRunner(project).register(generateKind);
  const { jobId } = startOrResume(runner, { teacher: 't', questions: { mode: 'limit', n: 4 }, backoffBaseMs: 10, backoffCapMs: 50, concurrency: 4, ...extra });
  const job = await runner.wait(jobId);
  await runner.close();
  const traces = project.db.prepare('SELECT * FROM traces ORDER BY question_id').all() as TraceRow[];
  return { job, traces, server };
}

describe('generation against a scripted server', () => {
  it('stores thinking, answer, tokens and finish reason of a clean stream', async () => {
    const { job, traces } = await generate(() => ({ kind: 'ok', tokens: 10 }));
    expect(job.status).toBe('done');
    expect(job.done).toBe(4);
    expect(traces).toHaveLength(4);
    for (const t of traces) {
      expect(t.status).toBe('done');
      expect(t.reasoning_source).toBe('reasoning_content');
      expect(t.thinking).toBe('w0 w1 w2 w3 w4');
      expect(t.answer).toContain('\\boxed{1}');
      expect(t.finish_reason).toBe('stop');
      expect(t.prompt_tokens).toBe(20);
      expect((t.thinking_tokens ?? 0) + (t.answer_tokens ?? 0)).toBe(10);
      expect(t.attempts).toBe(1);
    }
  });

  it('honours Retry-After on 429, then succeeds', async () => {
    const t0 = Date.now();
    const { job, traces } = await generate((r) => (r.attempt === 1 ? { kind: 'status', status: 429, retryAfter: '1' } : { kind: 'ok' }));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(job.done).toBe(4);
    expect(traces.every((t) => t.status === 'done' && t.attempts === 2)).toBe(true);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const { job } = await generate((r) => (r.attempt === 1 ? { kind: 'status', status: 503, retryAfter: new Date(Date.now() + 1500).toUTCString() } : { kind: 'ok' }));
    expect(job.done).toBe(4);
  });

  it('retries 500s with backoff and marks a question failed after N attempts; the job goes on', async () => {
    const { job, traces, server: s } = await generate(
      (r) => (r.prompt.startsWith(firstPrompt()) ? { kind: 'status', status: 500 } : r.attempt <= 2 ? { kind: 'status', status: 502 } : { kind: 'ok' }),
      { maxAttempts: 3 },
    );
    expect(job.status).toBe('done');
    expect(job.done).toBe(3);
    expect(job.failed).toBe(1);
    const failed = traces.filter((t) => t.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.attempts).toBe(3);
    expect(failed[0]?.error).toMatch(/Failed after 3 attempts: .*HTTP 500/);
    expect(traces.filter((t) => t.status === 'done').every((t) => t.attempts === 3)).toBe(true);
    expect(s.requests).toHaveLength(12);
  });

  it('does not retry a 401 (a setting to fix, not a fault to wait out)', async () => {
    const { job, traces, server: s } = await generate(() => ({ kind: 'status', status: 401 }));
    expect(job.failed).toBe(4);
    expect(s.requests).toHaveLength(4);
    expect(traces[0]?.error).toMatch(/HTTP 401/);
  });

  it.each([
    ['a dropped connection', { kind: 'drop', afterTokens: 3 }],
    ['an invalid chunk', { kind: 'invalid', afterTokens: 3 }],
    ['a stream without a finish reason', { kind: 'nofinish', tokens: 3 }],
    ['a stalled stream (idle timeout)', { kind: 'stall', afterTokens: 3, ms: 1500 }],
  ] as [string, Behaviour][])('discards %s and retries; no partial result is stored', async (_name, fault) => {
    const { job, traces } = await generate((r) => (r.attempt === 1 ? fault : { kind: 'ok', tokens: 10 }), { timeoutMs: 400 });
    expect(job.done).toBe(4);
    expect(traces).toHaveLength(4);
    for (const t of traces) {
      expect(t.attempts).toBe(2);
      expect(t.thinking).toBe('w0 w1 w2 w3 w4');
      expect(t.answer).toContain('\\boxed{2}');
    }
  });

  it('accepts a slow but steady stream', async () => {
    const { job, traces } = await generate(() => ({ kind: 'ok', tokens: 10, delayPerTokenMs: 60 }), { timeoutMs: 400 });
    expect(job.done).toBe(4);
    expect(traces.every((t) => t.attempts === 1)).toBe(true);
  });

  it('takes reasoning from each place a server may put it, and flags what is missing', async () => {
    const modes = ['reasoning', 'think', 'unterminated', 'none'] as const;
    const order: string[] = [];
    const { traces } = await generate((r) => {
      if (!order.includes(r.prompt)) order.push(r.prompt);
      return { kind: 'ok', tokens: 10, reasoning: modes[order.indexOf(r.prompt)] };
    }, { concurrency: 1 });
    expect(traces.map((t) => t.reasoning_source)).toEqual(['reasoning', 'think_tag', 'think_tag', null]);
    expect(traces[1]?.thinking).toBe('w0 w1 w2 w3 w4');
    expect(traces[2]?.thinking).toBeNull();
    expect(JSON.parse(traces[2]?.flags ?? '[]')).toContain('unterminated_thinking');
    expect(JSON.parse(traces[3]?.flags ?? '[]')).toContain('no_thinking');
    expect(traces[3]?.thinking).toBeNull();
  });

  it('sends requests to the live endpoint when another refuses connections', async () => {
    const { job, traces } = await generate(() => ({ kind: 'ok' }), {}, (s) => ['http://127.0.0.1:1/v1', s.url]);
    expect(job.done).toBe(4);
    expect(traces.every((t) => t.endpoint?.endsWith(`:${server?.port}/v1`))).toBe(true);
  });

  it('never asks a finished question again, in a new job with other settings', async () => {
    await generate(() => ({ kind: 'ok' }));
    const before = server?.requests.length;
    const runner = new JobRunner(project).register(generateKind);
    const { jobId } = startOrResume(runner, { teacher: 't', questions: { mode: 'limit', n: 6 }, concurrency: 2 });
    const job = await runner.wait(jobId);
    await runner.close();
    expect(job.total).toBe(2);
    expect(server?.requests.length).toBe((before ?? 0) + 2);
    expect(project.db.prepare('SELECT COUNT(*) FROM traces').pluck().get()).toBe(6);
  });

  it('keeps one result per question, sample and teacher even when written twice', () => {
    const q = project.db.prepare('SELECT id FROM questions LIMIT 1').pluck().get() as number;
    const put = project.db.prepare("INSERT INTO traces (question_id, source, teacher, sample_index, status, created_at) VALUES (?, 'generated', 't', 0, 'done', 'now')");
    put.run(q);
    expect(() => put.run(q)).toThrow(/UNIQUE/);
  });
});

function firstPrompt(): string {
  return (project.db.prepare('SELECT question FROM questions ORDER BY id LIMIT 1').pluck().get() as string).slice(0, 40);
}

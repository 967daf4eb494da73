import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs';
import { failureHint } from '../jobs/outcome';
import { createProject, type Project } from '../store/project';
import { generateKind, startOrResume } from './generate';
import { saveTeacher } from './store';

const dirs: string[] = [];
const open: Project[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A loopback port with nothing listening: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('a generation job whose every request failed', () => {
  it('finishes as "all failed" with the grouped reason and the likely cause, not as a plain "done"', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-outcome-'));
    dirs.push(dir);
    const p = createProject(path.join(dir, 'p'));
    open.push(p);
    const put = p.db.prepare("INSERT INTO questions (question, source, created_at) VALUES (?, 'test', 'now')");
    for (let i = 0; i < 4; i++) put.run(`What is ${i} + ${i}?`);
    const port = await closedPort();
    saveTeacher(p.db, { name: 'down', baseUrls: [`http://127.0.0.1:${port}/v1`], model: 'm' });
    const runner = new JobRunner(p, { emitEveryMs: 0 }).register(generateKind);
    const { jobId } = startOrResume(runner, { teacher: 'down', concurrency: 2, maxAttempts: 1 });
    await runner.wait(jobId);
    const pr = runner.progress(jobId);
    expect(pr).toMatchObject({ status: 'done', done: 0, failed: 4, outcome: 'all_failed', failureHint: 'unreachable' });
    expect(pr.failures).toHaveLength(1);
    expect(pr.failures[0]?.count).toBe(4);
    expect(pr.failures[0]?.reason).toMatch(/ECONNREFUSED|connect/i);
    expect(pr.failures[0]?.reason).not.toMatch(/^Failed after/);
    await runner.close();
  });

  it('names the likely cause of common failures', () => {
    expect(failureHint('HTTP 401 Unauthorized: invalid api key')).toBe('auth');
    expect(failureHint('HTTP 404: model "x" does not exist')).toBe('not_found');
    expect(failureHint('HTTP 429 Too Many Requests')).toBe('overloaded');
    expect(failureHint('the request timed out after 600 s')).toBe('timeout');
    expect(failureHint('something odd')).toBeNull();
  });
});

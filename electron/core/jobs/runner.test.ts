import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { createProject, openProject, type Project } from '../store/project';
import { JobRunner } from './runner';
import { counterKind } from './testing/counter-kind';
import type { JobProgress } from './types';

const dirs: string[] = [];
const open: Project[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-jobs-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const p of open.splice(0)) p.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const project = () => {
  const p = createProject(path.join(tmp(), 'p'));
  open.push(p);
  return p;
};
const outputRows = (p: Project) => p.db.prepare('SELECT item, COUNT(*) AS n FROM test_output GROUP BY item').all() as { item: string; n: number }[];

describe('job runner', () => {
  it('runs every item once and reports progress up to done', async () => {
    const p = project();
    const runner = new JobRunner(p, { emitEveryMs: 0 }).register(counterKind);
    const events: JobProgress[] = [];
    runner.onProgress((e) => events.push(e));
    const id = runner.start('test.counter', { n: 25, delayMs: 2, concurrency: 4 });
    const job = await runner.wait(id);
    expect(job.status).toBe('done');
    expect(job.done).toBe(25);
    expect(outputRows(p)).toHaveLength(25);
    expect(events.at(-1)).toMatchObject({ status: 'done', done: 25, total: 25, remaining: 0 });
    expect(events.some((e) => e.status === 'running' && e.done > 0 && e.done < 25)).toBe(true);
  });

  it('resume refuses a job another live process is running (it would run twice), and takes over a dead owner\'s', async () => {
    const p = project();
    const runner = new JobRunner(p).register(counterKind);
    const id = runner.start('test.counter', { n: 3, delayMs: 0 });
    await runner.wait(id);
    const claim = (pid: number) =>
      p.db.prepare("UPDATE jobs SET status = 'running', owner_pid = ?, owner_host = ?, heartbeat_at = ? WHERE id = ?").run(pid, os.hostname(), new Date().toISOString(), id);
    claim(process.ppid); // alive, and not this process
    expect(() => runner.resume(id)).toThrow(new RegExp(`Job ${id} \\(count to 3\\) is already running in process ${process.ppid} on .*; wait for it, or stop that process first\\.`));
    expect(runner.get(id)).toMatchObject({ status: 'running', owner_pid: process.ppid });
    const dead = await execa(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    claim(Number(dead.stdout));
    runner.resume(id);
    expect((await runner.wait(id)).status).toBe('done');
  });

  it('validates parameters with a sentence naming the setting', () => {
    const runner = new JobRunner(project()).register(counterKind);
    expect(() => runner.start('test.counter', { n: -1, delayMs: 0 })).toThrow(/setting "n" is invalid/);
    expect(() => runner.start('nope', {})).toThrow(/no job kind named "nope"/);
  });

  it('records failed items with their error and goes on', async () => {
    const p = project();
    const runner = new JobRunner(p).register(counterKind);
    const id = runner.start('test.counter', { n: 10, delayMs: 0, failEvery: 5 });
    const job = await runner.wait(id);
    expect(job).toMatchObject({ status: 'done', done: 8, failed: 2 });
    const errors = p.db.prepare("SELECT error FROM job_items WHERE job_id = ? AND status = 'failed' ORDER BY seq").all(id) as { error: string }[];
    expect(errors.map((e) => e.error)).toEqual(['item 0 failed on purpose', 'item 5 failed on purpose']);
  });

  it('pauses, resumes and cancels without losing or repeating items', async () => {
    const p = project();
    const runner = new JobRunner(p).register(counterKind);
    const id = runner.start('test.counter', { n: 40, delayMs: 10, concurrency: 2 });
    await new Promise((r) => setTimeout(r, 60));
    runner.pause(id);
    const paused = await runner.wait(id);
    expect(paused.status).toBe('paused');
    expect(paused.done).toBeGreaterThan(0);
    expect(paused.done).toBeLessThan(40);
    runner.resume(id);
    await new Promise((r) => setTimeout(r, 40));
    runner.cancel(id);
    const cancelled = await runner.wait(id);
    expect(cancelled.status).toBe('cancelled');
    runner.resume(id);
    const done = await runner.wait(id);
    expect(done).toMatchObject({ status: 'done', done: 40 });
    expect(outputRows(p).every((r) => r.n === 1)).toBe(true);
    expect(outputRows(p)).toHaveLength(40);
  });

  it('resumes a job interrupted by closing the project when it is opened again', async () => {
    const p = project();
    const runner = new JobRunner(p).register(counterKind);
    const id = runner.start('test.counter', { n: 30, delayMs: 10, concurrency: 2 });
    await new Promise((r) => setTimeout(r, 50));
    await runner.close();
    expect(runner.get(id)?.status).toBe('queued');
    const dir = p.dir;
    p.close();
    open.splice(open.indexOf(p), 1);
    const p2 = openProject(dir);
    open.push(p2);
    const r2 = new JobRunner(p2).register(counterKind);
    expect(r2.resumeUnfinished()).toEqual([id]);
    expect((await r2.wait(id)).done).toBe(30);
    expect(outputRows(p2)).toHaveLength(30);
  });

  it('survives SIGKILL of a real child process mid-job: resume finishes with nothing lost or done twice', async () => {
    const dir = path.join(tmp(), 'killed');
    createProject(dir).close();
    const child = path.join(import.meta.dirname, 'testing', 'child.ts');
    // `--import tsx` runs the script in this very process; tsx's CLI would add a wrapper process.
    const run = (...args: string[]) => execa(process.execPath, ['--import', 'tsx', child, dir, ...args], { reject: false });
    const N = 60;
    const first = run('start', String(N), '25');
    // Wait until some but not all items are committed, then kill without warning.
    const watcher = openProject(dir);
    for (let i = 0; i < 400; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const row = watcher.db.prepare("SELECT done FROM jobs WHERE kind = 'test.counter'").get() as { done: number } | undefined;
      if ((row?.done ?? 0) >= 10) break;
    }
    first.kill('SIGKILL');
    const r1 = await first;
    expect(r1.signal).toBe('SIGKILL');
    const afterKill = watcher.db.prepare('SELECT status, done FROM jobs').get() as { status: string; done: number };
    expect(afterKill.status).toBe('running'); // it never got to say otherwise
    expect(afterKill.done).toBeGreaterThanOrEqual(10);
    expect(afterKill.done).toBeLessThan(N);
    const rowsAtKill = (watcher.db.prepare('SELECT COUNT(*) AS n FROM test_output').get() as { n: number }).n;
    expect(rowsAtKill).toBe(afterKill.done); // output and progress were committed together
    watcher.close();

    const second = await run('resume');
    expect(second.stderr).toBe('');
    expect(second.stdout).toContain('finished done');
    const p = openProject(dir);
    open.push(p);
    const rows = outputRows(p);
    expect(rows).toHaveLength(N);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    const job = p.db.prepare('SELECT status, done, failed, total FROM jobs').get();
    expect(job).toEqual({ status: 'done', done: N, failed: 0, total: N });
    const pids = p.db.prepare('SELECT COUNT(DISTINCT pid) AS n FROM test_output').get() as { n: number };
    expect(pids.n).toBe(2); // both processes did part of the work
  });
});

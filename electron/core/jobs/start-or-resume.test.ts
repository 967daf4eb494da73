// "The same command resumes" (issue 16 §2), written once in jobs/: JobRunner.startOrResume on a real project.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject, type Project } from '../store/project';
import { JobRunner } from './runner';
import { counterKind } from './testing/counter-kind';

const dirs: string[] = [];
const open: Project[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const project = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-jobs-sor-'));
  dirs.push(d);
  const p = createProject(path.join(d, 'p'));
  open.push(p);
  return p;
};
/** Marks the job as running in another process: `pid` on `host`, its last heartbeat `ageMs` ago. */
const ownedBy = (p: Project, id: number, pid: number, host: string, ageMs: number) =>
  p.db
    .prepare("UPDATE jobs SET status = 'running', owner_pid = ?, owner_host = ?, heartbeat_at = ? WHERE id = ?")
    .run(pid, host, new Date(Date.now() - ageMs).toISOString(), id);

describe('JobRunner.startOrResume', () => {
  it('resumes the unfinished job with the same params and starts a new one for other params or once it is done', async () => {
    const p = project();
    const runner = new JobRunner(p).register(counterKind);
    const first = runner.startOrResume('test.counter', { n: 40, delayMs: 20 });
    expect(first.resumed).toBe(false);
    runner.pause(first.jobId);
    expect((await runner.wait(first.jobId)).status).toBe('paused');

    // the same params (the kind's defaults applied: the same text) continue the paused job
    const again = runner.startOrResume('test.counter', { delayMs: 20, n: 40 });
    expect(again).toEqual({ jobId: first.jobId, resumed: true });
    const other = runner.startOrResume('test.counter', { n: 3, delayMs: 0 });
    expect(other.resumed).toBe(false);
    expect(other.jobId).not.toBe(first.jobId);
    expect((await runner.wait(first.jobId)).status).toBe('done');
    expect((await runner.wait(other.jobId)).status).toBe('done');
    const rows = p.db.prepare('SELECT COUNT(*) FROM test_output').pluck().get();
    expect(rows).toBe(43);

    // a finished job is not resumed: the same command starts afresh
    const fresh = runner.startOrResume('test.counter', { n: 3, delayMs: 0 });
    expect(fresh.resumed).toBe(false);
    expect(fresh.jobId).toBeGreaterThan(other.jobId);
    await runner.wait(fresh.jobId);
  });

  it('resumes a failed job too, and checks params with the kind\'s schema', async () => {
    const p = project();
    const runner = new JobRunner(p).register(counterKind);
    const { jobId } = runner.startOrResume('test.counter', { n: 2, delayMs: 0 });
    await runner.wait(jobId);
    p.db.prepare("UPDATE jobs SET status = 'failed' WHERE id = ?").run(jobId);
    expect(runner.startOrResume('test.counter', { n: 2, delayMs: 0 })).toEqual({ jobId, resumed: true });
    await runner.wait(jobId);
    expect(() => runner.startOrResume('test.counter', { n: -1, delayMs: 0 })).toThrow(/setting "n" is invalid/);
    expect(() => runner.startOrResume('no.such.kind', {})).toThrow(/no job kind named "no.such.kind"/);
  });

  it('refuses, with one job_running sentence, a job whose owner is alive elsewhere (this machine or another)', async () => {
    const p = project();
    const runner = new JobRunner(p).register(counterKind);
    const { jobId } = runner.startOrResume('test.counter', { n: 2, delayMs: 0 });
    await runner.wait(jobId);
    const sentence = (pid: number, host: string) =>
      new RegExp(`^Job ${jobId} \\(count to 2\\) is already running in process ${pid} on ${host}; wait for it, or stop that process first\\.$`);

    ownedBy(p, jobId, process.ppid, os.hostname(), 0); // alive, and not this process
    expect(() => runner.startOrResume('test.counter', { n: 2, delayMs: 0 })).toThrow(sentence(process.ppid, os.hostname()));
    let err: unknown;
    try {
      runner.startOrResume('test.counter', { n: 2, delayMs: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'job_running' });

    // another machine's process: trusted while its heartbeat is fresh (its pid means nothing here)
    ownedBy(p, jobId, 999_999, 'another-host.example', 1_000);
    expect(() => runner.startOrResume('test.counter', { n: 2, delayMs: 0 })).toThrow(sentence(999_999, 'another-host.example'));
    expect(runner.get(jobId)).toMatchObject({ status: 'running', owner_pid: 999_999, owner_host: 'another-host.example' });
  });

  it('takes over a job whose owner stopped beating (another machine) or died (this machine)', async () => {
    const p = project();
    const runner = new JobRunner(p, { staleMs: 5_000 }).register(counterKind);
    const { jobId } = runner.startOrResume('test.counter', { n: 4, delayMs: 0 });
    await runner.wait(jobId);
    p.db.prepare("UPDATE job_items SET status = 'pending' WHERE job_id = ? AND key IN ('item-2', 'item-3')").run(jobId);
    p.db.prepare('UPDATE jobs SET done = 2 WHERE id = ?').run(jobId);

    ownedBy(p, jobId, 999_999, 'another-host.example', 60_000);
    expect(runner.startOrResume('test.counter', { n: 4, delayMs: 0 })).toEqual({ jobId, resumed: true });
    expect(await runner.wait(jobId)).toMatchObject({ status: 'done', done: 4, owner_pid: process.pid, owner_host: os.hostname() });

    // this machine: a pid that no longer runs frees the job even with a fresh heartbeat
    p.db.prepare("UPDATE job_items SET status = 'pending' WHERE job_id = ? AND key = 'item-3'").run(jobId);
    p.db.prepare('UPDATE jobs SET done = 3 WHERE id = ?').run(jobId);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    ownedBy(p, jobId, Number(dead), os.hostname(), 0);
    expect(runner.startOrResume('test.counter', { n: 4, delayMs: 0 })).toEqual({ jobId, resumed: true });
    expect(await runner.wait(jobId)).toMatchObject({ status: 'done', done: 4, owner_pid: process.pid });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { insertJob } from '../jobs/store';
import { counterKind } from '../jobs/testing/counter-kind';
import type { JobProgress } from '../jobs';
import { createProject } from '../store/project';
import { listRecent } from '../store/registry';
import { Engine, type ProjectSummary } from './index';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-engine-'));
process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const rows = (e: Engine) => e.project?.db.prepare('SELECT COUNT(*) FROM test_output').pluck().get() as number;

describe('Engine (a real project folder, a real job runner)', () => {
  it('opens, runs a registered kind with progress to every listener, remembers the project, and closes', async () => {
    const engine = new Engine({ mode: 'cli' });
    engine.registerJobKind(counterKind);
    const projects: (ProjectSummary | null)[] = [];
    const offProject = engine.onProject((p) => projects.push(p));
    expect(engine.summary()).toBeNull();
    expect(engine.project).toBeNull();

    const dir = path.join(tmp, 'a');
    const s = await engine.create(dir, 'Alpha');
    expect(s).toEqual({ path: dir, name: 'Alpha' });
    expect(engine.summary()).toEqual(s);
    expect(listRecent().map((r) => r.path)).toContain(path.resolve(dir));

    const events: JobProgress[] = [];
    const off = engine.onProgress((p) => events.push(p));
    const id = engine.runner?.start('test.counter', { n: 6, delayMs: 1 }) as number;
    const job = await engine.runner?.wait(id);
    off();
    expect(job).toMatchObject({ status: 'done', done: 6 });
    expect(events.at(-1)).toMatchObject({ jobId: id, status: 'done', done: 6, total: 6 });
    expect(rows(engine)).toBe(6);

    await engine.close();
    offProject();
    expect(engine.project).toBeNull();
    expect(engine.runner).toBeNull();
    expect(projects).toEqual([s, null]);
  });

  it('gives a kind registered after opening to the open runner too', async () => {
    const engine = new Engine({ mode: 'cli' });
    await engine.create(path.join(tmp, 'b'));
    expect(engine.runner?.hasKind('test.counter')).toBe(false);
    engine.registerJobKind(counterKind);
    expect(engine.runner?.hasKind('test.counter')).toBe(true);
    await engine.close();
  });

  it('resumes unfinished jobs on open, except when the CLI opens without resuming', async () => {
    const dir = path.join(tmp, 'c');
    const p = createProject(dir);
    p.db.exec('CREATE TABLE test_output (item TEXT NOT NULL, pid INTEGER NOT NULL)');
    const id = insertJob(p.db, 'test.counter', { n: 3, delayMs: 1 }, 'left queued');
    p.close();

    const cli = new Engine({ mode: 'cli' });
    cli.registerJobKind(counterKind);
    await cli.open(dir, { resumeUnfinished: false });
    expect(cli.runner?.get(id)?.status).toBe('queued');
    await cli.close();

    const app = new Engine({ mode: 'browser' });
    app.registerJobKind(counterKind);
    await app.open(dir);
    expect(await app.runner?.wait(id)).toMatchObject({ status: 'done', done: 3 });
    expect(rows(app)).toBe(3);
    // Opening another project closes the first: one open project per engine.
    const other = await app.createSample(path.join(tmp, 'sample'));
    expect(app.summary()).toEqual(other);
    expect(app.project?.db.prepare('SELECT COUNT(*) FROM questions').pluck().get()).toBe(320);
    await app.close();
  });
});

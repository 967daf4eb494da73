import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine';
import { registerJobKinds } from '../kinds';
import { appRouter } from './router';
import { publicFault } from './trpc';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-router-'));
process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
const engine = new Engine({ mode: 'cli' });
registerJobKinds(engine);
const api = appRouter.createCaller({ engine });
afterAll(async () => {
  await engine.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The error a call throws, for its code and sentence. */
async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  const e = await call.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCError);
  return e as TRPCError;
}

describe('the app router, called in-process on a real project (as the CLI calls it)', () => {
  it('answers without a project, and refuses project calls with one sentence', async () => {
    expect(await api.health()).toEqual({ ok: true });
    expect(await api.app.info()).toMatchObject({ mode: 'cli', nativeFolderPicker: false, platform: process.platform });
    expect(await api.project.current()).toBeNull();
    expect(await api.fs.pickFolder()).toBeNull();
    const e = await refusal(api.project.info());
    expect(e.code).toBe('PRECONDITION_FAILED');
    expect(e.message).toBe('No project is open. Create, open or try the sample project first.');
    expect((await refusal(api.jobs.list())).code).toBe('PRECONDITION_FAILED');
  });

  it('maps a user error to BAD_REQUEST with its sentence, and checks inputs', async () => {
    const missing = path.join(tmp, 'nothing-here');
    const e = await refusal(api.project.open({ dir: missing }));
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.message).toContain(missing);
    expect((await refusal(api.project.create({ dir: '   ' }))).code).toBe('BAD_REQUEST');
  });

  it('creates the sample project, reports its counts, lists it, and closes it', async () => {
    const dir = path.join(tmp, 'sample');
    expect(await api.project.sample({ dir })).toEqual({ path: dir, name: 'Sample project' });
    expect(await api.project.current()).toEqual({ path: dir, name: 'Sample project' });
    const info = await api.project.info();
    expect(info).toMatchObject({ name: 'Sample project', path: dir, questions: 320, excluded: 0, traces: 0 });
    expect(Object.keys(info.domains)).toHaveLength(8);
    expect((await refusal(api.jobs.get({ id: -1 }))).code).toBe('BAD_REQUEST');
    expect(await api.jobs.list()).toEqual([]);
    expect((await api.project.recent()).map((r) => r.path)).toContain(dir);
    const listing = await api.fs.list({ path: tmp });
    expect(listing.entries.find((x) => x.name === 'sample')).toMatchObject({ isProject: true });
    const unknownJob = await refusal(api.jobs.get({ id: 999 }));
    expect(unknownJob.code).toBe('BAD_REQUEST');
    await api.project.close();
    expect(await api.project.current()).toBeNull();
    await api.project.forget({ dir });
    expect((await api.project.recent()).map((r) => r.path)).not.toContain(dir);
  });

  it('cuts an internal error to one line without paths', () => {
    expect(publicFault('ENOENT: no such file, open /home/ana/secret/project.sqlite\n    at x (/app/out/main.js:1:2)')).toBe(
      'Something went wrong in the engine: ENOENT: no such file, open … — see the log.',
    );
    expect(publicFault('')).toBe('Something went wrong in the engine: an unexpected error — see the log.');
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTeacherFixture } from './teacher-local-fixture';

const { tmp, model, project, cli, serversFor, hasPython, makeTinyModel } = localTeacherFixture('distillery-teacher-local-');

beforeAll(async () => {
  if (!hasPython) return;
  await makeTinyModel(model);
  expect((await cli('project', 'sample', project)).exitCode).toBe(0);
}, 600_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!hasPython)('a local teacher from the CLI: started on demand, stopped with the command (issue 17 item 10)', { timeout: 900_000 }, () => {
  it('refuses a folder that is not a model with one sentence', async () => {
    const r = await cli('teacher', 'add', project, '--name', 'x', '--local', path.join(tmp, 'nope'));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--local .*nope.* does not exist/);
  });

  it('add --local remembers the folder; teacher test, generate and eval start transformers serve and stop it', async () => {
    const add = await cli('teacher', 'add', project, '--name', 'tiny', '--local', model, '--json');
    expect(add.exitCode, add.stderr).toBe(0);
    const saved = JSON.parse(add.stdout) as { name: string; localDir: string; model: string; preset: string };
    expect(saved).toMatchObject({ name: 'tiny', localDir: model, model });

    const test = await cli('teacher', 'test', project, '--name', 'tiny', '--json');
    const report = JSON.parse(test.stdout) as { ok: boolean; endpoints: { endpoint: string; ok: boolean; error: string | null }[] };
    expect(report.endpoints[0]?.error ?? null, test.stderr).toBeNull();
    expect(report.endpoints[0]?.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(await serversFor(model)).toEqual([]);

    const gen = await cli('generate', project, '--teacher', 'tiny', '--limit', '2', '--max-tokens', '8', '--concurrency', '1', '--json');
    const last = JSON.parse(gen.stdout.trim().split('\n').pop() as string) as { done: number; failed: number; failures: unknown[] };
    expect(last.failures, gen.stderr).toEqual([]);
    expect(last.done).toBe(2);
    // The server ended with the command: no process of it is left.
    expect(await serversFor(model)).toEqual([]);

    const traces = await cli('traces', project, '--teacher', 'tiny', '--json');
    const rows = traces.stdout.trim().split('\n').map((l) => JSON.parse(l) as { status: string });
    expect(rows.filter((r) => r.status === 'done')).toHaveLength(2);

    // eval with the teacher: started on demand from its folder (its tokenizer and template are there), then stopped.
    const ev = await cli('eval', project, '--model', 'tiny', '--bench', 'aime24', '--limit', '2', '--max-thinking', '8', '--max-answer-tokens', '4', '--json');
    const run = JSON.parse(ev.stdout.trim().split('\n').pop() as string) as { status: string; failed: number; latency: { model: string; generations: number; ttftP50Ms: number | null }[] };
    expect(run.status, ev.stderr).toBe('done');
    expect(run.failed).toBe(0);
    expect(run.latency[0]).toMatchObject({ model: 'tiny', generations: 2 });
    expect(run.latency[0]?.ttftP50Ms).toBeGreaterThan(0);
    expect(await serversFor(model)).toEqual([]);
  });
});

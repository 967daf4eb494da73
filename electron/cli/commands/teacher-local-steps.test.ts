import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTeacherFixture } from './teacher-local-fixture';

/**
 * Issue 17.10 / 19.7 follow-up: not only generate, Teacher Test and eval, but every step that asks a teacher
 * (here the verify judge and document synthesis) starts a local teacher from its model folder on demand,
 * reaches it, and stops it when the command ends. The real CLI in its own process, the tiny HF model served
 * by transformers serve.
 */
const { tmp, model, project, cli, serversFor, hasPython, makeTinyModel } = localTeacherFixture('distillery-teacher-steps-');

/** The last JSON line a command printed. */
const lastJson = <T>(stdout: string): T => JSON.parse(stdout.trim().split('\n').pop() as string) as T;

beforeAll(async () => {
  if (!hasPython) return;
  await makeTinyModel(model);
  expect((await cli('project', 'sample', project)).exitCode).toBe(0);
  const add = await cli('teacher', 'add', project, '--name', 'tiny', '--local', model, '--json');
  expect(add.exitCode, add.stderr).toBe(0);
}, 600_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!hasPython)('a local teacher is started on demand by every step, not only generate/test/eval', { timeout: 900_000 }, () => {
  it('the verify judge reaches the local teacher it started, and the server ends with the command', async () => {
    const gen = await cli('generate', project, '--teacher', 'tiny', '--limit', '2', '--max-tokens', '8', '--concurrency', '1', '--json');
    expect(lastJson<{ done: number }>(gen.stdout).done, gen.stderr).toBe(2);
    // The tiny model's 8 tokens may hold no final answer; give both traces one so the judge is asked.
    const db = new Database(path.join(project, 'project.sqlite'));
    db.prepare("UPDATE traces SET answer = 'The answer is 42.' WHERE status = 'done'").run();
    db.close();

    const v = await cli('verify', project, '--judge', 'tiny', '--mode', 'always', '--json');
    expect(v.exitCode, v.stderr).toBe(0);
    expect(lastJson<{ checked: number }>(v.stdout).checked).toBe(2);
    const ro = new Database(path.join(project, 'project.sqlite'), { readonly: true });
    const reasons = (ro.prepare('SELECT reason FROM verdicts').all() as { reason: string | null }[]).map((r) => r.reason ?? '');
    ro.close();
    expect(reasons).toHaveLength(2);
    // Reached: the tiny model's reply was read (a Yes/No, or a reply without one), no connection failure or HTTP error.
    for (const r of reasons) {
      expect(r).toMatch(/judge: (reply did not end with Yes or No|.* said (Yes|No))/);
      expect(r).not.toMatch(/request to .* failed|HTTP \d{3}|empty reply/);
    }
    expect(await serversFor(model)).toEqual([]);
  });

  it('document synthesis reaches the local teacher it started, and the server ends with the command', async () => {
    const doc = path.join(tmp, 'policy.txt');
    fs.writeFileSync(doc, 'Travel policy.\n\nA hotel night in Munich is reimbursed up to EUR 130. Meals cost EUR 14 per day.\n');
    const add = await cli('docs', 'add', project, doc, '--json');
    expect(add.exitCode, add.stderr).toBe(0);
    const s = await cli('synthesize', project, '--teacher', 'tiny', '--per-chunk', '1', '--max-tokens', '64', '--concurrency', '1', '--json');
    const sum = lastJson<{ status: string; chunks: number; chunks_failed: number; accepted: number; rejected: number; rejected_reasons: Record<string, number> }>(s.stdout);
    // Every chunk got an answer from the model (accepted or rejected for its content), none failed to reach it.
    expect(sum.status, s.stderr).toBe('done');
    expect(sum.chunks).toBeGreaterThan(0);
    expect(sum.chunks_failed, JSON.stringify(sum)).toBe(0);
    expect(sum.accepted + sum.rejected).toBeGreaterThan(0);
    expect(await serversFor(model)).toEqual([]);
  });
});

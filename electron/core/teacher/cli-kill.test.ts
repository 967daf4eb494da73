import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleProject } from '../sample';
import { saveTeacher } from './store';
import { startScriptedServer, type ScriptedServer } from './testing/scripted-server';

const root = path.resolve(import.meta.dirname, '../../..');
const mainWired = fs.readFileSync(path.join(root, 'electron/cli/main.ts'), 'utf8').includes('runGenerate');

/** The CLI as one plain node process (no tsx wrapper), so that SIGKILL hits the process doing the work. */
function cli(args: string[], env: Record<string, string>): ResultPromise {
  const entry = mainWired
    ? ['electron/cli/index.ts', ...args]
    : // Until electron/cli/main.ts routes "generate", call the command module directly in the same single process.
      ['--input-type=module', '-e', `const m = await import('./electron/cli/commands/generate.ts'); const { processIO } = await import('./electron/cli/io.ts'); process.exitCode = await m.runGenerate(${JSON.stringify(args.slice(1))}, processIO);`];
  return execa('node', ['--import', 'tsx', ...entry], { cwd: root, env, reject: false, all: true });
}

let dir: string;
let server: ScriptedServer;
let projectDir: string;
const N = 12;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-kill-'));
  projectDir = path.join(dir, 'p');
  server = await startScriptedServer(() => ({ kind: 'ok', tokens: 10, delayPerTokenMs: 40 }));
  const p = createSampleProject(projectDir);
  saveTeacher(p.db, { name: 'scripted', baseUrls: [server.url], model: 'scripted' });
  p.close();
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('generate CLI survives SIGKILL', () => {
  it('resumes after a kill mid-job; every question has exactly one stored result', async () => {
    const args = ['generate', projectDir, '--teacher', 'scripted', '--limit', String(N), '--concurrency', '3', '--json'];
    const env = { DISTILLERY_CONFIG_DIR: path.join(dir, 'config') };
    const first = cli(args, env);
    const db = new Database(path.join(projectDir, 'project.sqlite'), { readonly: true });
    const doneCount = () => {
      try {
        return db.prepare("SELECT COUNT(*) FROM traces WHERE status = 'done'").pluck().get() as number;
      } catch {
        return 0;
      }
    };
    const deadline = Date.now() + 60_000;
    while (doneCount() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    first.kill('SIGKILL');
    const r1 = await first;
    expect(r1.signal).toBe('SIGKILL');
    const doneBefore = db.prepare("SELECT q.question FROM traces t JOIN questions q ON q.id = t.question_id WHERE t.status = 'done'").pluck().all() as string[];
    expect(doneBefore.length).toBeGreaterThanOrEqual(3);
    expect(doneBefore.length).toBeLessThan(N);

    const second = await cli(args, env);
    expect(second.exitCode, String(second.all)).toBe(0);
    const lines = String(second.stdout).trim().split('\n');
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ done: N, failed: 0, remaining: 0 });

    const rows = db.prepare('SELECT question_id, COUNT(*) AS n FROM traces GROUP BY question_id').all() as { question_id: number; n: number }[];
    expect(rows).toHaveLength(N);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) FROM jobs').pluck().get()).toBe(1);
    // A question finished before the kill was never asked again.
    for (const q of doneBefore) expect(server.requests.filter((r) => r.prompt.startsWith(q)).length).toBe(1);
    db.close();
  }, 120_000);
});

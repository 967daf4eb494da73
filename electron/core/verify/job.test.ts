import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs';
import { createSampleProject } from '../sample';
import type { Project } from '../store/project';
import { saveTeacher } from '../teacher/store';
import { verifyKind } from './job';
import { verdictSummary, verdictsFor } from './store';
import { recheckTrace } from './job';
import { main } from '../../cli/main';

let tmp: string;
let project: Project;
let judgeCalls = 0;
let server: http.Server;
let url = '';

/** Stores a finished trace whose answer is `answer` for question `qid`. */
function addTrace(p: Project, qid: number, answer: string): number {
  const r = p.db
    .prepare("INSERT INTO traces (question_id, source, status, thinking, answer, created_at) VALUES (?, 'imported', 'done', 'thinking…', ?, ?)")
    .run(qid, answer, new Date().toISOString());
  return Number(r.lastInsertRowid);
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-verification-'));
  process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
  project = createSampleProject(path.join(tmp, 'p'));
  // A scripted OpenAI-compatible judge: says Yes when the attempt contains "forty-two".
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      judgeCalls++;
      const yes = body.includes('forty-two');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: `Reasoning...\n${yes ? 'Yes' : 'No'}` }, finish_reason: 'stop' }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => {
  project.close();
  server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('verification job', () => {
  it('stores a verdict with method and reason for every finished trace', async () => {
    const qs = project.db.prepare('SELECT id, answer FROM questions ORDER BY id LIMIT 4').all() as { id: number; answer: string }[];
    const [a, b, c, d] = qs as [{ id: number; answer: string }, { id: number; answer: string }, { id: number; answer: string }, { id: number; answer: string }];
    const right = addTrace(project, a.id, `So the answer is $\\boxed{${a.answer}}$.`);
    const wrong = addTrace(project, b.id, `\\boxed{${Number(b.answer) + 1}}`);
    const none = addTrace(project, c.id, '');
    const words = addTrace(project, d.id, 'It is forty-two, I think');
    const runner = new JobRunner(project).register(verifyKind);
    const job = await runner.wait(runner.start('verify', {}));
    expect(job).toMatchObject({ status: 'done', done: 4, failed: 0 });
    const v = verdictsFor(project.db, [right, wrong, none, words]);
    expect(v.get(right)).toMatchObject({ equivalent: true });
    expect(v.get(wrong)).toMatchObject({ equivalent: false });
    expect(v.get(none)).toMatchObject({ equivalent: null, method: 'none', reason: 'the trace has no final answer' });
    expect(v.get(right)?.reason.length).toBeGreaterThan(3);
    expect(verdictSummary(project.db)).toMatchObject({ checked: 4, equivalent: 1 });
  });

  it('asks the judge when the rules cannot decide, and caches its verdict in the project', async () => {
    saveTeacher(project.db, { name: 'judge', baseUrls: [url], model: 'judge-model' });
    const q = project.db.prepare("SELECT id FROM questions WHERE answer NOT LIKE '%frac%' ORDER BY id LIMIT 1 OFFSET 10").get() as { id: number };
    const t = addTrace(project, q.id, 'forty-two');
    const runner = new JobRunner(project).register(verifyKind);
    await runner.wait(runner.start('verify', { judge: 'judge', mode: 'always', scope: 'all' }));
    const calls = judgeCalls;
    expect(calls).toBeGreaterThan(0);
    expect(verdictsFor(project.db, [t]).get(t)).toMatchObject({ equivalent: true, method: 'judge', judge: 'judge' });
    await runner.wait(runner.start('verify', { judge: 'judge', mode: 'always', scope: 'all' }));
    expect(judgeCalls).toBe(calls); // every verdict came from the cache
  });

  it('re-checks one trace after its answer is edited', async () => {
    const q = project.db.prepare('SELECT id, answer FROM questions ORDER BY id LIMIT 1 OFFSET 20').get() as { id: number; answer: string };
    const t = addTrace(project, q.id, '\\boxed{-99999}');
    expect((await recheckTrace(project, t)).equivalent).toBe(false);
    project.db.prepare('UPDATE traces SET answer = ? WHERE id = ?').run(`\\boxed{${q.answer}}`, t);
    expect((await recheckTrace(project, t)).equivalent).toBe(true);
  });

  it('runs from the CLI and prints the summary as JSON', async () => {
    const out: string[] = [];
    const code = await main(['verify', project.dir, '--json'], { stdout: (s) => out.push(s), stderr: (s) => out.push(s), readFile: async () => '' });
    expect(code).toBe(0);
    const j = JSON.parse(out.at(-1) as string);
    expect(j.checked).toBeGreaterThanOrEqual(6);
    expect(j.checked).toBe(j.equivalent + j.not_equivalent + j.undecided);
    expect(await main(['verify', project.dir, '--mode', 'always'], { stdout: () => {}, stderr: () => {}, readFile: async () => '' })).toBe(2);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatServer, type ChatServer } from '../../core/augment/testing';
import { createProject } from '../../core/store/project';
import { saveTeacher } from '../../core/teacher/store';
import { main } from '../main';

let tmp: string;
let dir: string;
let server: ChatServer;

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s), readFile: async () => '' });
  return { code, out, err };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-augment-cli-'));
  process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
  dir = path.join(tmp, 'p');
  server = await startChatServer((prompt, n) => {
    if (prompt.includes('Criteria:')) return JSON.stringify({ scores: [{ criterion: 'Clear', score: prompt.includes('Because') ? 9 : 3, reason: 'one line' }] });
    if (prompt.startsWith('Write a new version')) return 'Ann has 20 pears and eats 8. How many are left?';
    if (prompt.includes('20 pears')) return '<think>20-8</think>\\boxed{12}';
    return `<think>t</think>\\boxed{${n % 4 === 0 ? 5 : 7}}`;
  });
  const p = createProject(dir);
  saveTeacher(p.db, { name: 't', baseUrls: [server.url], model: 'm' });
  const ins = p.db.prepare("INSERT INTO questions (question, answer, source, created_at) VALUES (?, ?, 'test', ?)");
  ins.run('Tom has 12 apples and eats 5. How many are left?', '7', new Date().toISOString());
  ins.run('Why is the sky blue?', null, new Date().toISOString());
  p.close();
});
afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('augment, pseudo-label and rubric commands', () => {
  it('augment --json adds a re-solved numbers variant', async () => {
    const r = await cli(['augment', dir, '--teacher', 't', '--ids', '1', '--kinds', 'numbers', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out.at(-1) as string);
    expect(j).toMatchObject({ added: 1, dropped: 0, refused: 0, outcomes: [{ parent: 1, kind: 'numbers', status: 'added', question: 3 }] });
    expect((await cli(['augment', dir, '--teacher', 't', '--all', '--kinds', 'shorter'])).err[0]).toBe('distillery: augment: --kinds takes paraphrase, numbers, harder, translate (comma-separated), not "shorter".');
  });

  it('pseudo-label --json labels the question without an answer', async () => {
    const r = await cli(['pseudo-label', dir, '--teacher', 't', '--samples', '4', '--min-agreement', '3/4', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out.at(-1) as string);
    expect(j).toMatchObject({ generated_for: 1, labelled: 1, unsure: 0, unanswered: 1 });
    expect(j.histogram.find((b: { bucket: string }) => b.bucket === '0.7-0.8').count).toBe(1);
  });

  it('rubric set, judge, mark and calibration', async () => {
    const file = path.join(tmp, 'rubric.json');
    fs.writeFileSync(file, JSON.stringify({ criteria: [{ name: 'Clear', description: 'explains why', weight: 2 }], threshold: 0.5 }));
    expect((await cli(['rubric', 'set', dir, '--name', 'clarity', '--file', file])).out[0]).toBe('Rubric "clarity" saved: Clear ×2; pass at 50%.');
    const j = JSON.parse((await cli(['rubric', 'judge', dir, '--name', 'clarity', '--judge', 't', '--limit', '2', '--json'])).out[0] as string);
    expect(j).toMatchObject({ status: 'done', judged: 2, verdicts: 2 });
    expect((await cli(['rubric', 'mark', dir, '--name', 'clarity', '--trace', '1', '--fail'])).code).toBe(0);
    const c = JSON.parse((await cli(['rubric', 'calibration', dir, '--name', 'clarity', '--json'])).out[0] as string);
    expect(c).toMatchObject({ marks: 1, judges: [{ judge: 't', n: 1, agree: 1, warning: 'too_few_marks' }] });
    expect((await cli(['rubric', 'mark', dir, '--name', 'clarity', '--trace', '1'])).err[0]).toBe('distillery: rubric mark: give --trace ID and one of --pass, --fail or --clear.');
  });
});

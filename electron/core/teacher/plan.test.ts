// Which questions a generation job covers (planItems), on a real project: every mode reads the pool through pool/questions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createSampleProject } from '../sample';
import { planItems } from './generate';
import { generateParams } from './params';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-plan-'));
const project = createSampleProject(path.join(tmp, 'p'));
afterAll(() => {
  project.db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const plan = (questions: unknown, samples = 1) => planItems(project.db, generateParams.parse({ teacher: 't', questions, samples })).map((i) => i.key);

it('covers the pool, its first n, named ids (excluded ones included, unknown ones dropped) or a seeded sample', () => {
  const ids = project.db.prepare('SELECT id FROM questions ORDER BY id').pluck().all() as number[];
  const [a, b, c] = ids as [number, number, number];
  project.db.prepare('UPDATE questions SET excluded = 1 WHERE id = ?').run(a);
  expect(plan({ mode: 'all' })).toEqual(ids.slice(1).map((id) => `${id}:0`));
  expect(plan({ mode: 'limit', n: 2 }, 2)).toEqual([`${b}:0`, `${b}:1`, `${c}:0`, `${c}:1`]);
  expect(plan({ mode: 'ids', ids: [c, a, c, 999_999] })).toEqual([`${c}:0`, `${a}:0`]);
  const sample = plan({ mode: 'sample', n: 5, seed: 3 });
  expect(sample).toHaveLength(5);
  expect(plan({ mode: 'sample', n: 5, seed: 3 })).toEqual(sample);
  expect(sample).not.toContain(`${a}:0`);
});

it('plans a redo of thinking-less traces only when it knows the traces a person kept', () => {
  const redo = generateParams.parse({ teacher: 't', redoNoThinking: true });
  expect(() => planItems(project.db, redo)).toThrow(/cannot tell which traces a person reviewed or edited/);
  expect(planItems(project.db, redo, () => []).length).toBe(planItems(project.db, generateParams.parse({ teacher: 't' })).length);
});

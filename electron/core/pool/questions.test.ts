// The pool's question reads other domains call, on a real project (the embedded sample project).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createSampleProject } from '../sample';
import { poolQuestionIds, poolSize, questionById, questionTextLookup, unansweredPoolIds } from './questions';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-pool-questions-'));
const project = createSampleProject(path.join(tmp, 'p'));
afterAll(() => {
  project.db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

it('counts and lists the questions not excluded, in import order, and looks texts up by id', () => {
  const ids = poolQuestionIds(project.db);
  const all = project.db.prepare('SELECT COUNT(*) FROM questions').pluck().get() as number;
  expect(ids.length).toBe(all);
  expect(poolSize(project.db)).toBe(all);
  expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  project.db.prepare('UPDATE questions SET excluded = 1 WHERE id = ?').run(ids[0]);
  expect(poolSize(project.db)).toBe(all - 1);
  expect(poolQuestionIds(project.db)).toEqual(ids.slice(1));
  const text = questionTextLookup(project.db);
  expect(text(ids[1] as number)).toMatch(/\S/);
  expect(text(ids[0] as number)).toBeDefined();
  expect(text(999_999)).toBeUndefined();
  expect(questionById(project.db, ids[1] as number)?.question).toBe(text(ids[1] as number));
  expect(questionById(project.db, 999_999)).toBeUndefined();
  project.db.prepare('UPDATE questions SET answer = NULL WHERE id IN (?, ?)').run(ids[0], ids[2]);
  expect(unansweredPoolIds(project.db)).toEqual(ids[2] !== undefined ? [ids[2]] : []);
});

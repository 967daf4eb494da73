// The jobs queries other domains call instead of reading the jobs table (issue 16 §3), on a real project.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createProject } from '../store/project';
import { getJob, latestJobId } from './index';
import { insertJob } from './store';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-jobs-latest-'));
const project = createProject(path.join(tmp, 'p'), 'p');
afterAll(() => {
  project.db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

it('gives the newest job of a kind and a job with its params as stored', () => {
  expect(latestJobId(project.db, 'augment')).toBeUndefined();
  const first = insertJob(project.db, 'augment', { n: 1 }, null);
  const other = insertJob(project.db, 'generate', { promptTemplate: 'Q: {question}' }, 'gen');
  const second = insertJob(project.db, 'augment', { n: 2 }, null);
  expect(latestJobId(project.db, 'augment')).toBe(second);
  expect(second).toBeGreaterThan(first);
  expect(latestJobId(project.db, 'generate')).toBe(other);
  expect(JSON.parse(getJob(project.db, other)?.params ?? 'null')).toEqual({ promptTemplate: 'Q: {question}' });
  expect(getJob(project.db, 9999)).toBeUndefined();
});

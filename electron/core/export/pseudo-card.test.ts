import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, type Project } from '../store/project';
import { exportDataset } from './export';

let tmp: string;
let project: Project;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-pseudo-card-'));
  project = createProject(path.join(tmp, 'p'));
  const db = project.db;
  const now = new Date().toISOString();
  // Three questions without an answer, labelled by the teacher at 8/8, 6/8 and 3/8 (unsure); one with a real answer.
  for (const [i, agreement] of [1, 0.75, 0.375, null].entries()) {
    const q = Number(db.prepare("INSERT INTO questions (question, answer, source, created_at) VALUES (?, ?, 'test', ?)").run(`Question ${i}?`, agreement === null ? '5' : null, now).lastInsertRowid);
    db.prepare("INSERT INTO traces (question_id, source, teacher, status, thinking, answer, created_at) VALUES (?, 'imported', NULL, 'done', 'Think.', '\\boxed{5}', ?)").run(q, now);
    if (agreement !== null) {
      db.prepare("INSERT INTO pseudo_labels (question_id, answer, votes, samples, agreement, unsure, teacher, groups, created_at) VALUES (?, '5', ?, 8, ?, ?, 't', '{}', ?)").run(q, agreement * 8, agreement, agreement < 0.5 ? 1 : 0, now);
    }
  }
});
afterAll(() => {
  project.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('dataset card', () => {
  it('says how many references are pseudo-labels, with their agreement histogram', () => {
    const r = exportDataset(project, { format: 'trl', include: 'all', scope: 'pool', val: 0 });
    const card = fs.readFileSync(path.join(r.dir, 'README.md'), 'utf8');
    expect(card).toContain('## Pseudo-labels');
    expect(card).toContain('3 of the exported questions had no reference answer: their reference is a pseudo-label, the teacher\'s majority answer over several samples (1 of them "teacher unsure", below the agreement asked for).');
    expect(card).toContain('| Agreement | Questions |\n|---|---|\n| 0.3-0.4 | 1 |\n| 0.7-0.8 | 1 |\n| 0.9-1.0 | 1 |');
  });
});

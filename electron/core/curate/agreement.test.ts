import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, type Project } from '../store/project';
import { curate } from './pipeline';
import { parseRecipe } from './recipe';

let tmp: string;
let project: Project;
const ids: Record<string, number> = {};

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-curate-agreement-'));
  project = createProject(path.join(tmp, 'p'));
  const db = project.db;
  const now = new Date().toISOString();
  const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');
  // long: longest thinking, but the teacher agreed on 2 of 8; steady: shorter, 8 of 8; real: a real reference.
  for (const [name, len, agreement] of [['long', 400, 0.25], ['steady', 250, 1], ['real', 100, null]] as const) {
    const q = Number(db.prepare("INSERT INTO questions (question, answer, source, created_at) VALUES (?, ?, 'test', ?)").run(`Question ${name}?`, agreement === null ? '1' : null, now).lastInsertRowid);
    ids[name] = q;
    db.prepare("INSERT INTO traces (question_id, source, teacher, status, thinking, answer, created_at) VALUES (?, 'generated', 't', 'done', ?, '\\boxed{1}', ?)").run(q, words(len, name), now);
    if (agreement !== null) {
      db.prepare("INSERT INTO pseudo_labels (question_id, answer, votes, samples, agreement, unsure, teacher, groups, created_at) VALUES (?, '1', ?, 8, ?, ?, 't', '{}', ?)").run(q, agreement * 8, agreement, agreement < 0.6 ? 1 : 0, now);
    }
  }
});
/** A question whose first sample (the judged trace) answered 3 while 3 of 4 samples agreed on 1/2. */
function minorityFirst(db: Project['db']): { q: number; traces: number[] } {
  const now = new Date().toISOString();
  const q = Number(db.prepare("INSERT INTO questions (question, answer, source, created_at) VALUES ('Question minority?', NULL, 'test', ?)").run(now).lastInsertRowid);
  const traces = ['3', '1/2', '0.5', '\\frac{1}{2}'].map((a, i) =>
    Number(db.prepare("INSERT INTO traces (question_id, source, teacher, status, sample_index, thinking, answer, created_at) VALUES (?, 'generated', 't', 'done', ?, ?, ?, ?)").run(q, i, Array.from({ length: 300 }, (_, k) => `m${i}w${k}`).join(' '), `\\boxed{${a}}`, now).lastInsertRowid),
  );
  const groups = JSON.stringify({ groups: [{ answer: '1/2', votes: 3, forms: ['1/2', '0.5'], traces: traces.slice(1) }, { answer: '3', votes: 1, forms: ['3'], traces: [traces[0]] }], noAnswer: 0, judged: 0 });
  db.prepare("INSERT INTO pseudo_labels (question_id, answer, votes, samples, agreement, unsure, teacher, groups, created_at) VALUES (?, '1/2', 3, 4, 0.75, 0, 't', ?, ?)").run(q, groups, now);
  return { q, traces };
}

afterAll(() => {
  project.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('curation with the teacher agreement of pseudo-labels', () => {
  const base = { target: 1, difficulty: { enabled: false }, diversity: { enabled: false } };

  it('changes nothing unless asked', () => {
    const r = curate(project, parseRecipe(base));
    expect(r.selection).toEqual([ids.long]);
    expect(r.decisions.some((d) => d.rule === 'teacher_unsure')).toBe(false);
  });

  it('drops "teacher unsure" questions with their agreement', () => {
    const r = curate(project, parseRecipe({ ...base, quality: { dropTeacherUnsure: true } }));
    expect(r.decisions.find((d) => d.questionId === ids.long)).toMatchObject({ kept: false, stage: 'quality', rule: 'teacher_unsure', detail: { agreement: 0.25, votes: 2, samples: 8 } });
    expect(r.selection).toEqual([ids.steady]);
  });

  it('drops a question whose judged sample is not in the majority, so no trace is exported under a pseudo-label it contradicts', () => {
    const { q, traces } = minorityFirst(project.db);
    try {
      const off = curate(project, parseRecipe({ ...base, target: 5 }));
      expect(off.decisions.find((d) => d.questionId === q)).toMatchObject({ kept: true });
      expect(off.selection).toContain(q);
      const r = curate(project, parseRecipe({ ...base, target: 5, quality: { dropTeacherUnsure: true } }));
      expect(r.decisions.find((d) => d.questionId === q)).toMatchObject({ kept: false, stage: 'quality', rule: 'pseudo_label_disagrees', detail: { traceId: traces[0], pseudoLabel: '1/2', votes: 3, samples: 4 } });
      expect(r.selection).not.toContain(q);
    } finally {
      project.db.prepare('DELETE FROM pseudo_labels WHERE question_id = ?').run(q);
      project.db.prepare('DELETE FROM traces WHERE question_id = ?').run(q);
      project.db.prepare('DELETE FROM questions WHERE id = ?').run(q);
    }
  });

  it('ranks hard but consistent questions first', () => {
    // long: ~400·w chars × 0.25 falls below steady's ~250·w chars × 1; real references count as consistent.
    const r = curate(project, parseRecipe({ ...base, target: 2, diversity: { enabled: false, preferConsistent: true } }));
    expect(r.selection).toEqual([ids.steady, ids.long]);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../store/project';
import { doneTracesOfQuestions } from '../traces/review-reads';
import { saveVerdict } from '../verify/store';
import { representatives, setStatus, tracesForQuestions } from './decisions';
import { reviewQueue } from './queue';
import { reviewProject } from './testing/fixture';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-queue-'));
let p: Project;
let q: number[];
let first: number[];

const addTrace = (questionId: number, status: 'done' | 'failed' = 'done') =>
  Number(
    p.db
      .prepare("INSERT INTO traces (question_id, source, teacher, status, thinking, answer, created_at) VALUES (?, 'imported', NULL, ?, 'more thinking', 'x', ?)")
      .run(questionId, status, new Date().toISOString()).lastInsertRowid,
  );
const verdict = (traceId: number, equivalent: boolean | null) => saveVerdict(p.db, traceId, { equivalent, method: 'exact', reason: 'r', extracted: null }, null);

beforeAll(() => {
  const f = reviewProject(path.join(tmp, 'p'), 4);
  p = f.project;
  q = f.questionIds;
  first = f.traceIds;
});
afterAll(() => {
  p.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('representative trace and queue', () => {
  it('ranks by decision (accepted, needs work, todo, rejected), then verdict (correct, unchecked, wrong), then the oldest', () => {
    const [q0, q1, q2] = q as [number, number, number];
    const [t0] = first as [number];
    // q0: its first trace is rejected though correct; a later unchecked one and a later wrong one are todo.
    const t0b = addTrace(q0);
    const t0c = addTrace(q0);
    setStatus(p.db, [t0], 'rejected');
    verdict(t0, true);
    verdict(t0c, false);
    expect(tracesForQuestions(p.db, [q0]).get(q0)).toBe(t0b);
    verdict(t0b, false);
    expect(tracesForQuestions(p.db, [q0]).get(q0)).toBe(t0b); // both wrong and todo: the oldest
    setStatus(p.db, [t0c], 'needs_work');
    expect(tracesForQuestions(p.db, [q0]).get(q0)).toBe(t0c);
    setStatus(p.db, [t0], 'accepted');
    expect(tracesForQuestions(p.db, [q0]).get(q0)).toBe(t0);
    // q1: a failed trace never represents; an undecidable verdict counts as unchecked.
    const t1 = first[1] as number;
    addTrace(q1, 'failed');
    const t1b = addTrace(q1);
    verdict(t1, false);
    verdict(t1b, null);
    expect(tracesForQuestions(p.db, [q1]).get(q1)).toBe(t1b);
    // in question order, one each; a question without a done trace is left out
    const none = addTrace(q2, 'failed');
    const reps = representatives(p.db, [q2, q1, q0, 999_999]);
    expect(reps.map((r) => [r.question_id, r.id])).toEqual([
      [q0, t0],
      [q1, t1b],
      [q2, first[2]],
    ]);
    expect(reps.map((r) => r.id)).not.toContain(none);
  });

  it('reads the same done traces for a few questions and for a whole pool', () => {
    const many = [...q, ...Array.from({ length: 6000 }, (_, i) => 1_000_000 + i)];
    const sorted = (rows: { id: number }[]) => [...rows].sort((a, b) => a.id - b.id);
    expect(sorted(doneTracesOfQuestions(p.db, many))).toEqual(sorted(doneTracesOfQuestions(p.db, q)));
    expect(doneTracesOfQuestions(p.db, q).length).toBeGreaterThan(q.length);
  });

  it('searches ignoring the case of ASCII letters only (as SQLite lower() does) and lists domains in byte order', () => {
    const [q0, q1, q2, q3] = q as [number, number, number, number];
    const set = p.db.prepare('UPDATE questions SET question = ?, domain = ? WHERE id = ?');
    set.run('Une ÉCOLE', 'Zeta', q0);
    set.run('une école', 'zeta', q1);
    set.run('Sum over the UNIT circle', 'Ärger', q2);
    set.run('nothing', null, q3);
    const ids = (f: Parameters<typeof reviewQueue>[1]) => reviewQueue(p.db, { scope: 'pool', ...f }).rows.map((r) => r.questionId);
    expect(ids({ search: 'une école' })).toEqual([q1]);
    expect(ids({ search: 'UNE ÉCOLE' })).toEqual([q0]);
    expect(ids({ search: 'unit CIRCLE' })).toEqual([q2]);
    const page = reviewQueue(p.db, { scope: 'pool' });
    expect(page.domains).toEqual(['Zeta', 'zeta', 'Ärger']);
    expect(ids({ domain: 'zeta' })).toEqual([q1]);
  });
});

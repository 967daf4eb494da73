import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProject } from '../store/project';
import { verdictValues } from '../verify/verdict-reads';
import { representatives, reviewsOf } from './decisions';
import { queueCounts } from './queue';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-many-reads-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('decisions and verdicts of a whole pool (over 5,000 traces: one table read) equal those read a few at a time', () => {
  it('gives the same rows by both paths, leaving out traces not asked for and traces with none', () => {
    const project = createProject(path.join(tmp, 'p'));
    const db = project.db;
    const at = new Date().toISOString();
    const q = db.prepare("INSERT INTO questions (id, question, answer, source, created_at) VALUES (?, ?, '1', 'test', ?)");
    const t = db.prepare("INSERT INTO traces (id, question_id, source, teacher, sample_index, status, thinking, answer, created_at) VALUES (?, ?, 'generated', 't', 0, 'done', 'x', 'y', ?)");
    const v = db.prepare("INSERT INTO verdicts (trace_id, equivalent, method, reason, checked_at) VALUES (?, ?, 'exact', 'test', ?)");
    const r = db.prepare('INSERT INTO reviews (trace_id, status, reviewer, comment, updated_at) VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 7000; i++) {
        q.run(i, `Q${i}`, at);
        t.run(i, i, at);
        if (i % 3) v.run(i, i % 5 === 0 ? null : i % 2, at);
        if (i % 7 === 0) r.run(i, i % 2 ? 'accepted' : 'rejected', `r${i % 4}`, i % 3 ? null : 'c', at);
      }
    })();
    // Every trace but the first 100 (asked for: 6,900; not asked: 1..100).
    const ids = Array.from({ length: 6900 }, (_, k) => k + 101);
    const few = <T>(read: (chunk: number[]) => Map<number, T>) => new Map([...read(ids.slice(0, 3500)), ...read(ids.slice(3500))]);
    const reviews = reviewsOf(db, ids);
    expect([...reviews.entries()].sort((a, b) => a[0] - b[0])).toEqual([...few((c) => reviewsOf(db, c)).entries()].sort((a, b) => a[0] - b[0]));
    expect(reviews.size).toBe(ids.filter((i) => i % 7 === 0).length);
    expect(reviews.has(7)).toBe(false);
    expect(reviews.get(105)).toMatchObject({ trace_id: 105, status: 'accepted', reviewer: 'r1', comment: 'c' });
    const verdicts = verdictValues(db, ids);
    expect([...verdicts.entries()].sort((a, b) => a[0] - b[0])).toEqual([...few((c) => verdictValues(db, c)).entries()].sort((a, b) => a[0] - b[0]));
    expect(verdicts.size).toBe(ids.filter((i) => i % 3).length);
    expect(verdicts.get(110)).toBeNull();
    expect(verdicts.get(101)).toBe(1);
    expect(verdicts.has(1)).toBe(false);
    // Ties: a second done trace for some questions, decided or checked differently; the counts follow the representatives.
    const t2 = db.prepare("INSERT INTO traces (question_id, source, teacher, sample_index, status, thinking, answer, created_at) VALUES (?, 'generated', 't', 1, 'done', 'x', 'y', ?)");
    db.transaction(() => {
      for (let i = 1; i <= 7000; i += 11) {
        const id = Number(t2.run(i, at).lastInsertRowid);
        if (i % 2) v.run(id, 1, at);
        if (i % 3 === 0) r.run(id, i % 4 ? 'needs_work' : 'rejected', 'x', null, at);
      }
    })();
    const reps = representatives(db, Array.from({ length: 7000 }, (_, k) => k + 1));
    const by = (s: string) => reps.filter((x) => (x.review?.status ?? 'todo') === s).length;
    expect(queueCounts(db, 'pool')).toMatchObject({ total: 7000, todo: by('todo'), accepted: by('accepted'), rejected: by('rejected'), needsWork: by('needs_work') });
    expect(by('needs_work')).toBeGreaterThan(0);
    project.close();
  });
});

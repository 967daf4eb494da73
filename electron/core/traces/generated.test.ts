// The generation job's trace queries on a real project: what is answered, and what a redo of thinking-less
// traces may replace (never a trace a person reviewed or edited, as review/ reports them).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reviewedOrEditedTraceIds } from '../review/kept-traces';
import { createSampleProject } from '../sample';
import type { Project } from '../store/project';
import { answeredKeys, generatedTraces, type GeneratedTrace } from './generated';
import { answeredTraceIds } from './reads';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-traces-gen-'));
const project: Project = createSampleProject(path.join(tmp, 'p'));
const q = project.db.prepare('SELECT id FROM questions ORDER BY id LIMIT 5').pluck().all() as number[];
const ids: Record<string, number> = {};

beforeAll(() => {
  const put = project.db.prepare(
    `INSERT INTO traces (question_id, source, teacher, sample_index, status, thinking, answer, created_at) VALUES (?, ?, 't', 0, ?, ?, 'A', '2026-01-01T00:00:00Z')`,
  );
  const add = (name: string, qi: number, source: string, status: string, thinking: string | null) => (ids[name] = Number(put.run(q[qi], source, status, thinking).lastInsertRowid));
  add('thinks', 0, 'generated', 'done', 'because');
  add('bare', 1, 'generated', 'done', null);
  add('reviewed', 2, 'generated', 'done', '');
  add('edited', 3, 'generated', 'done', null);
  add('failed', 4, 'generated', 'failed', null);
  const t = '2026-01-02T00:00:00Z';
  project.db.prepare("INSERT INTO reviews (trace_id, status, updated_at) VALUES (?, 'accepted', ?)").run(ids.reviewed, t);
  const rev = project.db.prepare("INSERT INTO review_revisions (trace_id, n, kind, thinking, answer, digest, created_at, updated_at) VALUES (?, ?, ?, '', 'A', 'd', ?, ?)");
  rev.run(ids.edited, 0, 'original', t, t);
  rev.run(ids.edited, 1, 'edit', t, t);
  rev.run(ids.bare, 0, 'original', t, t); // only the original: not edited
});

afterAll(() => {
  project.db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const trace = (qi: number, over: Partial<GeneratedTrace> = {}): GeneratedTrace => ({
  q: q[qi] as number, s: 0, teacher: 't', status: 'done', thinking: 'new thinking', answer: 'B', raw: null, finish: 'stop', pt: 1, tt: 1, at: 1, lat: 1,
  hash: 'h', error: null, attempts: 1, now: '2026-01-03T00:00:00Z', rs: null, flags: null, endpoint: 'http://x', job: 1, ...over,
});

it('reports the traces a person reviewed or edited', () => {
  expect(reviewedOrEditedTraceIds(project.db).sort((a, b) => a - b)).toEqual([ids.reviewed, ids.edited]);
});

it('counts finished generated traces as answered; with a redo, not the thinking-less ones nobody kept', () => {
  const kept = reviewedOrEditedTraceIds(project.db);
  const key = (i: number) => `${q[i]}:0`;
  expect([...answeredKeys(project.db, 't', { redo: false, kept })].sort()).toEqual([key(0), key(1), key(2), key(3)].sort());
  expect([...answeredKeys(project.db, 't', { redo: true, kept })].sort()).toEqual([key(0), key(2), key(3)].sort());
  expect(answeredKeys(project.db, 'other', { redo: true, kept }).size).toBe(0);
  const g = generatedTraces(project.db);
  expect(g.answered(q[1] as number, 't', 0, { redo: false, kept })).toBe(true);
  expect(g.answered(q[1] as number, 't', 0, { redo: true, kept })).toBe(false);
  expect(g.answered(q[2] as number, 't', 0, { redo: true, kept })).toBe(true);
  expect(g.answered(q[4] as number, 't', 0, { redo: false, kept })).toBe(false);
});

it('lists the done traces with an answer, in id order, or those of some ids (the rubric judge\'s plan)', () => {
  const done = [ids.thinks, ids.bare, ids.reviewed, ids.edited] as number[];
  expect(answeredTraceIds(project.db, null)).toEqual(done);
  expect(answeredTraceIds(project.db, [ids.edited as number, ids.failed as number, 999_999, ids.thinks as number])).toEqual([ids.thinks, ids.edited]);
  project.db.prepare("UPDATE traces SET answer = '  ' WHERE id = ?").run(ids.bare);
  expect(answeredTraceIds(project.db, null)).toEqual(done.filter((id) => id !== ids.bare));
  project.db.prepare("UPDATE traces SET answer = 'A' WHERE id = ?").run(ids.bare);
});

it('writes over a failed trace, and over a finished one only when the redo may replace it', () => {
  const kept = reviewedOrEditedTraceIds(project.db);
  const g = generatedTraces(project.db);
  const text = (id: number) => project.db.prepare('SELECT thinking FROM traces WHERE id = ?').pluck().get(id);
  expect(g.upsert(trace(4), { redo: false, kept })).toBe(1);
  expect(text(ids.failed as number)).toBe('new thinking');
  expect(g.upsert(trace(1), { redo: false, kept })).toBe(0);
  expect(g.upsert(trace(2), { redo: true, kept })).toBe(0);
  expect(g.upsert(trace(3), { redo: true, kept })).toBe(0);
  expect(g.upsert(trace(0), { redo: true, kept })).toBe(0);
  expect(g.upsert(trace(1, { status: 'failed', error: 'boom' }), { redo: false, kept: [] })).toBe(0);
  expect(g.upsert(trace(1), { redo: true, kept })).toBe(1);
  expect([text(ids.bare as number), text(ids.reviewed as number), text(ids.edited as number), text(ids.thinks as number)]).toEqual(['new thinking', '', null, 'because']);
  // a new sample is inserted
  expect(g.upsert(trace(0, { s: 1 }), { redo: false, kept })).toBe(1);
  // attempts add up over the failed try and the new one
  expect(project.db.prepare('SELECT attempts FROM traces WHERE id = ?').pluck().get(ids.failed)).toBe(2);
});

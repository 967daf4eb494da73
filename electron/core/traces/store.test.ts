// The traces store on a real project (SQLite file, migrations): what each query gives back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleProject } from '../sample';
import type { Project } from '../store/project';
import {
  doneTraceCount, doneTraceIdsOfJob, eachQuestionBestTrace, generatedCounts, generatedTraceLookup, jobErrors, jobTraceQuality, pageOfTraces,
  doneSampleCounter, doneSamples, jobTokenSums, doneTraceCheck, existingTraceIds, importedTraceInserter, insertDoneTrace, sampleTakenCheck, setTraceText,
  thinkingLookup, traceExists, traceRaw, tracesOfQuestion, traceText,
} from './store';
import { doneTraceIds, questionsWithTraces, traceAnswerHeads, traceCountsOf } from './reads';

let tmp: string;
let project: Project;
let q: number[];
const ids: Record<string, number> = {};

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-traces-'));
  project = createSampleProject(path.join(tmp, 'p'));
  q = project.db.prepare('SELECT id FROM questions ORDER BY id LIMIT 3').pluck().all() as number[];
  const put = project.db.prepare(
    `INSERT INTO traces (question_id, source, teacher, sample_index, status, thinking, answer, raw, finish_reason, error, job_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00Z')`,
  );
  const add = (name: string, ...v: unknown[]) => (ids[name] = Number(put.run(...v).lastInsertRowid));
  add('failed', q[0], 'generated', 't1', 0, 'failed', null, null, null, null, 'Failed after 3 attempts: ECONNREFUSED', 7);
  add('done', q[0], 'generated', 't1', 1, 'done', 'think', '42', '{"raw":1}', 'stop', null, 7);
  add('cut', q[1], 'generated', 't2', 0, 'done', '', '7', null, 'length', null, 7);
  add('imported', q[1], 'imported', null, 0, 'done', 'given', '7', null, null, null, null);
});

/** The pool's questions in import order, as pool/questions.ts `poolQuestionTexts` gives them (traces/ may not import pool/). */
const poolQuestions = () => project.db.prepare('SELECT id, question FROM questions WHERE excluded = 0 ORDER BY id').all() as { id: number; question: string }[];

afterAll(() => {
  project.db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('traces/store', () => {
  it('picks a done trace before a failed one per question, and pending questions have none', () => {
    const seen: { id: number; status: string | null; thinking: string | null }[] = [];
    eachQuestionBestTrace(project.db, null, poolQuestions(), (r) => seen.push({ id: r.question_id, status: r.status, thinking: r.thinking }));
    expect(seen.slice(0, 3)).toEqual([
      { id: q[0], status: 'done', thinking: 'think' },
      { id: q[1], status: 'done', thinking: '' },
      { id: q[2], status: null, thinking: null },
    ]);
    const t2: (string | null)[] = [];
    eachQuestionBestTrace(project.db, 't2', poolQuestions(), (r) => t2.push(r.status));
    expect(t2.slice(0, 2)).toEqual([null, 'done']);
  });

  it('pages and counts generated traces only, newest first', () => {
    const page = pageOfTraces(project.db, { offset: 0, limit: 2 });
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.id)).toEqual([ids.cut, ids.done]);
    expect(pageOfTraces(project.db, { status: 'failed', offset: 0, limit: 10 }).rows.map((r) => r.error)).toEqual(['Failed after 3 attempts: ECONNREFUSED']);
    expect(generatedCounts(project.db)).toEqual({ done: 2, failed: 1 });
    expect(generatedCounts(project.db, 't2')).toEqual({ done: 1, failed: 0 });
    expect(doneTraceCount(project.db)).toBe(3);
  });

  it('answers per job, per id and per (question, teacher, sample)', () => {
    expect(jobErrors(project.db, 7)).toEqual(['Failed after 3 attempts: ECONNREFUSED']);
    expect(jobTraceQuality(project.db, 7)).toEqual({ done: 2, noThinking: 1, truncated: 1 });
    project.db.prepare('UPDATE traces SET prompt_tokens = 10, thinking_tokens = 5, answer_tokens = 2 WHERE job_id = 7').run();
    expect(jobTokenSums(project.db, 7)).toEqual({ input: 20, output: 14 });
    expect(doneTraceIdsOfJob(project.db, 7).sort()).toEqual([ids.done, ids.cut].sort());
    expect(traceRaw(project.db, ids.done as number)).toBe('{"raw":1}');
    expect(traceRaw(project.db, 999)).toBeNull();
    const lookup = generatedTraceLookup(project.db);
    expect(lookup(q[0] as number, 't1', 1)).toBe(ids.done);
    expect(lookup(q[1] as number, 't1', 0)).toBeUndefined();
    const thinking = thinkingLookup(project.db);
    expect([thinking(ids.done as number), thinking(ids.cut as number), thinking(999)]).toEqual(['think', '', null]);
    expect(tracesOfQuestion(project.db, q[1] as number).map((t) => t.source)).toEqual(['generated', 'imported']);
  });

  it('reads which questions have traces, how many, the done ids and the answers\' heads', () => {
    expect(questionsWithTraces(project.db)).toEqual([q[0], q[1]]);
    expect(traceCountsOf(project.db, [q[0] as number, q[1] as number, q[2] as number])).toEqual(new Map([[q[0], 2], [q[1], 2]]));
    expect(doneTraceIds(project.db)).toEqual([ids.done, ids.cut, ids.imported]);
    const heads = traceAnswerHeads(project.db, [ids.done as number, ids.failed as number, 999], 1);
    expect([heads.size, heads.get(ids.done as number), heads.get(ids.failed as number)]).toEqual([2, { questionId: q[0], answer: '4' }, { questionId: q[0], answer: '' }]);
  });

  it('checks ids and samples, and writes student, imported and edited traces', () => {
    expect(existingTraceIds(project.db, [ids.done as number, 999])).toEqual([ids.done]);
    expect([traceExists(project.db, ids.failed as number), traceExists(project.db, 999)]).toEqual([true, false]);
    const isDone = doneTraceCheck(project.db);
    expect([isDone(ids.done as number), isDone(ids.failed as number)]).toEqual([true, false]);
    const q2 = q[2] as number;
    const taken = sampleTakenCheck(project.db);
    expect(taken(q2, 'student', 0)).toBe(false);
    insertDoneTrace(project.db, { questionId: q2, teacher: 'student', sampleIndex: 0, thinking: 'a', answer: '1', raw: 'a 1', finishReason: 'stop' });
    insertDoneTrace(project.db, { questionId: q2, teacher: 'student', sampleIndex: 2, thinking: 'b', answer: '2', raw: 'b 2', finishReason: 'stop' });
    expect(taken(q2, 'student', 0)).toBe(true);
    expect(doneSamples(project.db, q2, 'student', 2).map((x) => [x.sampleIndex, x.response])).toEqual([[0, '1']]);
    expect(doneSampleCounter(project.db)(q2, 'student', 3)).toBe(2);
    importedTraceInserter(project.db)(q2, null, 0, 'given', '3', '2026-01-02T00:00:00Z');
    expect(tracesOfQuestion(project.db, q2).map((t) => t.source)).toEqual(['generated', 'generated', 'imported']);
    setTraceText(project.db, ids.done as number, 'edited', '43', null);
    expect(traceText(project.db, ids.done as number)).toMatchObject({ thinking: 'edited', answer: '43', flags: null, status: 'done' });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, type Project } from '../store/project';
import { setTraceText } from '../traces/store';
import { curate } from './pipeline';
import { parseRecipe } from './recipe';
import { runAndStore } from './runs';

// The features cache (features.ts) is keyed by a signature of the data. An edit in Review rewrites a trace's text
// in place (same trace count, same ids, same verdicts): the next preview must measure the edited text, not list the
// selection in the order of the lengths cached before the edit (bench:reads saw that: the current tree had filled
// its cache before the bench's 20 edits, the old tree had not, so the same 1,000 questions came in another order).

let tmp: string;
let project: Project;
const traceOf = new Map<number, number>();

const thinkingOf = (q: number, steps: number) => Array.from({ length: steps }, (_, k) => `Step ${k}: for question ${q} consider case ${(k * 13 + q) % 97} and compute ${k * q + 7} carefully.`).join('\n');

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-curate-cache-'));
  project = createProject(path.join(tmp, 'p'), 'curate cache');
  const db = project.db;
  const now = new Date().toISOString();
  const q = db.prepare("INSERT INTO questions (id, question, answer, domain, source, created_at) VALUES (?, ?, ?, 'algebra', 'test', ?)");
  const t = db.prepare("INSERT INTO traces (question_id, source, teacher, sample_index, status, thinking, answer, finish_reason, created_at) VALUES (?, 'generated', 'teacher', 0, 'done', ?, ?, 'stop', ?)");
  const v = db.prepare("INSERT INTO verdicts (trace_id, equivalent, method, reason, checked_at) VALUES (?, 1, 'exact', 'test', ?)");
  db.transaction(() => {
    // Question i's thinking has 10 + 5i steps: the longest is 6, the shortest 1.
    for (let i = 1; i <= 6; i++) {
      q.run(i, `Problem ${i}: find x.`, String(i), now);
      const id = Number(t.run(i, thinkingOf(i, 10 + 5 * i), `So x = $\\boxed{${i}}$.`, now).lastInsertRowid);
      v.run(id, now);
      traceOf.set(i, id);
    }
  })();
});

afterAll(() => {
  project.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('curation after a trace is edited in place', () => {
  const longest = parseRecipe({ target: 4, diversity: { enabled: false } });

  it('measures the edited text: the selection is listed by the new lengths', () => {
    const before = curate(project, longest);
    expect(before.selection).toEqual([6, 5, 4, 3]);
    // A stored run fills the cache too (bench:reads built its frozen selection this way before the edits).
    runAndStore(project, longest);
    // Review's save mirrors the new head into the trace row: question 1 becomes the longest, question 6 the shortest.
    setTraceText(project.db, traceOf.get(1)!, thinkingOf(1, 80), 'So x = $\\boxed{1}$.', null);
    setTraceText(project.db, traceOf.get(6)!, thinkingOf(6, 12), 'So x = $\\boxed{6}$.', null);
    const after = curate(project, longest);
    expect(after.selection).toEqual([1, 5, 4, 3]);
    expect(after.timings.cachedFeatures).toBe(false);
    const lengths = new Map(after.decisions.filter((d) => d.kept).map((d) => [d.questionId, d.detail.length]));
    expect(lengths.get(1)).toBe(Math.round(thinkingOf(1, 80).length / 4));
    // And the s1 sampler ranks question 1 first within its domain now (rank 0 is the longest).
    const s1 = curate(project, parseRecipe({ target: 6 }));
    expect(s1.timings.cachedFeatures).toBe(true);
    expect(s1.decisions.find((d) => d.questionId === 1)?.detail.length).toBe(Math.round(thinkingOf(1, 80).length / 4));
  });

  it('a knob move without an edit still reuses the cached features', () => {
    curate(project, longest);
    expect(curate(project, parseRecipe({ target: 3, diversity: { enabled: false } })).timings.cachedFeatures).toBe(true);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCurate } from '../../cli/commands/curate';
import type { CliIO } from '../../cli/io';
import { createProject, type Project } from '../store/project';
import { curate } from './pipeline';
import { presetRecipe } from './presets';
import { selectSamples } from '../export/samples';
import { explain, freezeRun, runAndStore } from './runs';

/**
 * A scripted project (a real SQLite project file, no network) with FIXED verdict tables: for each question,
 * which of a weak model's 4 samples and a strong model's 8 samples were checked right (1) or wrong (0), and
 * the teacher's traces. Each preset must select exactly the ids its published logic implies.
 */
interface Row {
  key: string;
  weak: number[];
  strong: number[];
  /** Teacher traces: their verdicts (1 right, 0 wrong), sample order. */
  teacher: number[];
  steps: number;
  verify: number;
  explore: number;
}

const TABLE: Row[] = [
  { key: 'q1', weak: [0, 0, 0, 0], strong: [0, 0, 0, 0, 0, 0, 0, 0], teacher: [1, 0, 1, 1], steps: 20, verify: 1, explore: 1 },
  { key: 'q2', weak: [0, 0, 0, 0], strong: [0, 0, 0, 1, 0, 0, 0, 0], teacher: [1], steps: 20, verify: 0, explore: 0 },
  { key: 'q3', weak: [0, 0, 0, 0], strong: [1, 0, 1, 0, 1, 0, 0, 0], teacher: [1], steps: 20, verify: 6, explore: 2 },
  { key: 'q4', weak: [0, 0, 0, 0], strong: [1, 1, 0, 1, 0, 1, 0, 0], teacher: [1, 1, 1, 1, 1, 1], steps: 20, verify: 1, explore: 1 },
  { key: 'q5', weak: [0, 0, 1, 0], strong: [0, 1, 0, 0, 0, 1, 0, 0], teacher: [1], steps: 20, verify: 1, explore: 1 },
  { key: 'q6', weak: [1, 1, 1, 1], strong: [1, 1, 1, 1, 1, 1, 1, 1], teacher: [1], steps: 20, verify: 1, explore: 1 },
  // Short thinking: Light-R1's length filter drops it; LIMO does not filter by length.
  { key: 'q7', weak: [0, 0, 0, 0], strong: [0, 1, 0, 0, 0, 1, 0, 0], teacher: [1], steps: 5, verify: 0, explore: 0 },
  { key: 'q8', weak: [0, 0, 0, 0], strong: [1, 1, 1, 0, 1, 1, 0, 0], teacher: [1], steps: 20, verify: 1, explore: 1 },
  // Never attempted by either model: not judged, it stays (with a note).
  { key: 'q9', weak: [], strong: [], teacher: [1], steps: 20, verify: 2, explore: 0 },
  // Only 2 of the weak model's 4 samples were checked: judged on those.
  { key: 'q10', weak: [0, 0], strong: [0, 0, 0, 0, 0, 0, 0, 1], teacher: [1], steps: 20, verify: 10, explore: 5 },
  // The teacher's answer was judged wrong: Light-R1 keeps verified answers only.
  { key: 'q11', weak: [0, 0, 0, 0], strong: [0, 1, 1, 0, 0, 0, 0, 0], teacher: [0], steps: 20, verify: 4, explore: 4 },
  // A fifth weak sample (beyond k = 4) is right: s1 counts every sample, a band only the first k.
  { key: 'q12', weak: [0, 0, 0, 0, 1], strong: [1, 1, 1, 0, 0, 0, 0, 0], teacher: [1], steps: 30, verify: 0, explore: 0 },
];

function thinking(steps: number, verify: number, explore: number, salt: number): string {
  const lines: string[] = [];
  for (let k = 0; k < steps; k++) {
    lines.push(`Step ${k + 1}: combine term ${salt * 31 + k} with the partial result ${k * 7 + salt} to reach ${salt + k * k}.`);
    if (k < verify) lines.push(`Let me verify term ${k} of case ${salt}.`);
    if (k < explore) lines.push(`Alternatively, split case ${salt}-${k} differently.`);
  }
  return lines.join('\n');
}

let tmp: string;
let dir: string;
let project: Project;
const id: Record<string, number> = {};
const traceIds: Record<string, number[]> = {};
const ids = (...keys: string[]) => keys.map((k) => id[k] as number).sort((a, b) => a - b);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

function io(): CliIO & { out: string[] } {
  const out: string[] = [];
  return { out, stdout: (s) => out.push(s), stderr: () => undefined, readFile: (p) => fs.promises.readFile(p, 'utf8') };
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-presets-'));
  dir = path.join(tmp, 'p');
  project = createProject(dir, 'presets');
  const db = project.db;
  const now = new Date().toISOString();
  const q = db.prepare("INSERT INTO questions (question, answer, domain, source, created_at) VALUES (?, ?, ?, 'import', ?)");
  const t = db.prepare("INSERT INTO traces (question_id, source, teacher, sample_index, status, thinking, answer, finish_reason, created_at) VALUES (?, 'generated', ?, ?, 'done', ?, ?, 'stop', ?)");
  const v = db.prepare("INSERT INTO verdicts (trace_id, equivalent, method, reason, checked_at) VALUES (?, ?, 'exact', 'fixed table', ?)");
  db.transaction(() => {
    TABLE.forEach((r, i) => {
      const qid = Number(q.run(`Problem ${i + 1}: find the value of expression ${i * 17 + 3}.`, String(i + 10), i % 2 ? 'geometry' : 'algebra', now).lastInsertRowid);
      id[r.key] = qid;
      traceIds[r.key] = [];
      r.teacher.forEach((ok, s) => {
        const tid = Number(t.run(qid, 'r1', s, thinking(r.steps, r.verify, r.explore, i * 10 + s), `So the answer is \\boxed{${ok ? i + 10 : 0}}.`, now).lastInsertRowid);
        v.run(tid, ok, now);
        traceIds[r.key]?.push(tid);
      });
      for (const [model, table] of [['weak-7b', r.weak], ['strong-32b', r.strong]] as const) {
        table.forEach((ok, s) => v.run(Number(t.run(qid, model, s, '', `\\boxed{${ok ? i + 10 : 1}}`, now).lastInsertRowid), ok, now));
      }
    });
  })();
});

afterAll(() => {
  project.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('curation presets on fixed verdict tables', () => {
  it('s1: drops every question a filter model solves in any sample, keeps the rest across domains', () => {
    const r = curate(project, presetRecipe('s1', ['weak-7b'], { teacher: 'r1' }));
    expect(sorted(r.selection)).toEqual(ids('q1', 'q2', 'q3', 'q4', 'q7', 'q8', 'q9', 'q10', 'q11'));
    const q12 = r.decisions.find((d) => d.questionId === id.q12);
    expect(q12).toMatchObject({ stage: 'difficulty', rule: 'solved_by_filter_model', detail: { solved: 1, attempts: 5 } });
    expect(r.decisions.find((d) => d.questionId === id.q1)?.rule).toBe('sampled');
  });

  it('LIMO: weak model 0 of 4, strong model 1–3 of 8, then the best reasoning chains first (exact order)', () => {
    const recipe = presetRecipe('limo', ['weak-7b', 'strong-32b'], { teacher: 'r1' });
    expect(recipe).toMatchObject({ target: 817, diversity: { enabled: false, rankBy: 'chain_quality' } });
    const r = curate(project, recipe);
    expect(r.selection).toEqual(['q10', 'q3', 'q11', 'q9', 'q12', 'q2', 'q7'].map((k) => id[k]));
    const byId = new Map(r.decisions.map((d) => [d.questionId, d]));
    expect(byId.get(id.q5 as number)).toMatchObject({ rule: 'outside_band', detail: { band: { name: 'weak', solved: 1, attempts: 4, inBand: false } } });
    expect(byId.get(id.q6 as number)?.detail.band).toMatchObject({ name: 'weak', solved: 4 });
    expect(byId.get(id.q1 as number)?.detail.band).toMatchObject({ name: 'strong', solved: 0, attempts: 8, min: 1, max: 3 });
    expect(byId.get(id.q4 as number)?.detail.band).toMatchObject({ name: 'strong', solved: 4 });
    expect(byId.get(id.q8 as number)?.detail.band).toMatchObject({ name: 'strong', solved: 5 });
    expect(byId.get(id.q10 as number)).toMatchObject({ rule: 'best_chain', detail: { bands: [{ name: 'weak', solved: 0, attempts: 2, inBand: true }, { name: 'strong', solved: 1, inBand: true }] } });
    expect(byId.get(id.q12 as number)?.detail.bands).toMatchObject([{ name: 'weak', solved: 0, attempts: 4 }, { name: 'strong', solved: 3 }]);
    expect(r.notes.join(' ')).toMatch(/1 candidate questions have no checked sample for the band "weak"/);
    // Target 3: the three best chains.
    expect(curate(project, presetRecipe('limo', ['weak-7b', 'strong-32b'], { teacher: 'r1', target: 3 })).selection).toEqual(['q10', 'q3', 'q11'].map((k) => id[k]));
  });

  it('Light-R1: pass-rate band of the chosen model, length filter, up to 4 verified traces per question', () => {
    const r = curate(project, presetRecipe('light-r1', ['strong-32b'], { teacher: 'r1' }));
    expect(sorted(r.selection)).toEqual(ids('q1', 'q2', 'q3', 'q4', 'q5', 'q9', 'q10', 'q12'));
    const byId = new Map(r.decisions.map((d) => [d.questionId, d]));
    expect(byId.get(id.q6 as number)?.detail.band).toMatchObject({ name: 'chosen', solved: 8, max: 4 });
    expect(byId.get(id.q8 as number)?.detail.band).toMatchObject({ solved: 5 });
    expect(byId.get(id.q7 as number)).toMatchObject({ stage: 'quality', rule: 'thinking_length' });
    expect(byId.get(id.q11 as number)).toMatchObject({ stage: 'quality', rule: 'wrong_answer' });
    // Rejection sampling: q1 has 3 verified of 4 traces, q4 6 verified (4 kept), the rest one each.
    const t1 = traceIds.q1 as number[];
    expect(byId.get(id.q1 as number)?.detail.traces).toEqual([t1[0], t1[2], t1[3]]);
    expect(byId.get(id.q4 as number)?.detail.traces).toEqual((traceIds.q4 as number[]).slice(0, 4));
    expect(r.traces).toBe(3 + 4 + 6);
  });

  it('--preset and --explain on the CLI: the stored run names the band a question fell in', async () => {
    const run = io();
    expect(await runCurate([dir, '--preset', 'limo', '--models', 'weak-7b,strong-32b', '--json'], run)).toBe(0);
    const out = JSON.parse(run.out[0] as string) as { run: number; preset: string; selection: number[] };
    expect(out.preset).toBe('limo');
    expect(sorted(out.selection)).toEqual(ids('q2', 'q3', 'q7', 'q9', 'q10', 'q11', 'q12'));
    const x = io();
    await runCurate([dir, '--explain', String(id.q4)], x);
    expect(x.out[0]).toBe(`Question ${id.q4} (run ${out.run}, preset limo): dropped at difficulty (outside_band).`);
    expect(x.out[1]).toBe('It fell outside band "strong" (strong-32b): solved 4 of 8, keeps 1–3 of 8 → outside.');
    expect(x.out[2]).toBe('Passed: band "weak" (weak-7b): solved 0 of 4, keeps 0–0 of 4 → inside.');
    const k = io();
    await runCurate([dir, '--explain', String(id.q10)], k);
    expect(k.out).toContain('Passed: band "weak" (weak-7b): solved 0 of 2 (of k = 4), keeps 0–0 of 4 → inside.');
    expect(k.out).toContain('Passed: band "strong" (strong-32b): solved 1 of 8, keeps 1–3 of 8 → inside.');
    expect(explain(project, id.q9 as number).bands.map((b) => b.inBand)).toEqual([null, null]);
    const bad = io();
    await expect(runCurate([dir, '--preset', 'limo'], bad)).rejects.toThrow(/--models WEAK,STRONG/);
    await expect(runCurate([dir, '--preset', 'limo2'], bad)).rejects.toThrow(/--preset must be one of s1, limo, light-r1/);
  });

  it('extra traces need thinking: without a named teacher, the weak model\'s bare verified answers are not kept', () => {
    // No teacher: any source that is not a band's model is a teacher, so weak-7b's right answers (no thinking) qualify by source.
    const { runId, result } = runAndStore(project, presetRecipe('light-r1', ['strong-32b']));
    expect(result.traces).toBe(13);
    expect(explain(project, id.q1 as number, runId).decision?.detail.traces).toEqual([traceIds.q1?.[0], traceIds.q1?.[2], traceIds.q1?.[3]]);
  });

  it('the frozen selection exports every kept verified trace (rejection sampling), other questions one each', () => {
    const { runId } = runAndStore(project, presetRecipe('light-r1', ['strong-32b'], { teacher: 'r1' }));
    freezeRun(project, runId);
    const { samples } = selectSamples(project.db, 'all', 'selection');
    expect(samples).toHaveLength(13);
    expect(samples.filter((x) => x.questionId === id.q1).map((x) => x.traceId)).toEqual([traceIds.q1?.[0], traceIds.q1?.[2], traceIds.q1?.[3]]);
    expect(samples.filter((x) => x.questionId === id.q4).map((x) => x.traceId)).toEqual(traceIds.q4?.slice(0, 4));
    // An s1 run (one trace per question) exports one sample per selected question, as before.
    freezeRun(project, runAndStore(project, presetRecipe('s1', ['weak-7b'], { teacher: 'r1' })).runId);
    expect(selectSamples(project.db, 'all', 'selection').samples).toHaveLength(9);
  });
});

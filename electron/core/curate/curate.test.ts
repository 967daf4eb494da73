import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCurate } from '../../cli/commands/curate';
import type { CliIO } from '../../cli/io';
import { createSampleProject } from '../sample';
import { openProject, type Project } from '../store/project';
import { curate } from './pipeline';
import { parseRecipe, s1Recipe } from './recipe';
import { compareRuns, explain, freezeRun, listRuns, runAndStore, runDecisions, runDetail, setOverride } from './runs';

let tmp: string;
let dir: string;
let project: Project;
let ids: number[] = [];
const bad: Record<string, number> = {};

function io(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => out.push(s), stderr: (s) => err.push(s), readFile: (p) => fs.promises.readFile(p, 'utf8') };
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-curate-'));
  dir = path.join(tmp, 'p');
  project = createSampleProject(dir);
  const db = project.db;
  const qs = db.prepare("SELECT id, answer, lang FROM questions ORDER BY id").all() as { id: number; answer: string; lang: string | null }[];
  ids = qs.map((q) => q.id);
  const now = new Date().toISOString();
  const trace = db.prepare(
    "INSERT INTO traces (question_id, source, teacher, sample_index, status, thinking, answer, finish_reason, error, created_at) VALUES (?, 'generated', ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const verdict = db.prepare("INSERT INTO verdicts (trace_id, equivalent, method, reason, checked_at) VALUES (?, ?, 'exact', 'test', ?)");
  db.transaction(() => {
    qs.forEach((q, i) => {
      const steps = 5 + ((i * 37) % 90);
      let thinking = Array.from({ length: steps }, (_, k) => `Step ${k}: consider case ${(k * 13 + i) % 97} and compute ${k * i} carefully.`).join('\n');
      let answer = `So the answer is $\\boxed{${q.answer}}$.`;
      let status = 'done';
      let finish = 'stop';
      let error: string | null = null;
      if (q.lang === 'zh') thinking = `我们先分析这个问题。${thinking}`.replace(/consider case/g, '考虑情况');
      if (i === 3) [status, thinking, error] = ['failed', '', 'HTTP 500'];
      if (i === 5) thinking = '';
      if (i === 7) finish = 'length';
      if (i === 9) thinking = 'Wait, let me recompute the sum again. '.repeat(200);
      if (i === 12) answer = 'I am not sure about this problem at all.\nPerhaps another approach would work better here.';
      if (i === 13) thinking = '让我们仔细思考这个问题，先计算再检查。'.repeat(40);
      const r = trace.run(q.id, 'teacher', 0, status, thinking, answer, finish, error, now);
      if (status === 'done') verdict.run(Number(r.lastInsertRowid), i === 15 ? 0 : 1, now);
      // A 7B filter model solves every tenth question (two samples, the first wrong).
      if (i % 10 === 1) {
        const a = trace.run(q.id, 'filter-7b', 0, 'done', '', '\\boxed{0}', 'stop', null, now);
        verdict.run(Number(a.lastInsertRowid), 0, now);
        const b = trace.run(q.id, 'filter-7b', 1, 'done', '', `\\boxed{${q.answer}}`, 'stop', null, now);
        verdict.run(Number(b.lastInsertRowid), 1, now);
      }
    });
    db.prepare("UPDATE questions SET question = question || ' See ![figure](fig.png).' WHERE id = ?").run(ids[17]);
    db.prepare("UPDATE questions SET question = question || ' [asy] draw((0,0)--(1,1)); [/asy]' WHERE id = ?").run(ids[19]);
    db.prepare("UPDATE questions SET question = 'Answer both. (a) Find x. (b) Find y.' WHERE id = ?").run(ids[23]);
    db.prepare("UPDATE questions SET excluded = 1, exclude_reason = 'contaminated: MATH500 #12' WHERE id = ?").run(ids[25]);
  })();
  Object.assign(bad, { failed: ids[3], noThinking: ids[5], unterminated: ids[7], repeated: ids[9], unextractable: ids[12], chinese: ids[13], wrong: ids[15], image: ids[17], asy: ids[19], subproblems: ids[23], contaminated: ids[25], solved: ids[1] });
});

afterAll(() => {
  project.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const s1 = (over: Record<string, unknown> = {}) => s1Recipe({ target: 60, seed: 1, quality: { dropWrong: true, language: 'en' }, difficulty: { filterModels: ['filter-7b'] }, ...over });

describe('curation on the sample project', () => {
  it('the s1 recipe gives an explained selection: every question has a stage, a rule and values', () => {
    const r = curate(project, s1());
    expect(r.decisions).toHaveLength(ids.length);
    const byId = new Map(r.decisions.map((d) => [d.questionId, d]));
    const rule = (k: string) => `${byId.get(bad[k] as number)?.stage}:${byId.get(bad[k] as number)?.rule}`;
    expect(rule('failed')).toBe('quality:generation_failed');
    expect(rule('noThinking')).toBe('quality:missing_thinking');
    expect(rule('unterminated')).toBe('quality:unterminated_thinking');
    expect(rule('repeated')).toBe('quality:repetition');
    expect(rule('unextractable')).toBe('quality:unextractable_answer');
    expect(rule('chinese')).toBe('quality:wrong_language');
    expect(rule('wrong')).toBe('quality:wrong_answer');
    expect(rule('image')).toBe('quality:format:image_link');
    expect(rule('asy')).toBe('quality:format:asy_figure');
    expect(rule('subproblems')).toBe('quality:format:lettered_subproblems');
    expect(rule('contaminated')).toBe('pool:excluded_from_pool');
    expect(rule('solved')).toBe('difficulty:solved_by_filter_model');
    expect(byId.get(bad.solved as number)?.detail).toMatchObject({ solved: 1, attempts: 2, solvedAtLeast: 1 });
    expect(byId.get(bad.repeated as number)?.detail).toMatchObject({ max: 0.5 });
    expect(r.selected).toBe(60);
    expect(r.funnel.map((f) => f.stage)).toEqual(['pool', 'quality', 'difficulty', 'diversity']);
    expect(r.funnel[0]).toEqual({ stage: 'pool', in: ids.length, out: ids.length - 1 });
    for (let i = 1; i < r.funnel.length; i++) expect(r.funnel[i]?.in).toBe(r.funnel[i - 1]?.out);
    // 8 sample domains, uniform picks: each gets about 60 / 8.
    expect(Object.keys(r.domains.after)).toHaveLength(8);
    for (const n of Object.values(r.domains.after)) expect(n).toBeGreaterThanOrEqual(3);
    expect(r.histogram.before.reduce((a, b) => a + b, 0)).toBeGreaterThan(r.histogram.after.reduce((a, b) => a + b, 0));
    expect(r.notes.join(' ')).toMatch(/characters \/ 4/);
    // With m = 2 of k = 2 samples the filter model no longer counts as solving it.
    expect(curate(project, s1({ difficulty: { filterModels: ['filter-7b'], solvedAtLeast: 2 } })).decisions.find((d) => d.questionId === bad.solved)?.stage).not.toBe('difficulty');
  });

  it('moving a knob only re-filters the cached features, and changes the funnel', () => {
    curate(project, s1());
    const a = curate(project, s1({ quality: { thinkingLength: { unit: 'chars', min: 2000, max: null } } }));
    expect(a.timings.cachedFeatures).toBe(true);
    const q0 = curate(project, s1()).funnel[1]?.out as number;
    expect(a.funnel[1]?.out).toBeLessThan(q0);
    expect(a.decisions.some((d) => d.rule === 'thinking_length' && (d.detail.value as number) < 2000 && d.detail.min === 2000)).toBe(true);
  });

  it('is reproducible from the seed', () => {
    expect(curate(project, s1()).selection).toEqual(curate(project, s1()).selection);
    expect(curate(project, s1({ seed: 2 })).selection).not.toEqual(curate(project, s1()).selection);
  });

  it('pins come first and excludes stay out, across re-runs and reopenings', () => {
    const pin = bad.repeated as number; // dropped by quality, but a pin overrides the filters
    const keptBefore = curate(project, s1()).selection[0] as number;
    setOverride(project, pin, 'pin', 'AIME pick');
    setOverride(project, keptBefore, 'exclude', 'ambiguous statement');
    expect(() => setOverride(project, bad.contaminated as number, 'pin')).toThrow(/excluded from the pool/);
    for (const seed of [1, 2, 3]) {
      const r = curate(project, s1({ seed }));
      expect(r.selection[0]).toBe(pin);
      expect(r.selection).not.toContain(keptBefore);
      expect(r.selected).toBe(60);
    }
    const again = openProject(dir);
    try {
      const r = curate(again, s1({ seed: 9 }));
      expect(r.decisions.find((d) => d.questionId === keptBefore)).toMatchObject({ kept: false, stage: 'override', rule: 'excluded_by_user' });
      expect(r.decisions.find((d) => d.questionId === pin)).toMatchObject({ kept: true, stage: 'pin' });
    } finally {
      again.close();
    }
    setOverride(project, pin, 'clear');
    setOverride(project, keptBefore, 'clear');
  });

  it('stores runs, compares them, freezes one as the selection, explains a question', () => {
    const a = runAndStore(project, s1({ name: 'seed 1' }));
    const b = runAndStore(project, s1({ seed: 5 }));
    expect(listRuns(project).slice(0, 2).map((r) => r.id)).toEqual([b.runId, a.runId]);
    const d = runDetail(project, a.runId);
    expect(d.recipe.seed).toBe(1);
    expect(d.rules.find((x) => x.rule === 'generation_failed')?.n).toBe(1);
    const page = runDecisions(project, a.runId, { kept: false, stage: 'quality', offset: 0, limit: 5 });
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.rows.every((r) => !r.kept && r.stage === 'quality')).toBe(true);
    const cmp = compareRuns(project, a.runId, b.runId);
    expect(cmp.entered.length).toBe(cmp.left.length);
    expect(cmp.kept + cmp.entered.length).toBe(60);
    const f = freezeRun(project, a.runId);
    expect(f.frozen).toBe(60);
    const sel = project.db.prepare('SELECT COUNT(*) AS n, MIN(run_id) AS r FROM selection').get() as { n: number; r: number };
    expect(sel).toEqual({ n: 60, r: a.runId });
    const x = explain(project, bad.unterminated as number, a.runId);
    expect(x.decision).toMatchObject({ kept: false, stage: 'quality', rule: 'unterminated_thinking' });
    expect(x.features?.traceId).toBeTypeOf('number');
  });

  it('a bad recipe is refused with the setting named', () => {
    expect(() => parseRecipe({ target: 0 })).toThrow();
    expect(() => curate(project, s1({ quality: { formatRules: [{ name: 'broken', pattern: '([' }] } }))).toThrow(/"broken"/);
  });
});

describe('distillery curate (CLI)', () => {
  it('prints the funnel, domains and selection as JSON, explains and freezes', async () => {
    const recipe = path.join(tmp, 'recipe.json');
    fs.writeFileSync(recipe, JSON.stringify({ quality: { language: 'en' }, difficulty: { filterModels: ['filter-7b'] } }));
    const a = io();
    expect(await runCurate([dir, '--target', '40', '--seed', '3', '--recipe', recipe, '--json'], a)).toBe(0);
    const out = JSON.parse(a.out[0] as string) as { funnel: { stage: string; in: number; out: number }[]; selected: number; domains: Record<string, number>; selection: number[] };
    expect(out.selected).toBe(40);
    expect(out.selection).toHaveLength(40);
    expect(Object.values(out.domains).reduce((x, y) => x + y, 0)).toBe(40);
    expect(out.funnel[0]?.stage).toBe('pool');
    const b = io();
    await runCurate([dir, '--target', '40', '--seed', '3', '--recipe', recipe, '--json'], b);
    expect((JSON.parse(b.out[0] as string) as { selection: number[] }).selection).toEqual(out.selection);
    const e = io();
    expect(await runCurate([dir, '--explain', String(bad.chinese), '--json'], e)).toBe(0);
    expect(JSON.parse(e.out[0] as string)).toMatchObject({ questionId: bad.chinese, decision: { kept: false, rule: 'wrong_language' } });
    const f = io();
    expect(await runCurate([dir, '--freeze', '--json'], f)).toBe(0);
    expect(JSON.parse(f.out[0] as string)).toMatchObject({ frozen: 40 });
    const g = io();
    await expect(runCurate([dir, '--target', 'lots'], g)).rejects.toThrow(/--target must be a whole number/);
  });
});

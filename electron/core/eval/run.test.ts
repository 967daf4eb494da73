import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { JobRunner } from '../jobs';
import { LocalServers } from '../localserve/manager';
import { createProject, openProject, type Project } from '../store/project';
import { saveTeacher } from '../teacher/store';
import { loadTokenizerFile } from '../tokens';
import { hasPython, tinyModel } from '../train/testing';
import { builtinDir } from './benchmarks';
import { evalKind } from './job';
import { exportReport, renderHtml, type ReportJson } from './report';
import { runDetail, runItems, startRun } from './runs';
import { startCompletionsServer, type CompletionCall, type CompletionsServer } from './testing/completions-server';
import type { RunInput } from './types';

const LONG = Array.from({ length: 80 }, (_, i) => `step ${i}: try ${i * 3} and compare.`).join(' ');
const N = 10;
const K = 3;
const bench = builtinDir();
const math500 = bench
  ? fs.readFileSync(path.join(bench, 'math500.jsonl'), 'utf8').trim().split('\n').slice(0, N).map((l) => JSON.parse(l) as { problem: string; answer: string })
  : [];

/**
 * Which samples answer right: questions 0,3,6,9 always; 1,4,7 never (a different wrong answer each time);
 * 2 and 5 in samples 0 and 1; 8 only in sample 0, its two wrong samples agreeing (majority wrong).
 */
function correct(i: number, s: number): boolean {
  if (i % 3 === 0) return true;
  if (i % 3 === 1) return false;
  return i === 8 ? s === 0 : s < 2;
}
const wrong = (i: number, s: number) => (i === 8 ? '-777' : String(-1000 - s));
// pass@1 from k=3: (4·1 + 3·0 + 2·2/3 + 1·1/3) / 10; majority: 4 + 2 questions of 10.
const EXPECTED_ACCURACY = 17 / 30;
const EXPECTED_MAJORITY = 0.6;

const inThinking = (c: CompletionCall) => c.prompt.lastIndexOf('</think>') < c.prompt.lastIndexOf('<think>');
const questionOf = (c: CompletionCall) => math500.findIndex((q) => c.prompt.includes(q.problem));

let dir: string;
let modelDir: string;
let server: CompletionsServer;
let project: Project;

describe.skipIf(!hasPython() || !bench)('an evaluation run on MATH500 with scripted answers (real SQLite, job runner, HTTP)', { timeout: 600_000 }, () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-eval-'));
    process.env.DISTILLERY_CONFIG_DIR = path.join(dir, 'config');
    modelDir = tinyModel();
    const tok = loadTokenizerFile(path.join(modelDir, 'tokenizer.json'));
    server = await startCompletionsServer(tok, (c) => {
      const i = questionOf(c);
      if (inThinking(c)) return i === 4 ? `<script>alert("pwned")</script> & ${LONG}` : LONG;
      const s = c.seed ?? 0;
      return ` \\boxed{${correct(i, s) ? math500[i]!.answer : wrong(i, s)}}`;
    });
    project = createProject(path.join(dir, 'p'), 'Eval test');
    saveTeacher(project.db, { name: 'scripted', baseUrls: [server.url], model: 'scripted' });
  });

  afterAll(async () => {
    project?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const input = (over: Partial<RunInput> = {}): RunInput => ({
    name: 'math500 scripted',
    models: [{ label: 'scripted', kind: 'endpoint', teacher: 'scripted', templateDir: modelDir }],
    benchmarks: ['builtin:math500'],
    budgets: [{ maxThinking: 16 }, { maxThinking: 64 }],
    samples: K,
    limit: N,
    concurrency: 4,
    ...over,
  });

  it('scores every generation: exact pass@1 from k samples, majority vote, average thinking tokens per budget', async () => {
    const runner = new JobRunner(project).register(evalKind(new LocalServers()));
    const { runId, jobId, total } = await startRun(project, runner, input());
    expect(total).toBe(N * K * 2);
    const job = await runner.wait(jobId);
    expect(job.status, job.error ?? '').toBe('done');
    expect(job.done).toBe(total);
    const d = runDetail(project, runner, runId);
    expect(d.run).toMatchObject({ status: 'done', done: total, failed: 0, total });
    expect(d.cells).toHaveLength(2);
    for (const [i, c] of d.cells.entries()) {
      expect(c).toMatchObject({ model: 'scripted', benchmark: 'builtin:math500', budget: i, n: N, samples: N * K, failed: 0 });
      expect(c.accuracy).toBeCloseTo(EXPECTED_ACCURACY, 10);
      expect(c.majority).toBeCloseTo(EXPECTED_MAJORITY, 10);
      // The scripted thought never ends: every generation is cut at exactly the budget.
      expect(c.avgThinkingTokens).toBe([16, 64][i]);
      expect(c.hitBudget).toBe(1);
    }
    expect(d.scaling).toEqual([{ model: 'scripted', benchmark: 'builtin:math500', points: [expect.objectContaining({ maxThinking: 16, avgThinkingTokens: 16 }), expect.objectContaining({ maxThinking: 64, avgThinkingTokens: 64 })] }]);
    expect(d.latency).toHaveLength(1);
    expect(d.latency[0]!.generations).toBe(total);
    expect(d.latency[0]!.ttftP50Ms).toBeGreaterThan(0);
    expect(d.latency[0]!.ttftP95Ms).toBeGreaterThanOrEqual(d.latency[0]!.ttftP50Ms!);
    expect(d.latency[0]!.tokensPerSecond).toBeGreaterThan(0);

    // Drill-down: filters and paging over (model, benchmark, budget, question) rows with full traces.
    const all = runItems(project, { runId, budget: 0, limit: 100 });
    expect(all.total).toBe(N);
    expect(runItems(project, { runId, budget: 0, outcome: 'correct' }).total).toBe(4);
    expect(runItems(project, { runId, budget: 0, outcome: 'wrong' }).total).toBe(3);
    expect(runItems(project, { runId, budget: 0, outcome: 'mixed' }).total).toBe(3);
    expect(runItems(project, { runId, outcome: 'failed' }).total).toBe(0);
    const page = runItems(project, { runId, offset: 5, limit: 5 });
    expect(page.total).toBe(2 * N);
    expect(page.rows.map((r) => [r.budget, r.qidx])).toEqual([[0, 5], [0, 6], [0, 7], [0, 8], [0, 9]]);
    const q8 = all.rows.find((r) => r.qidx === 8)!;
    expect(q8).toMatchObject({ correct: 1, scored: 3, majorityAnswer: '-777', majorityCorrect: false, reference: math500[8]!.answer });
    const q2 = all.rows.find((r) => r.qidx === 2)!;
    expect(q2).toMatchObject({ correct: 2, scored: 3, majorityCorrect: true });
    expect(q2.samples.map((s) => s.correct)).toEqual([true, true, false]);
    expect(q2.samples[0]!.thinkingTokens).toBe(16);
    expect(q2.samples[0]!.answer.startsWith('Final Answer: \\boxed{')).toBe(true);
    const found = runItems(project, { runId, search: math500[4]!.problem.slice(0, 40).toUpperCase() });
    expect(found.rows.map((r) => [r.budget, r.qidx])).toEqual([[0, 4], [1, 4]]);
    await runner.close();
  });

  it('writes a JSON report and one self-contained HTML file that parses, plots and escapes every trace', async () => {
    const runner = new JobRunner(project).register(evalKind(new LocalServers()));
    const runId = (project.db.prepare('SELECT id FROM eval_runs ORDER BY created_at LIMIT 1').pluck().get() as string);
    const j = exportReport(project, runner, runId, 'json', true);
    expect(j.path).toBe(path.join(project.dir, 'artifacts', 'eval', runId, 'report.json'));
    const json = JSON.parse(fs.readFileSync(j.path, 'utf8')) as ReportJson;
    expect(Object.keys(json).sort()).toEqual(['app', 'cells', 'comparisons', 'config', 'format', 'generatedAt', 'latency', 'pins', 'project', 'questions', 'run', 'scaling', 'version'].sort());
    expect(json.version).toBe(2);
    // Pinned when the run was created: the checker, the template folder's files, the frozen questions.
    expect(json.pins?.checker.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(json.pins?.models[0]?.files.map((f) => f.file)).toEqual(expect.arrayContaining(['tokenizer.json', 'config.json']));
    expect(json.pins?.models[0]?.chatTemplateSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.pins?.questions).toEqual([{ benchmark: 'builtin:math500', count: N, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(json.format).toBe('distillery-eval-report');
    expect(json.questions).toHaveLength(2 * N);
    expect(json.questions[0]!.samples).toHaveLength(K);
    expect(json.cells[0]!.accuracy).toBeCloseTo(EXPECTED_ACCURACY, 10);

    const h = exportReport(project, runner, runId, 'html', false);
    expect(h.content).toBeNull();
    const html = fs.readFileSync(h.path, 'utf8');
    // The HTML is rendered from the same report object as the JSON.
    expect(renderHtml(json).length).toBeGreaterThan(1000);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; step 0');
    expect(html).not.toMatch(/https?:\/\/|src=|<link/i);
    expect(runDetail(project, runner, runId).reportPath).toEqual({ html: h.path, json: j.path });

    // A real browser parses it: nothing is fetched, no script runs, the plot and tables are there.
    const browser = await chromium.launch({ executablePath: process.env.DISTILLERY_CHROMIUM ?? '/usr/bin/chromium' });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`file://${h.path}`);
      expect(requests).toEqual([`file://${h.path}`]);
      expect(dialogs).toEqual([]);
      expect(await page.locator('svg.plot').count()).toBe(1);
      expect(await page.locator('svg.plot polyline.series').getAttribute('data-model')).toBe('scripted');
      expect(await page.locator('svg.plot circle').count()).toBe(2);
      expect(await page.locator('svg.plot path.ci').count()).toBe(2);
      expect(await page.locator('h2').allTextContents()).toEqual(['Latency on this machine', 'builtin:math500', 'Pinned settings']);
      expect(await page.locator('details.q').count()).toBe(2 * N);
      const text = await page.locator('body').innerText();
      expect(text).toContain('56.7%');
      expect(text).toContain('60.0%');
      const pre = await page.locator('pre', { hasText: 'pwned' }).first().textContent();
      expect(pre?.startsWith('<script>alert("pwned")</script> & step 0')).toBe(true);
    } finally {
      await browser.close();
    }
    await runner.close();
  });

  it('a run interrupted mid-way resumes in a new runner with no generation lost or made twice', async () => {
    const servers = new LocalServers();
    const runner = new JobRunner(project).register(evalKind(servers));
    const { runId, jobId, total } = await startRun(project, runner, input({ name: 'interrupted', limit: 4, samples: 2, concurrency: 2 }));
    const stored = () => project.db.prepare('SELECT COUNT(*) FROM eval_results WHERE run_id = ?').pluck().get(runId) as number;
    const deadline = Date.now() + 60_000;
    while (stored() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await runner.close();
    const before = project.db.prepare('SELECT rowid, model, benchmark, qidx, budget, sample, created_at FROM eval_results WHERE run_id = ?').all(runId);
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(before.length).toBeLessThan(total);
    project.close();

    project = openProject(path.join(dir, 'p'));
    const runner2 = new JobRunner(project).register(evalKind(servers));
    expect(runner2.resumeUnfinished()).toEqual([jobId]);
    const job = await runner2.wait(jobId);
    expect(job.status, job.error ?? '').toBe('done');
    const rows = project.db.prepare('SELECT model, benchmark, qidx, budget, sample, COUNT(*) AS n FROM eval_results WHERE run_id = ? GROUP BY 1, 2, 3, 4, 5').all(runId) as { n: number }[];
    expect(rows).toHaveLength(total);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    // What was stored before the interruption was kept as it was, not made again.
    const after = project.db.prepare('SELECT rowid, model, benchmark, qidx, budget, sample, created_at FROM eval_results WHERE run_id = ?').all(runId);
    for (const b of before) expect(after).toContainEqual(b);
    expect(project.db.prepare("SELECT COUNT(*) FROM jobs WHERE kind = 'eval'").pluck().get()).toBe(2);
    await runner2.close();
  });
});

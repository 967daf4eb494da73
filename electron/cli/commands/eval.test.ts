import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../core/api/router';
import { Engine } from '../../core/engine';
import { builtinDir } from '../../core/eval/benchmarks';
import { registerJobKinds } from '../../core/kinds';
import { startCompletionsServer, type CompletionCall, type CompletionsServer } from '../../core/eval/testing/completions-server';
import { createProject } from '../../core/store/project';
import { saveTeacher } from '../../core/teacher/store';
import { loadTokenizerFile } from '../../core/tokens';
import { hasPython, tinyModel } from '../../core/train/testing';

const root = path.resolve(import.meta.dirname, '../../..');
let dir: string;
let projectDir: string;
let modelDir: string;
let server: CompletionsServer;
const env = () => ({ DISTILLERY_CONFIG_DIR: path.join(dir, 'config') });
/** The real command as a user runs it (`npx distillery …` is `node bin/distillery.mjs …`): one node process. */
const cli = (...args: string[]) => execa(process.execPath, [path.join(root, 'bin', 'distillery.mjs'), ...args], { reject: false, env: env(), cwd: dir, all: true });

const math500 = builtinDir()
  ? fs.readFileSync(path.join(builtinDir() as string, 'math500.jsonl'), 'utf8').trim().split('\n').slice(0, 8).map((l) => JSON.parse(l) as { problem: string; answer: string })
  : [];
const inThinking = (c: CompletionCall) => c.prompt.lastIndexOf('</think>') < c.prompt.lastIndexOf('<think>');

describe.skipIf(!hasPython() || !builtinDir())('distillery eval (real processes, a scripted completions server)', { timeout: 600_000 }, () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-eval-cli-'));
    modelDir = tinyModel();
    const tok = loadTokenizerFile(path.join(modelDir, 'tokenizer.json'));
    // Even questions are answered right, odd ones wrong; thinking closes after a short thought.
    server = await startCompletionsServer(
      tok,
      (c) => {
        const i = math500.findIndex((q) => c.prompt.includes(q.problem));
        if (inThinking(c)) return 'I add the parts and check the result twice.\n</think>';
        return `\n\nThe answer is \\boxed{${i % 2 === 0 ? math500[i]!.answer : '-31337'}}.`;
      },
      { delayMs: 4 },
    );
    projectDir = path.join(dir, 'p');
    const p = createProject(projectDir);
    saveTeacher(p.db, { name: 'scripted', baseUrls: [server.url], model: 'scripted' });
    p.close();
  });

  afterAll(async () => {
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers missing flags and unknown models or benchmarks with one line and exit code 2', async () => {
    const cases = [
      ['eval', projectDir, '--bench', 'math500'],
      ['eval', projectDir, '--model', 'scripted'],
      ['eval', projectDir, '--model', 'nobody', '--bench', 'math500'],
      ['eval', projectDir, '--model', 'scripted', '--template', modelDir, '--bench', 'no-such-bench'],
      ['eval', projectDir, '--model', 'scripted', '--bench', 'math500', '--max-thinking', 'lots'],
      ['eval', projectDir, '--model', 'scripted', '--bench', 'math500'],
    ];
    const results = await Promise.all(cases.map((a) => cli(...a)));
    for (const [i, r] of results.entries()) {
      expect(r.exitCode, cases[i]!.join(' ') + String(r.all)).toBe(2);
      expect(r.stderr.trim().split('\n'), cases[i]!.join(' ')).toHaveLength(1);
    }
    expect(results[2]!.stderr).toContain('neither a registered teacher nor a model folder');
    expect(results[3]!.stderr).toContain('"no-such-bench" is neither a benchmark');
    // An endpoint whose tokenizer is not on this machine cannot be budget-forced: it says what to give.
    expect(results[5]!.stderr).toMatch(/needs a template folder with its tokenizer\.json and chat template/);
  });

  it('prints accuracy and average thinking tokens per benchmark and the report path', async () => {
    const r = await cli('eval', projectDir, '--model', 'scripted', '--template', modelDir, '--bench', 'math500', '--limit', '4', '--max-thinking', '64', '--min-thinking', '40', '--wait', '1');
    expect(r.exitCode, String(r.all)).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^builtin:math500$/m);
    expect(out).toMatch(/scripted +\[max 64, 1 Wait, min 40\] +accuracy 50\.0% \(95% CI \d+\.\d–\d+\.\d\) +majority 50\.0% \(95% CI \d+\.\d–\d+\.\d\) +avg thinking \d+ tokens +\(n=4, samples=4\)/);
    expect(out).toMatch(/latency scripted: TTFT p50 \d+ ms, p95 \d+ ms, [\d.]+ tokens\/s/);
    const report = /Report: (.+)$/m.exec(out)?.[1];
    expect(report && fs.existsSync(report)).toBe(true);
    expect(fs.readFileSync(report as string, 'utf8')).toContain('<svg class="plot"');
    expect(fs.existsSync(path.join(path.dirname(report as string), 'report.json'))).toBe(true);
  });

  it('resumes after kill -9 with the same command: every generation stored once, none made twice', async () => {
    const args = ['eval', projectDir, '--model', 'scripted', '--template', modelDir, '--bench', 'math500', '--limit', '8', '--max-thinking', '16,48', '--samples', '2', '--concurrency', '2', '--json'];
    const total = 8 * 2 * 2;
    const first = cli(...args);
    const db = new Database(path.join(projectDir, 'project.sqlite'), { readonly: true });
    const runId = () => db.prepare("SELECT id FROM eval_runs WHERE config LIKE '%\"maxThinking\":48%' LIMIT 1").pluck().get() as string | undefined;
    const stored = () => {
      try {
        return db.prepare('SELECT COUNT(*) FROM eval_results WHERE run_id = ?').pluck().get(runId() ?? '') as number;
      } catch {
        return 0;
      }
    };
    const deadline = Date.now() + 120_000;
    while (stored() < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    first.kill('SIGKILL');
    const r1 = await first;
    expect(r1.signal).toBe('SIGKILL');
    const before = db.prepare('SELECT model, benchmark, qidx, budget, sample, created_at FROM eval_results WHERE run_id = ?').all(runId());
    expect(before.length).toBeGreaterThanOrEqual(4);
    expect(before.length).toBeLessThan(total);

    const second = await cli(...args);
    expect(second.exitCode, String(second.all)).toBe(0);
    const j = JSON.parse(second.stdout.trim().split('\n').at(-1) as string) as { run: string; status: string; done: number; total: number; cells: { accuracy: number; avgThinkingTokens: number; majority: number }[]; report: { html: string } };
    expect(j).toMatchObject({ run: runId(), status: 'done', done: total, total });
    expect(j.cells.map((c) => c.accuracy)).toEqual([0.5, 0.5]);
    expect(j.cells.map((c) => c.majority)).toEqual([0.5, 0.5]);
    expect(fs.existsSync(j.report.html)).toBe(true);
    const counts = db.prepare('SELECT COUNT(*) AS n FROM eval_results WHERE run_id = ? GROUP BY model, benchmark, qidx, budget, sample').all(runId()) as { n: number }[];
    expect(counts).toHaveLength(total);
    expect(counts.every((c) => c.n === 1)).toBe(true);
    const after = db.prepare('SELECT model, benchmark, qidx, budget, sample, created_at FROM eval_results WHERE run_id = ?').all(runId());
    for (const b of before) expect(after).toContainEqual(b);
    // The same run and job were resumed, not a new one started.
    expect(db.prepare("SELECT COUNT(*) FROM eval_runs WHERE config LIKE '%\"maxThinking\":48%'").pluck().get()).toBe(1);
    expect(db.prepare("SELECT COUNT(*) FROM jobs WHERE kind = 'eval' AND params LIKE ?").pluck().get(`%${runId()}%`)).toBe(1);
    db.close();
  });

  it('a CLI evaluation is the run the Evaluate step lists; the same command refuses a job another live process runs', async () => {
    const args = ['eval', projectDir, '--model', 'scripted', '--template', modelDir, '--bench', 'math500', '--limit', '2', '--max-thinking', '24', '--json'];
    const r = await cli(...args);
    expect(r.exitCode, String(r.all)).toBe(0);
    const j = JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as { run: string; job: number };
    // the API the UI calls, on the same project after the CLI finished
    process.env.DISTILLERY_CONFIG_DIR = env().DISTILLERY_CONFIG_DIR;
    const engine = new Engine({ mode: 'browser' });
    registerJobKinds(engine);
    await engine.open(projectDir);
    try {
      const runs = await appRouter.createCaller({ engine }).evaluate.runs.list();
      expect(runs.find((x) => x.id === j.run)).toMatchObject({ status: 'done', done: 2, total: 2 });
    } finally {
      await engine.close();
    }
    // its job claimed by another live process (this test's): the jobs domain's owner rule, not a second run
    const db = new Database(path.join(projectDir, 'project.sqlite'));
    db.prepare("UPDATE jobs SET status = 'running', owner_pid = ?, owner_host = ?, heartbeat_at = ? WHERE id = ?").run(process.pid, os.hostname(), new Date().toISOString(), j.job);
    const again = await cli(...args);
    expect(again.exitCode, String(again.all)).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(new RegExp(`Job ${j.job} \\(.*\\) is already running in process ${process.pid} on .*; wait for it, or stop that process first\\.`));
    expect(db.prepare("SELECT COUNT(*) FROM eval_runs WHERE config LIKE '%\"maxThinking\":24%'").pluck().get()).toBe(1);
    db.prepare("UPDATE jobs SET status = 'done' WHERE id = ?").run(j.job);
    db.close();
  });
});

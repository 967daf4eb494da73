/** Evaluation runs: creating one (questions frozen, settings normalised), its job, history and detail. */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { JobRunner } from '../jobs';
import type { Project } from '../store/project';
import { findTeacher } from '../teacher/store';
import { UserError } from '../util/errors';
import { loadBenchmark } from './benchmarks';
import { EVAL_KIND } from './job';
import { folderProblem } from './models';
import { compareModels } from './compare';
import { computePins, savePins } from './pins';
import { computeCells, computeLatency, lightResults, questionRows, scalingSeries, type LightResult } from './score';
import { deleteEvalRun, getEvalRun, insertEvalRun, listEvalRuns, parseConfig, updateEvalRun, type EvalRunRow, type RunQuestionRow } from './store';
import { runInput, type Cell, type Comparison, type ItemsInput, type RunConfig, type RunDetail, type RunInput, type RunSummary } from './types';

function newRunId(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `eval-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}-${randomBytes(2).toString('hex')}`;
}

/** Fills in the defaults. A budget with Waits and no minimum forces its Waits (s1): the minimum becomes the maximum. */
export function normaliseConfig(input: RunInput): RunConfig {
  const r = runInput.parse(input);
  const samples = r.samples ?? 1;
  return {
    name: r.name?.trim() || null,
    models: r.models,
    benchmarks: [...new Set(r.benchmarks)],
    budgets: r.budgets.map((b) => {
      const waits = b.waits ?? 0;
      return { maxThinking: b.maxThinking, minThinking: b.minThinking ?? (waits > 0 ? b.maxThinking : 0), waits };
    }),
    samples,
    limit: r.limit ?? null,
    // Several samples or repeats of a greedy decode would all be the same generation.
    temperature: r.temperature ?? (samples > 1 || (r.repeats ?? 1) > 1 ? 0.7 : 0),
    seed: r.seed ?? 0,
    maxAnswerTokens: r.maxAnswerTokens ?? defaultAnswerTokens(r.budgets.map((b) => b.maxThinking)),
    waitWord: r.waitWord ?? 'Wait',
    systemPrompt: r.systemPrompt?.trim() || null,
    judge: r.judge ?? null,
    concurrency: r.concurrency ?? (r.models.every((m) => m.kind === 'endpoint') ? 4 : 1),
    repeats: r.repeats ?? 1,
  };
}

function checkModels(project: Project, config: RunConfig): void {
  for (const m of config.models) {
    if (m.kind === 'endpoint') {
      const t = findTeacher(project.db, m.teacher);
      if (!t) throw new UserError(`The model "${m.label}" names the teacher "${m.teacher}", which is not registered in this project; add it on the Teacher step.`, 'no_teacher');
      const dir = m.templateDir ? path.resolve(m.templateDir) : path.isAbsolute(t.model) ? t.model : null;
      if (!dir) throw new UserError(`The model "${m.label}" (teacher "${t.name}", ${t.model}) needs a template folder with its tokenizer.json and chat template, so that thinking tokens can be counted.`, 'no_template_dir');
      const problem = folderProblem(dir);
      if (problem) throw new UserError(`The model "${m.label}": ${problem}`, 'invalid_model');
    } else {
      const problem = folderProblem(path.resolve(m.dir));
      if (problem) throw new UserError(`The model "${m.label}": ${problem}`, 'invalid_model');
    }
  }
  if (config.judge && !findTeacher(project.db, config.judge)) throw new UserError(`The judge "${config.judge}" is not a registered teacher; add it on the Teacher step or leave the judge empty.`, 'no_judge');
}

/** Creates the run (its questions frozen) without starting anything. */
export async function createRun(project: Project, input: RunInput): Promise<{ runId: string; config: RunConfig; total: number }> {
  const config = normaliseConfig(input);
  checkModels(project, config);
  const questions: RunQuestionRow[] = [];
  for (const b of config.benchmarks) {
    const qs = await loadBenchmark(project, b);
    if (!qs.length) throw new UserError(`The benchmark "${b}" has no questions with a reference answer; choose another.`, 'empty_benchmark');
    qs.slice(0, config.limit ?? qs.length).forEach((q, i) => questions.push({ benchmark: b, qidx: i, ...q }));
  }
  const total = questions.length * config.models.length * config.budgets.length * config.samples * config.repeats;
  if (total > 2_000_000) throw new UserError(`This run would make ${total.toLocaleString('en')} generations; lower the samples, repeats, budgets or question limit.`, 'run_too_large');
  // Pinned before anything is stored: a model file that cannot be read stops the run with nothing half made.
  const pins = await computePins(project, config, questions);
  const runId = newRunId();
  insertEvalRun(project.db, { id: runId, config, questions, total });
  savePins(project, runId, pins);
  return { runId, config, total };
}

export async function startRun(project: Project, runner: JobRunner, input: RunInput): Promise<{ runId: string; jobId: number; total: number }> {
  const { runId, total } = await createRun(project, input);
  const jobId = runner.start(EVAL_KIND, { runId });
  updateEvalRun(project.db, runId, { job_id: jobId });
  return { runId, jobId, total };
}

export function requireRun(project: Project, runId: string): EvalRunRow {
  const r = getEvalRun(project.db, runId);
  if (!r) throw new UserError(`There is no evaluation run ${runId} in this project.`, 'run_not_found');
  return r;
}

export function pauseRun(project: Project, runner: JobRunner, runId: string): void {
  const r = requireRun(project, runId);
  if (r.job_id) runner.pause(r.job_id);
}

export function cancelRun(project: Project, runner: JobRunner, runId: string): void {
  const r = requireRun(project, runId);
  if (r.job_id) runner.cancel(r.job_id);
}

/** Resumes the run's job, or starts a new job for what is missing or failed once the old one has ended. */
export function resumeRun(project: Project, runner: JobRunner, runId: string): { jobId: number } {
  const r = requireRun(project, runId);
  const job = r.job_id ? runner.get(r.job_id) : undefined;
  if (job && job.status !== 'done' && job.status !== 'cancelled' && job.status !== 'failed') {
    runner.resume(job.id);
    return { jobId: job.id };
  }
  const missing = project.db.prepare('SELECT COUNT(*) FROM eval_results WHERE run_id = ? AND error IS NULL').pluck().get(runId) as number;
  if (missing >= r.total) throw new UserError(`The run ${runId} has finished with every generation stored; there is nothing to resume.`, 'run_finished');
  const jobId = runner.start(EVAL_KIND, { runId });
  updateEvalRun(project.db, runId, { job_id: jobId, ended_at: null });
  return { jobId };
}

export async function removeRun(project: Project, runner: JobRunner, runId: string): Promise<void> {
  const r = requireRun(project, runId);
  if (r.job_id && runner.get(r.job_id)) {
    runner.cancel(r.job_id);
    await runner.wait(r.job_id);
  }
  deleteEvalRun(project.db, runId);
  fs.rmSync(path.join(project.artifactsDir, 'eval', runId), { recursive: true, force: true });
}

function summary(project: Project, runner: JobRunner, r: EvalRunRow): RunSummary {
  const c = parseConfig(r);
  const job = r.job_id ? runner.get(r.job_id) : undefined;
  const counts = project.db
    .prepare('SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN error IS NOT NULL THEN 1 ELSE 0 END), 0) AS failed FROM eval_results WHERE run_id = ?')
    .get(r.id) as { n: number; failed: number };
  return {
    id: r.id,
    name: r.name,
    jobId: r.job_id,
    status: (job?.status ?? 'queued'),
    models: c.models.map((m) => m.label),
    benchmarks: c.benchmarks,
    budgets: c.budgets,
    samples: c.samples,
    repeats: c.repeats,
    total: r.total,
    done: counts.n,
    failed: counts.failed,
    error: job?.error ?? null,
    createdAt: r.created_at,
    endedAt: job?.ended_at ?? r.ended_at,
  };
}

export function runSummaries(project: Project, runner: JobRunner): RunSummary[] {
  return listEvalRuns(project.db).map((r) => summary(project, runner, r));
}

/**
 * Cells with their bootstrap intervals cost a few milliseconds per cell; the Evaluate step asks for the
 * detail every second while a run is live. They are kept per run until a result is added or replaced.
 */
const cellCache = new WeakMap<Project['db'], Map<string, { sig: string; cells: Cell[] }>>();

function cachedCells(project: Project, runId: string, config: RunConfig, rows: LightResult[]): Cell[] {
  const sig = project.db.prepare("SELECT COUNT(*) || ':' || COALESCE(MAX(rowid), 0) FROM eval_results WHERE run_id = ?").pluck().get(runId) as string;
  let m = cellCache.get(project.db);
  if (!m) cellCache.set(project.db, (m = new Map()));
  const hit = m.get(runId);
  if (hit && hit.sig === sig) return hit.cells;
  const cells = computeCells(config, rows);
  m.set(runId, { sig, cells });
  return cells;
}

export function runDetail(project: Project, runner: JobRunner, runId: string): RunDetail {
  const r = requireRun(project, runId);
  const config = parseConfig(r);
  const rows = lightResults(project.db, runId);
  const cells = cachedCells(project, runId, config, rows);
  return {
    run: summary(project, runner, r),
    config,
    progress: r.job_id && runner.get(r.job_id) ? runner.progress(r.job_id) : null,
    cells,
    latency: computeLatency(config, rows),
    scaling: scalingSeries(cells),
    reportPath: { html: r.report_html, json: r.report_json },
  };
}

/** Model A against model B on the run's questions (A − B per benchmark and budget; see compare.ts). */
export function runCompare(project: Project, runId: string, a: string, b: string): Comparison[] {
  const config = parseConfig(requireRun(project, runId));
  const labels = config.models.map((m) => m.label);
  for (const l of [a, b]) {
    if (!labels.includes(l)) throw new UserError(`The run ${runId} has no model labelled "${l}"; its models are ${labels.map((x) => `"${x}"`).join(', ')}.`, 'no_such_model');
  }
  if (a === b) throw new UserError(`Compare two different models of the run ${runId}; both sides name "${a}".`, 'same_model');
  return compareModels(config, lightResults(project.db, runId), a, b);
}

export function runItems(project: Project, q: ItemsInput) {
  const r = requireRun(project, q.runId);
  return questionRows(project.db, parseConfig(r), q);
}

/**
 * The answer that follows a forced end of thinking is short (a boxed value, a sentence). A fixed 1,024
 * tokens made a run with tiny budgets spend most of its time on answers; half the largest thinking
 * budget, between 64 and 1,024, keeps the answer proportionate.
 */
export function defaultAnswerTokens(budgets: readonly number[]): number {
  const largest = budgets.length ? Math.max(...budgets) : 2048;
  return Math.min(1024, Math.max(64, Math.round(largest / 2)));
}

/**
 * "The same command resumes": a run with these very settings whose job has not finished is resumed (the jobs
 * domain refuses a job another live process is running), else a new run is started. Used by `distillery eval`.
 */
export async function startOrResumeRun(project: Project, runner: JobRunner, input: RunInput): Promise<{ runId: string; jobId: number; total: number; resumed: boolean }> {
  const wanted = JSON.stringify(normaliseConfig(input));
  const previous = listEvalRuns(project.db).find((r) => r.job_id !== null && runner.get(r.job_id)?.status !== 'done' && JSON.stringify(parseConfig(r)) === wanted);
  if (previous) return { runId: previous.id, ...resumeRun(project, runner, previous.id), total: previous.total, resumed: true };
  return { ...(await startRun(project, runner, input)), resumed: false };
}

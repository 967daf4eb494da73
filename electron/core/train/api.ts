/**
 * The Train view's API (mounted at `train`): base-model and dataset inspection, the planner's verdict for a
 * recipe, presets, launching a run as a durable `train` job (runs.ts), run history and a run's live detail.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { checkPythonEnv } from '../env/python';
import type { JobRunner } from '../jobs';
import type { Project } from '../store/project';
import { projectProcedure, publicProcedure, router } from '../api/trpc';
import { listCheckpoints } from './job';
import { inspectDataset, inspectModel, projectDatasets } from './inspect';
import type { RunConfig } from './recipes';
import { PRESETS, recipeInput, requireRun, resumeRun, startRun, verdictFor } from './runs';
import { listRuns, runEvents, type RunRow } from './store';

export { inspectDataset, inspectModel, projectDatasets, type DatasetInfo, type ModelInfo } from './inspect';
export { PRESETS, createRun, recipeInput, resumeRun, startRun, verdictFor, type BatchPlan, type RecipeInput, type RunOptions, type Verdict } from './runs';

// ---------- history and detail ----------

export interface RunSummary {
  id: string;
  jobId: number | null;
  jobStatus: string | null;
  status: string;
  dir: string;
  name: string | null;
  config: RunConfig;
  plan: { fits: boolean; per_gpu_gib: number; gpus: number; gpuMemoryGib: number; suggestion: string | null };
  step: number | null;
  maxSteps: number | null;
  loss: number | null;
  error: string | null;
  createdAt: string;
  endedAt: string | null;
}

function summary(run: RunRow, runner: JobRunner): RunSummary {
  const p = JSON.parse(run.plan) as RunSummary['plan'] & { name?: string | null };
  const job = run.job_id ? runner.get(run.job_id) : undefined;
  return {
    id: run.id, jobId: run.job_id, jobStatus: job?.status ?? null, status: run.status, dir: run.dir, name: p.name ?? null,
    config: JSON.parse(run.config) as RunConfig,
    plan: { fits: p.fits, per_gpu_gib: p.per_gpu_gib, gpus: p.gpus, gpuMemoryGib: p.gpuMemoryGib, suggestion: p.suggestion },
    step: run.step, maxSteps: run.max_steps, loss: run.loss, error: run.error, createdAt: run.created_at, endedAt: run.ended_at,
  };
}

export interface StepPoint {
  step: number;
  epoch: number | null;
  loss: number | null;
  learning_rate: number | null;
  grad_norm: number | null;
  tokens_per_sec: number | null;
  mfu: number | null;
  gpu_memory_gib: number | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function tailFile(file: string, maxBytes = 16_384, maxLines = 80): string[] {
  try {
    const st = fs.statSync(file);
    const len = Math.min(st.size, maxBytes);
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, st.size - len);
    fs.closeSync(fd);
    const lines = buf.toString('utf8').split('\n');
    if (st.size > len) lines.shift();
    return lines.filter((l) => l.trim() !== '').slice(-maxLines);
  } catch {
    return [];
  }
}

export function runDetail(project: Project, runner: JobRunner, runId: string) {
  const run = requireRun(project, runId);
  const byStep = new Map<number, StepPoint>();
  const evals: { step: number; eval_loss: number | null }[] = [];
  const notable: { seq: number; event: Record<string, unknown> }[] = [];
  let start: Record<string, unknown> | null = null;
  for (const row of runEvents(project.db, runId)) {
    const e = JSON.parse(row.event) as Record<string, unknown>;
    if (row.kind === 'step') {
      const step = num(e.step);
      if (step === null) continue;
      // a relaunch after a crash may replay steps since the last checkpoint: the latest wins
      byStep.set(step, {
        step, epoch: num(e.epoch), loss: num(e.loss), learning_rate: num(e.learning_rate), grad_norm: num(e.grad_norm),
        tokens_per_sec: num(e.tokens_per_sec), mfu: num(e.mfu), gpu_memory_gib: num(e.gpu_memory_gib),
      });
    } else {
      if (row.kind === 'eval') evals.push({ step: num(e.step) ?? 0, eval_loss: num(e.eval_loss) });
      if (row.kind === 'start') start = e;
      if (row.kind !== 'log') notable.push({ seq: row.seq, event: e });
    }
  }
  const steps = [...byStep.values()].sort((a, b) => a.step - b.step);
  const s = summary(run, runner);
  const dir = path.join(project.dir, run.dir);
  return {
    run: s,
    progress: run.job_id && runner.get(run.job_id) ? runner.progress(run.job_id) : null,
    start,
    steps,
    evals,
    events: notable.slice(-40),
    checkpoints: listCheckpoints(s.config.output_dir),
    log: tailFile(path.join(dir, 'worker.log')),
    path: dir,
  };
}

export type RunDetail = ReturnType<typeof runDetail>;

const runIdInput = z.object({ id: z.string().regex(/^[\w.-]+$/) });

export const trainRouter = router({
  presets: publicProcedure.query(() => PRESETS),
  /** This machine's GPUs from the environment check (the form's defaults); 80 GiB when there is none. */
  hardware: publicProcedure.query(async () => {
    const env = await checkPythonEnv();
    const gpus = env.gpus.length;
    return {
      pythonOk: env.ok,
      error: env.error,
      gpus,
      gpuMemoryGib: gpus > 0 ? Math.min(...env.gpus.map((g) => g.memory_gib)) : 80,
      names: env.gpus.map((g) => g.name),
      cuda: env.cuda_available,
      /** DeepSpeed ZeRO-3 can be chosen for several GPUs only when the package is installed */
      deepspeed: typeof (env as { deepspeed?: unknown }).deepspeed === 'string',
    };
  }),
  inspectModel: publicProcedure.input(z.object({ dir: z.string().trim().min(1) })).query(({ input }) => inspectModel(input.dir)),
  inspectDataset: publicProcedure.input(z.object({ dir: z.string().trim().min(1) })).query(({ input }) => inspectDataset(input.dir)),
  datasets: projectProcedure.query(({ ctx }) => projectDatasets(ctx.project)),
  plan: publicProcedure.input(recipeInput).query(({ input }) => verdictFor(input)),
  start: projectProcedure.input(recipeInput).mutation(({ ctx, input }) => startRun(ctx.project, ctx.runner, input)),
  runs: projectProcedure.query(({ ctx }) => listRuns(ctx.project.db).map((r) => summary(r, ctx.runner))),
  run: projectProcedure.input(runIdInput).query(({ ctx, input }) => runDetail(ctx.project, ctx.runner, input.id)),
  pause: projectProcedure.input(runIdInput).mutation(({ ctx, input }) => {
    const run = requireRun(ctx.project, input.id);
    if (run.job_id) ctx.runner.pause(run.job_id);
    return null;
  }),
  cancel: projectProcedure.input(runIdInput).mutation(({ ctx, input }) => {
    const run = requireRun(ctx.project, input.id);
    if (run.job_id) ctx.runner.cancel(run.job_id);
    return null;
  }),
  resume: projectProcedure.input(runIdInput).mutation(({ ctx, input }) => resumeRun(ctx.project, ctx.runner, input.id)),
});

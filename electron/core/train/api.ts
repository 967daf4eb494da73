/**
 * The Train view's API (mounted at `train`): base-model and dataset inspection, the planner's verdict for a
 * recipe, presets, launching a run as a durable `train` job, run history and a run's live detail.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { checkPythonEnv, pythonExecutable } from '../env/python';
import type { JobRunner } from '../jobs';
import type { Project } from '../store/project';
import { UserError } from '../util/errors';
import { projectProcedure, publicProcedure, router } from '../api/trpc';
import { listCheckpoints } from './job';
import { inspectDataset, inspectModel, projectDatasets } from './inspect';
import { modelConfigFrom, plan as planMemory, type Method, type Plan } from './planner';
import { deepspeedRefusal, launchFiles, writeLaunchFiles } from './launchfiles';
import { DISTRIBUTED, RECIPE_DEFAULTS, RECIPES, type Distributed, type RecipeName, type RunConfig } from './recipes';
import { appRoot } from '../util/root';
import { getRun, insertRun, listRuns, runEvents, updateRun, type RunRow } from './store';
import { mkdirPrivate, tightenTree } from '../util/private-fs';

/** The form's presets (mirror distillery_worker/train.py PRESETS for the fields the form shows). */
export const PRESETS: Record<RecipeName, { method: Method; learningRate: number; epochs: number; batchSize: number; maxLength: number; microBatch: number; gradientCheckpointing: boolean }> = {
  s1: { ...pick('s1'), learningRate: 1e-5, epochs: 5, batchSize: 16 },
  lora: { ...pick('lora'), learningRate: 1e-4, epochs: 5, batchSize: 16 },
  qlora: { ...pick('qlora'), learningRate: 1e-4, epochs: 5, batchSize: 16 },
  kd: { ...pick('kd'), learningRate: 1e-5, epochs: 5, batchSize: 16 },
};

function pick(r: RecipeName) {
  const d = RECIPE_DEFAULTS[r];
  return { method: d.method, maxLength: d.max_length, microBatch: d.micro_batch_size, gradientCheckpointing: d.gradient_checkpointing };
}

export const recipeInput = z.object({
  preset: z.enum(RECIPES as unknown as [RecipeName, ...RecipeName[]]),
  base: z.string().trim().min(1, 'choose a base model folder'),
  dataset: z.string().trim().min(1, 'choose a dataset folder'),
  method: z.enum(['full', 'lora', 'qlora', 'kd']).optional(),
  learningRate: z.number().positive().max(1),
  epochs: z.number().positive().max(10_000),
  batchSize: z.number().int().min(1).max(1_000_000),
  maxLength: z.number().int().min(16).max(1_048_576),
  microBatch: z.number().int().min(1).max(4096),
  gpus: z.number().int().min(1).max(64),
  gpuMemoryGib: z.number().positive().max(4096),
  gradientCheckpointing: z.boolean(),
  maxSteps: z.number().int().min(1).max(100_000_000).nullable().optional(),
  saveSteps: z.number().int().min(1).max(100_000_000).optional(),
  loraRank: z.number().int().min(1).max(4096).optional(),
  teacherModel: z.string().trim().optional(),
  /** KD from top-k teacher logits precomputed to disk (`python -m distillery_worker teacher-logits`) */
  teacherLogits: z.string().trim().optional(),
  /** several GPUs: FSDP (default) or DeepSpeed ZeRO-3 */
  distributed: z.enum(DISTRIBUTED as unknown as [Distributed, ...Distributed[]]).optional(),
  /** TRL packing / padding-free batches (used where flash attention is present; else off with a note) */
  packing: z.boolean().optional(),
  paddingFree: z.boolean().optional(),
  name: z.string().trim().max(200).optional(),
});
export type RecipeInput = z.infer<typeof recipeInput>;

export { inspectDataset, inspectModel, projectDatasets, type DatasetInfo, type ModelInfo } from './inspect';

// ---------- planning and launching ----------

export interface Verdict extends Plan {
  command: string[];
  gpus: number;
  gpuMemoryGib: number;
  method: Method;
  distributed: Distributed | null;
  /** a sentence when this plan cannot be launched here (DeepSpeed without the deepspeed package) */
  blocked: string | null;
}

function readBaseConfig(base: string) {
  const file = path.join(path.resolve(base), 'config.json');
  if (!fs.existsSync(file)) throw new UserError(`The base model folder ${path.resolve(base)} has no config.json; choose a Hugging Face model folder.`, 'no_model_config');
  try {
    return modelConfigFrom(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    throw new UserError(`${file}: ${(e as Error).message}`, 'bad_model_config');
  }
}

function topKOf(dir: string | undefined): number | undefined {
  if (!dir) return undefined;
  try {
    const k = (JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as { top_k?: unknown }).top_k;
    return typeof k === 'number' ? k : undefined;
  } catch {
    return undefined;
  }
}

function launchFor(r: RecipeInput, configPath: string, runId = '<run>') {
  const runDir = path.dirname(configPath);
  return launchFiles({
    runId, runDir, cwd: appRoot(), python: pythonExecutable(), configPath, outputDir: path.join(runDir, 'output'), gpus: r.gpus, nodes: 1,
    distributed: r.distributed ?? 'fsdp',
  });
}

export async function verdictFor(r: RecipeInput, configPath = '<run>/config.json'): Promise<Verdict> {
  const method = r.method ?? PRESETS[r.preset].method;
  const config = readBaseConfig(r.base);
  const teacherLogits = method === 'kd' && r.teacherLogits ? r.teacherLogits : undefined;
  const teacherConfig = method === 'kd' && !teacherLogits && r.teacherModel && fs.existsSync(path.join(r.teacherModel, 'config.json')) ? readBaseConfig(r.teacherModel) : undefined;
  const distributed = r.gpus > 1 ? (r.distributed ?? 'fsdp') : null;
  const p = planMemory({
    config, method, seqLength: r.maxLength, microBatch: r.microBatch, gpus: r.gpus, gpuMemoryGib: r.gpuMemoryGib,
    gradientCheckpointing: r.gradientCheckpointing, sharding: distributed === 'deepspeed' ? 'zero3' : distributed ? 'fsdp' : 'none',
    loraRank: r.loraRank, teacherConfig, teacherTopK: topKOf(teacherLogits),
  });
  const blocked = distributed ? deepspeedRefusal(await checkPythonEnv(), distributed, r.gpus) : null;
  return { ...p, command: launchFor(r, configPath).command, gpus: r.gpus, gpuMemoryGib: r.gpuMemoryGib, method, distributed, blocked };
}

function newRunId(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `run-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}-${randomBytes(2).toString('hex')}`;
}

/** Writes the run folder (config.json, plan.json, fsdp.yaml) and its row; the job is started by the caller. */
export async function createRun(project: Project, r: RecipeInput): Promise<{ runId: string; dir: string; config: RunConfig; verdict: Verdict }> {
  const method = r.method ?? PRESETS[r.preset].method;
  const base = path.resolve(r.base);
  const dataset = path.resolve(r.dataset);
  const model = inspectModel(base);
  if (!model.ok) throw new UserError(`The base model folder ${base} is not complete (config.json, tokenizer and safetensors weights are needed).`, 'bad_model_folder');
  if (!fs.existsSync(dataset)) throw new UserError(`The dataset ${dataset} does not exist; export one from the Review view.`, 'no_dataset');
  if (method === 'kd' && !r.teacherModel && !r.teacherLogits) throw new UserError('Knowledge distillation needs a teacher model folder with the same tokenizer, or a folder of precomputed teacher logits.', 'no_teacher');
  if (method === 'kd' && r.teacherLogits && !fs.existsSync(path.join(r.teacherLogits, 'index.json'))) {
    throw new UserError(`${path.resolve(r.teacherLogits)} has no index.json; compute the teacher logits first (python -m distillery_worker teacher-logits --teacher DIR --dataset DIR --top-k 64 --out DIR).`, 'no_teacher_logits');
  }
  if (!fs.existsSync(pythonExecutable())) throw new UserError(`No Python environment at ${pythonExecutable()}; run "npm run setup:python" first.`, 'no_python');
  const runId = newRunId();
  const rel = path.join('artifacts', 'runs', runId);
  const dir = path.join(project.dir, rel);
  const configPath = path.join(dir, 'config.json');
  const verdict = await verdictFor(r, configPath);
  if (verdict.blocked) throw new UserError(verdict.blocked, 'no_deepspeed');
  const launch = launchFor(r, configPath, runId);
  const config: RunConfig = {
    preset: r.preset,
    base_model: base,
    dataset,
    output_dir: path.join(dir, 'output'),
    method,
    max_length: r.maxLength,
    micro_batch_size: r.microBatch,
    gradient_checkpointing: r.gradientCheckpointing,
    learning_rate: r.learningRate,
    num_train_epochs: r.epochs,
    batch_size: r.batchSize,
    max_steps: r.maxSteps ?? -1,
    ...(r.saveSteps ? { save_steps: r.saveSteps } : {}),
    ...(verdict.distributed ? { distributed: verdict.distributed, ...(verdict.distributed === 'fsdp' ? { fsdp: true } : {}) } : {}),
    ...(launch.deepspeedConfig ? { deepspeed_config: launch.deepspeedConfig } : {}),
    ...(r.packing ? { packing: true } : {}),
    ...(r.paddingFree ? { padding_free: true } : {}),
    ...(r.loraRank && (method === 'lora' || method === 'qlora') ? { lora: { r: r.loraRank } } : {}),
    ...(method === 'kd' && r.teacherLogits ? { kd: { teacher_logits: path.resolve(r.teacherLogits) } } : {}),
    ...(method === 'kd' && !r.teacherLogits && r.teacherModel ? { kd: { teacher_model: path.resolve(r.teacherModel) } } : {}),
  };
  mkdirPrivate(dir);
  fs.writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  writeLaunchFiles(launch);
  const planJson = { ...verdict, name: r.name ?? null, recipe: r };
  fs.writeFileSync(path.join(dir, 'plan.json'), `${JSON.stringify(planJson, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'events.jsonl'), '');
  tightenTree(dir); // config, plan and launch files readable by the user only
  insertRun(project.db, { id: runId, dir: rel, config, plan: planJson });
  return { runId, dir, config, verdict };
}

/** Creates the run and starts its durable job. */
export async function startRun(project: Project, runner: JobRunner, r: RecipeInput): Promise<{ runId: string; jobId: number }> {
  const { runId } = await createRun(project, r);
  const jobId = runner.start('train', { runId });
  updateRun(project.db, runId, { job_id: jobId });
  return { runId, jobId };
}

/** Resumes a stopped run: its job again, or a new job when the old one has ended (failed, or left done). */
export function resumeRun(project: Project, runner: JobRunner, runId: string): { jobId: number } {
  const run = requireRun(project, runId);
  if (run.status === 'done') throw new UserError(`The run ${runId} has finished; there is nothing to resume.`, 'run_finished');
  const job = run.job_id ? runner.get(run.job_id) : undefined;
  if (job && job.status !== 'done') {
    runner.resume(job.id);
    return { jobId: job.id };
  }
  const jobId = runner.start('train', { runId });
  updateRun(project.db, runId, { job_id: jobId, status: 'queued' });
  return { jobId };
}

function requireRun(project: Project, runId: string): RunRow {
  const run = getRun(project.db, runId);
  if (!run) throw new UserError(`There is no training run ${runId} in this project.`, 'run_not_found');
  return run;
}

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

/** The router as the app mounts it (`train: trainRouter`), for the renderer's typed client before/after mounting. */
export const trainAppRouter = router({ train: trainRouter });
export type TrainAppRouter = typeof trainAppRouter;

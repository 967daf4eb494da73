/**
 * A training run from any host: the planner's verdict for a recipe, the run folder and its row, its durable
 * `train` job (start, resume). The Train view (through `api.ts`) and `distillery train` (through `service.ts`)
 * both come here, so a run started from either is the same record.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { checkPythonEnv, pythonExecutable } from '../env/python';
import type { JobRunner } from '../jobs';
import type { Project } from '../store/project';
import { UserError } from '../util/errors';
import { inspectDataset, inspectModel } from './inspect';
import { modelConfigFrom, plan as planMemory, type Method, type Plan } from './planner';
import { deepspeedRefusal, launchFiles, writeLaunchFiles } from './launchfiles';
import { DISTRIBUTED, recipePreset, RECIPES, type Distributed, type RecipeName, type RunConfig } from './recipes';
import { appRoot } from '../util/root';
import { getRun, insertRun, updateRun, type RunRow } from './store';
import { mkdirPrivate, tightenTree } from '../util/private-fs';
import { resolveTeacherLogits, teacherLogitsProblem, teacherLogitsTopK } from './captured';

/** The form's presets: presets.json (through recipes.ts) for the fields the form shows. */
export const PRESETS: Record<RecipeName, { method: Method; learningRate: number; epochs: number; batchSize: number; maxLength: number; microBatch: number; gradientCheckpointing: boolean }> = {
  s1: pick('s1'),
  lora: pick('lora'),
  qlora: pick('qlora'),
  kd: pick('kd'),
};

function pick(r: RecipeName) {
  const p = recipePreset(r);
  return {
    method: p.method, maxLength: p.max_length, microBatch: p.micro_batch_size, gradientCheckpointing: p.gradient_checkpointing,
    learningRate: p.learning_rate, epochs: p.num_train_epochs, batchSize: p.batch_size,
  };
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

/** What only the CLI sets beside the form's recipe. */
export interface RunOptions {
  /** several machines: per-node accelerate configs and launch.sbatch; such a run goes to Slurm, not to a job here */
  nodes?: number;
  mainIp?: string;
  mainPort?: number;
  /** further run-config fields in the worker's names (a recipe file); the recipe's own fields win */
  extra?: Record<string, unknown>;
}

// ---------- planning and launching ----------

/** How the examples fall into optimizer steps (the worker's accumulation rule, TRL's steps per epoch). */
export interface BatchPlan {
  examples: number;
  /** micro-batch × gradient accumulation × GPUs */
  effective: number;
  stepsPerEpoch: number;
  /** fewer examples than one effective batch: each epoch is a single optimizer step */
  few: boolean;
}

export interface Verdict extends Plan {
  command: string[];
  gpus: number;
  gpuMemoryGib: number;
  method: Method;
  distributed: Distributed | null;
  /** a sentence when this plan cannot be launched here (DeepSpeed without the deepspeed package) */
  blocked: string | null;
  /** null when the dataset's examples cannot be counted (no train.jsonl yet) */
  batch: BatchPlan | null;
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


export function launchFor(r: RecipeInput, configPath: string, runId = '<run>', o: RunOptions = {}) {
  const runDir = path.dirname(configPath);
  return launchFiles({
    runId, runDir, cwd: appRoot(), python: pythonExecutable(), configPath, outputDir: path.join(runDir, 'output'), gpus: r.gpus, nodes: o.nodes ?? 1,
    distributed: r.distributed ?? 'fsdp', mainIp: o.mainIp, mainPort: o.mainPort,
  });
}

function countExamples(dataset: string): number {
  const abs = path.resolve(dataset);
  if (abs.endsWith('.jsonl') && fs.existsSync(abs) && fs.statSync(abs).isFile()) {
    return fs.readFileSync(abs, 'utf8').split('\n').filter((l) => l.trim()).length;
  }
  return inspectDataset(abs).rows;
}

/**
 * The worker accumulates ceil(batch / (micro × GPUs)) micro-batches unless the recipe names the accumulation;
 * TRL then makes ceil(micro-batches per epoch / accumulation) optimizer steps per epoch, at least one.
 */
export function batchPlan(examples: number, r: Pick<RecipeInput, 'batchSize' | 'microBatch'>, world: number, accumulation?: number): BatchPlan | null {
  if (examples <= 0) return null;
  const accum = accumulation && accumulation > 0 ? accumulation : Math.max(1, Math.ceil(r.batchSize / (r.microBatch * world)));
  const effective = r.microBatch * accum * world;
  const stepsPerEpoch = Math.max(1, Math.ceil(Math.ceil(examples / (r.microBatch * world)) / accum));
  return { examples, effective, stepsPerEpoch, few: examples < effective };
}

/** The CLI's sentence for a batch larger than the dataset (the Train view says the same through i18n). */
export function batchSentence(b: BatchPlan | null): string | null {
  if (!b?.few) return null;
  const steps = b.stepsPerEpoch === 1 ? '1 optimizer step' : `${b.stepsPerEpoch} optimizer steps`;
  return `${b.examples} examples with an effective batch of ${b.effective} make ${steps} per epoch; lower the batch (or the gradient accumulation) or add examples.`;
}

export async function verdictFor(r: RecipeInput, configPath = '<run>/config.json', o: RunOptions = {}): Promise<Verdict> {
  const method = r.method ?? PRESETS[r.preset].method;
  const config = readBaseConfig(r.base);
  const world = r.gpus * (o.nodes ?? 1);
  const teacherLogits = method === 'kd' && r.teacherLogits ? r.teacherLogits : undefined;
  const teacherConfig = method === 'kd' && !teacherLogits && r.teacherModel && fs.existsSync(path.join(r.teacherModel, 'config.json')) ? readBaseConfig(r.teacherModel) : undefined;
  const distributed = world > 1 ? (r.distributed ?? 'fsdp') : null;
  const p = planMemory({
    config, method, seqLength: r.maxLength, microBatch: r.microBatch, gpus: world, gpuMemoryGib: r.gpuMemoryGib,
    gradientCheckpointing: r.gradientCheckpointing, sharding: distributed === 'deepspeed' ? 'zero3' : distributed ? 'fsdp' : 'none',
    loraRank: r.loraRank, teacherConfig, teacherTopK: teacherLogitsTopK(teacherLogits),
  });
  const blocked = distributed ? deepspeedRefusal(await checkPythonEnv(), distributed, world) : null;
  const accumulation = Number(o.extra?.gradient_accumulation_steps) || undefined;
  const batch = batchPlan(countExamples(r.dataset), r, world, accumulation);
  return { ...p, command: launchFor(r, configPath, '<run>', o).command, gpus: r.gpus, gpuMemoryGib: r.gpuMemoryGib, method, distributed, blocked, batch };
}

function newRunId(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `run-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}-${randomBytes(2).toString('hex')}`;
}

const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * Writes the run folder (config.json, plan.json, launcher files) and its row; the job is started by the caller.
 * Several nodes only need the base model's config.json here: the nodes read the folder from the shared filesystem.
 */
export async function createRun(project: Project, r: RecipeInput, o: RunOptions = {}): Promise<{ runId: string; dir: string; config: RunConfig; verdict: Verdict; launch: ReturnType<typeof launchFor> }> {
  // "captured": the logprobs this project's generate jobs captured (artifacts/logprobs), as the CLI flag means
  if (r.teacherLogits) r = { ...r, teacherLogits: resolveTeacherLogits(r.teacherLogits, project.dir) };
  const method = r.method ?? PRESETS[r.preset].method;
  const base = path.resolve(r.base);
  const dataset = path.resolve(r.dataset);
  const nodes = o.nodes ?? 1;
  const runId = newRunId();
  const rel = path.join('artifacts', 'runs', runId);
  const dir = path.join(project.dir, rel);
  const configPath = path.join(dir, 'config.json');
  // the plan first: a refusal (DeepSpeed missing) says what to change before any folder check
  const verdict = await verdictFor(r, configPath, o);
  if (verdict.blocked) throw new UserError(verdict.blocked, 'no_deepspeed');
  if (nodes <= 1 && !inspectModel(base).ok) throw new UserError(`The base model folder ${base} is not complete (config.json, tokenizer and safetensors weights are needed).`, 'bad_model_folder');
  if (!fs.existsSync(dataset)) throw new UserError(`The dataset ${dataset} does not exist; export one from the Review view.`, 'no_dataset');
  if (method === 'kd' && !r.teacherModel && !r.teacherLogits) throw new UserError('Knowledge distillation needs a teacher model folder with the same tokenizer, or a folder of precomputed teacher logits.', 'no_teacher');
  const logitsProblem = method === 'kd' && r.teacherLogits ? teacherLogitsProblem(r.teacherLogits) : null;
  if (logitsProblem) throw new UserError(logitsProblem, 'no_teacher_logits');
  if (!fs.existsSync(pythonExecutable())) throw new UserError(`No Python environment at ${pythonExecutable()}; run "npm run setup:python" first.`, 'no_python');
  const launch = launchFor(r, configPath, runId, o);
  const extra = o.extra ?? {};
  const config: RunConfig = {
    ...extra,
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
    ...(r.loraRank && (method === 'lora' || method === 'qlora') ? { lora: { ...record(extra.lora), r: r.loraRank } } : {}),
    // a recipe file's kd settings (alpha, temperatures) stay; the teacher is the one the recipe names
    ...(method === 'kd' && r.teacherLogits ? { kd: { ...record(extra.kd), teacher_model: undefined, teacher_logits: path.resolve(r.teacherLogits) } } : {}),
    ...(method === 'kd' && !r.teacherLogits && r.teacherModel ? { kd: { ...record(extra.kd), teacher_logits: undefined, teacher_model: path.resolve(r.teacherModel) } } : {}),
  };
  mkdirPrivate(dir);
  fs.writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  writeLaunchFiles(launch);
  const planJson = {
    ...verdict, name: r.name ?? null, recipe: r, options: o,
    ...(nodes > 1 ? { node_commands: launch.nodes.map((n) => n.command) } : {}),
  };
  fs.writeFileSync(path.join(dir, 'plan.json'), `${JSON.stringify(planJson, null, 2)}\n`);
  // a Slurm run's events go to slurm-<job>.out on the nodes
  if (nodes <= 1) fs.writeFileSync(path.join(dir, 'events.jsonl'), '');
  tightenTree(dir); // config, plan and launch files readable by the user only
  insertRun(project.db, { id: runId, dir: rel, config, plan: planJson });
  return { runId, dir, config, verdict, launch };
}

/** Creates the run and starts its durable job. */
export async function startRun(project: Project, runner: JobRunner, r: RecipeInput, o: RunOptions = {}): Promise<{ runId: string; jobId: number; verdict: Verdict }> {
  if ((o.nodes ?? 1) > 1) throw new UserError('A run on several nodes is submitted to Slurm, not started here; use "distillery train --nodes N".', 'several_nodes');
  const { runId, verdict } = await createRun(project, r, o);
  const jobId = runner.start('train', { runId });
  updateRun(project.db, runId, { job_id: jobId });
  return { runId, jobId, verdict };
}

/** Resumes a stopped run: its job again, or a new job when the old one has ended (failed, or left done). */
export function resumeRun(project: Project, runner: JobRunner, runId: string): { jobId: number } {
  const run = requireRun(project, runId);
  if (run.status === 'done') throw new UserError(`The run ${runId} has finished; there is nothing to resume.`, 'run_finished');
  if (((JSON.parse(run.plan) as { options?: RunOptions }).options?.nodes ?? 1) > 1) {
    throw new UserError(`The run ${runId} runs on several nodes through Slurm: submit its launch.sbatch again (it resumes from the last checkpoint).`, 'several_nodes');
  }
  const job = run.job_id ? runner.get(run.job_id) : undefined;
  if (job && job.status !== 'done') {
    runner.resume(job.id);
    return { jobId: job.id };
  }
  const jobId = runner.start('train', { runId });
  updateRun(project.db, runId, { job_id: jobId, status: 'queued' });
  return { jobId };
}

export function requireRun(project: Project, runId: string): RunRow {
  const run = getRun(project.db, runId);
  if (!run) throw new UserError(`There is no training run ${runId} in this project.`, 'run_not_found');
  return run;
}

/**
 * `distillery train` over the same services as the Train view (runs.ts): a recipe file and flags become the
 * form's recipe plus the CLI's options, a run is created and started as the durable `train` job (or resumed
 * when the same request left one unfinished), several nodes go to Slurm, and the job's events are followed.
 * The command file only parses flags and prints.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkPythonEnv, type PythonEnv } from '../env/python';
import type { JobRow, JobRunner } from '../jobs';
import type { Project } from '../store/project';
import { UserError } from '../util/errors';
import type { TrainEvent } from './launch';
import { slurmStatus, submitSbatch } from './multinode';
import { RECIPES, type Distributed, type RecipeName } from './recipes';
import { createRun, launchFor, PRESETS, resumeRun, startRun, verdictFor, type RecipeInput, type RunOptions, type Verdict } from './runs';
import { getRun, listRuns, runEvents, updateRun, type RunRow } from './store';
import { teacherLogitsProblem } from './captured';

export interface TrainRequest {
  recipe: RecipeInput;
  options: RunOptions;
}

/** The CLI's flags, parsed. */
export interface TrainFlags {
  base: string;
  dataset: string;
  /** a preset name or a .json recipe file of run-config fields */
  recipe: string;
  gpus?: number;
  gpuMemoryGib?: number;
  nodes?: number;
  maxLength?: number;
  microBatch?: number;
  maxSteps?: number;
  epochs?: number;
  teacherModel?: string;
  teacherLogits?: string;
  distributed?: Distributed;
  mainIp?: string;
  mainPort?: number;
}

function readRecipe(recipe: string): { preset?: RecipeName; fields: Record<string, unknown> } {
  if ((RECIPES as readonly string[]).includes(recipe)) return { preset: recipe as RecipeName, fields: {} };
  if (!recipe.endsWith('.json')) throw new UserError(`--recipe must be one of ${RECIPES.join(', ')} or a .json file, not "${recipe}".`, 'bad_recipe');
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(recipe, 'utf8'));
  } catch (e) {
    throw new UserError(`Cannot read the recipe ${recipe}: ${(e as Error).message}`, 'bad_recipe');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UserError(`The recipe ${recipe} must be a JSON object of run-config fields.`, 'bad_recipe');
  const fields = parsed as Record<string, unknown>;
  const preset = typeof fields.preset === 'string' && (RECIPES as readonly string[]).includes(fields.preset) ? (fields.preset as RecipeName) : undefined;
  return { preset, fields };
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const PRESET_OF_METHOD: Record<string, RecipeName> = { full: 's1', lora: 'lora', qlora: 'qlora', kd: 'kd' };

/**
 * Flags over a recipe file over its preset (a file without "preset" starts from its method's). Where --gpus or
 * --gpu-memory-gib is left out, the environment check supplies this machine's GPUs (80 GiB ones when it has none).
 */
export async function trainRequest(f: TrainFlags): Promise<{ request: TrainRequest; env: PythonEnv | null; notes: string[] }> {
  const { preset: named, fields } = readRecipe(f.recipe);
  const preset = named ?? PRESET_OF_METHOD[str(fields.method) ?? 'full'] ?? 's1';
  const p = PRESETS[preset];
  const method = (str(fields.method) ?? p.method) as RecipeInput['method'];
  const kd = (fields.kd && typeof fields.kd === 'object' ? fields.kd : {}) as { teacher_model?: unknown; teacher_logits?: unknown };
  const teacherLogits = f.teacherLogits ?? str(kd.teacher_logits);
  const teacherModel = f.teacherModel ?? (teacherLogits ? undefined : str(kd.teacher_model));
  if (method === 'kd' && !teacherModel && !teacherLogits) {
    throw new UserError('Knowledge distillation needs --teacher-model DIR (a local teacher with the same tokenizer) or --teacher-logits DIR (from "python -m distillery_worker teacher-logits").', 'no_teacher');
  }
  const logitsProblem = teacherLogits ? teacherLogitsProblem(teacherLogits) : null;
  if (logitsProblem) throw new UserError(logitsProblem, 'no_teacher_logits');
  const notes: string[] = [];
  let { gpus, gpuMemoryGib } = f;
  let env: PythonEnv | null = null;
  if (gpus === undefined || gpuMemoryGib === undefined) {
    env = await checkPythonEnv();
    if (env.gpus.length > 0) {
      gpuMemoryGib ??= Math.min(...env.gpus.map((g) => g.memory_gib));
      gpus ??= env.gpus.length;
    } else if (gpuMemoryGib === undefined) {
      gpuMemoryGib = 80;
      notes.push('no GPU found here; planning for 80 GiB GPUs (use --gpu-memory-gib to plan for others).');
    }
  }
  const lora = (fields.lora && typeof fields.lora === 'object' ? fields.lora : {}) as { r?: unknown };
  const distributed = f.distributed ?? (str(fields.distributed) as Distributed | undefined);
  const recipe: RecipeInput = {
    preset,
    base: path.resolve(f.base),
    dataset: path.resolve(f.dataset),
    method,
    learningRate: num(fields.learning_rate) ?? p.learningRate,
    epochs: f.epochs ?? num(fields.num_train_epochs) ?? p.epochs,
    batchSize: num(fields.batch_size) ?? p.batchSize,
    maxLength: f.maxLength ?? num(fields.max_length) ?? p.maxLength,
    microBatch: f.microBatch ?? num(fields.micro_batch_size) ?? p.microBatch,
    gpus: gpus ?? 1,
    gpuMemoryGib: gpuMemoryGib ?? 80,
    gradientCheckpointing: typeof fields.gradient_checkpointing === 'boolean' ? fields.gradient_checkpointing : p.gradientCheckpointing,
    ...((f.maxSteps ?? num(fields.max_steps)) !== undefined && (f.maxSteps ?? num(fields.max_steps) ?? -1) > 0 ? { maxSteps: f.maxSteps ?? num(fields.max_steps) } : {}),
    ...(num(fields.save_steps) ? { saveSteps: num(fields.save_steps) } : {}),
    ...(num(lora.r) ? { loraRank: num(lora.r) } : {}),
    ...(teacherModel ? { teacherModel: path.resolve(teacherModel) } : {}),
    ...(teacherLogits ? { teacherLogits: path.resolve(teacherLogits) } : {}),
    ...(distributed ? { distributed } : {}),
    ...(fields.packing === true ? { packing: true } : {}),
    ...(fields.padding_free === true ? { paddingFree: true } : {}),
  };
  const options: RunOptions = {
    ...((f.nodes ?? 1) > 1 ? { nodes: f.nodes, ...(f.mainIp ? { mainIp: f.mainIp } : {}), ...(f.mainPort ? { mainPort: f.mainPort } : {}) } : {}),
    ...(Object.keys(fields).length ? { extra: fields } : {}),
  };
  return { request: { recipe, options }, env, notes };
}

/** One line when the worker will run on the CPU: it does so in fp32 (distillery_worker.config.pick_dtype). */
export function deviceNote(env: PythonEnv | null, v: Pick<Verdict, 'gpus' | 'gpuMemoryGib'>): string | null {
  if (!env?.ok || env.cuda_available) return null;
  return `no GPU here: the memory plan is for ${v.gpus} × ${v.gpuMemoryGib} GiB GPU${v.gpus > 1 ? 's' : ''}; this run trains on the CPU in fp32 (slow: fine for tiny models and tests).`;
}

/**
 * `--dry-run`: the plan and the commands a run would use, from the same verdict as the Train view. Nothing is
 * written, so the run folder is the placeholder `<run>` and no command is offered for pasting.
 */
export async function planOnly(projectDir: string, req: TrainRequest) {
  const configPath = path.join(path.resolve(projectDir), 'artifacts', 'runs', '<run>', 'config.json');
  const verdict = await verdictFor(req.recipe, configPath, req.options);
  const nodes = req.options.nodes ?? 1;
  const launch = nodes > 1 ? launchFor(req.recipe, configPath, '<run>', req.options) : null;
  return {
    fits: verdict.fits, per_gpu_gib: verdict.per_gpu_gib, breakdown: verdict.breakdown, suggestion: verdict.suggestion, command: verdict.command,
    ...(launch ? { node_commands: launch.nodes.map((n) => n.command), sbatch: launch.sbatch } : {}),
    batch: verdict.batch, blocked: verdict.blocked, gpus: verdict.gpus, gpuMemoryGib: verdict.gpuMemoryGib,
  };
}

/** Keys sorted, so that the same request compares equal whatever order its fields were written in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** The latest run of this very request (recipe and options) that was stopped before it finished, if any. */
export function findResumable(project: Project, req: TrainRequest): RunRow | undefined {
  const wanted = canonical({ recipe: req.recipe, options: req.options });
  return listRuns(project.db).find((run) => {
    if (run.status === 'done' || run.status === 'cancelled' || run.job_id === null) return false;
    const plan = JSON.parse(run.plan) as { recipe?: unknown; options?: unknown };
    return canonical({ recipe: plan.recipe, options: plan.options ?? {} }) === wanted;
  });
}

/** Resumes the unfinished run of the same request, else creates and starts a new one. */
export async function startOrResume(project: Project, runner: JobRunner, req: TrainRequest): Promise<{ runId: string; jobId: number; resumed: boolean; verdict: Verdict | null }> {
  const previous = findResumable(project, req);
  if (previous) return { runId: previous.id, ...resumeRun(project, runner, previous.id), resumed: true, verdict: null };
  const started = await startRun(project, runner, req.recipe, req.options);
  return { ...started, resumed: false };
}

/** Several nodes: the run folder with per-node configs and launch.sbatch, submitted where sbatch is on PATH. */
export async function submitRun(project: Project, req: TrainRequest) {
  const { runId, dir, verdict, launch } = await createRun(project, req.recipe, req.options);
  const script = launch.sbatch ?? path.join(dir, 'launch.sbatch');
  const r = await submitSbatch(script, { cwd: dir });
  const nodeCommands = launch.nodes.map((n) => ({ rank: n.rank, command: n.command }));
  if (!r.submitted) return { runId, dir, verdict, script, submitted: false as const, reason: r.reason, command: r.command, nodeCommands };
  const slurm = { job_id: r.jobId, script, submitted_at: new Date().toISOString(), output: path.join(dir, `slurm-${r.jobId}.out`) };
  fs.writeFileSync(path.join(dir, 'slurm.json'), `${JSON.stringify(slurm, null, 2)}\n`, { mode: 0o600 });
  const run = getRun(project.db, runId);
  const plan = { ...(JSON.parse(run?.plan ?? '{}') as Record<string, unknown>), slurm };
  fs.writeFileSync(path.join(dir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`, { mode: 0o600 });
  updateRun(project.db, runId, { plan: JSON.stringify(plan) });
  return { runId, dir, verdict, script, submitted: true as const, jobId: r.jobId, output: slurm.output, nodeCommands };
}

function readEvents(file: string): TrainEvent[] {
  const events: TrainEvent[] = [];
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return events; // no output yet (pending)
  }
  for (const line of text.split('\n')) {
    try {
      const e = JSON.parse(line) as TrainEvent;
      if (e && typeof e.event === 'string') events.push(e);
    } catch {
      // not an event line
    }
  }
  return events;
}

/** `--status RUN`: the Slurm job's state (squeue, then sacct) and the last events of its output. */
export async function slurmRunStatus(projectDir: string, runId: string) {
  if (!/^[\w.-]+$/.test(runId)) throw new UserError(`--status needs a run id such as run-20250101-120000-abcd, not "${runId}".`, 'bad_run_id');
  const runDir = path.join(path.resolve(projectDir), 'artifacts', 'runs', runId);
  const file = path.join(runDir, 'slurm.json');
  if (!fs.existsSync(file)) throw new UserError(`${runDir} has no slurm.json; only runs submitted to Slurm have a status here.`, 'not_slurm');
  const slurm = JSON.parse(fs.readFileSync(file, 'utf8')) as { job_id: number; output: string };
  const status = await slurmStatus(slurm.job_id);
  const last = readEvents(slurm.output).filter((e) => e.event !== 'log').slice(-5);
  return { run: runId, slurm_job_id: slurm.job_id, state: status.state, source: status.source, note: status.note, last_events: last };
}

/**
 * Follows a run's job in this process: every event the job stores (train_events) is handed to `onEvent` in
 * order, as progress comes and once more when the job stops. Resolves with the job's final row.
 */
export async function followRun(project: Project, runner: JobRunner, runId: string, jobId: number, onEvent: (e: TrainEvent) => void): Promise<JobRow> {
  let seq = runEvents(project.db, runId).at(-1)?.seq ?? 0;
  const flush = () => {
    for (const row of runEvents(project.db, runId, seq)) {
      seq = row.seq;
      onEvent(JSON.parse(row.event) as TrainEvent);
    }
  };
  const off = runner.onProgress((p) => {
    if (p.jobId === jobId) flush();
  });
  try {
    return await runner.wait(jobId);
  } finally {
    off();
    flush();
  }
}

import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkPythonEnv, pythonExecutable } from '../../core/env/python';
import { startWorker, type TrainEvent } from '../../core/train/launch';
import { deepspeedRefusal, launchFiles, writeLaunchFiles } from '../../core/train/launchfiles';
import { slurmStatus, submitSbatch } from '../../core/train/multinode';
import { modelConfigFrom, plan, type Method, type ModelConfig } from '../../core/train/planner';
import { DISTRIBUTED, RECIPE_DEFAULTS, RECIPES, type Distributed, type RecipeName, type RunConfig } from '../../core/train/recipes';
import { appRoot } from '../../core/util/root';
import { shellLine, shellQuote } from '../../core/util/shell-quote';
import { intFlag, parse } from '../args';
import { UsageError, type CliIO } from '../io';

const USAGE =
  'train PROJECT --base DIR --dataset DIR [--recipe s1|lora|qlora|kd|FILE.json] [--gpus N] [--nodes N] [--distributed fsdp|deepspeed] ' +
  '[--main-ip HOST] [--main-port N] [--gpu-memory-gib X] [--max-length N] [--teacher-model DIR | --teacher-logits DIR] [--dry-run] [--json]' +
  ' | train PROJECT --status RUN';

function readModelConfig(dir: string, role: string): ModelConfig {
  const file = path.join(dir, 'config.json');
  if (!fs.existsSync(file)) throw new UsageError(`train: the ${role} folder ${dir} has no config.json; choose a Hugging Face model folder.`);
  try {
    return modelConfigFrom(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    throw new UsageError(`train: ${file}: ${(e as Error).message}`);
  }
}

function loadRecipe(recipe: string): { preset?: RecipeName; overrides: Record<string, unknown> } {
  if ((RECIPES as readonly string[]).includes(recipe)) return { preset: recipe as RecipeName, overrides: {} };
  if (!recipe.endsWith('.json')) throw new UsageError(`train: --recipe must be one of ${RECIPES.join(', ')} or a .json file, not "${recipe}".`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(recipe, 'utf8'));
  } catch (e) {
    throw new UsageError(`train: cannot read the recipe ${recipe}: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`train: the recipe ${recipe} must be a JSON object of run-config fields.`);
  const o = parsed as Record<string, unknown>;
  const preset = typeof o.preset === 'string' && (RECIPES as readonly string[]).includes(o.preset) ? (o.preset as RecipeName) : undefined;
  return { preset, overrides: o };
}

function runId(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `run-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}-${randomBytes(2).toString('hex')}`;
}

function fmt(x: unknown, digits = 4): string {
  return typeof x === 'number' ? (Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(2) : x.toFixed(digits)) : '-';
}

function describe(e: TrainEvent): string | null {
  switch (e.event) {
    case 'start':
      return `Training ${String(e.method)} on ${String(e.device)} (${String(e.dtype)}), ${String(e.train_examples)} examples, output ${String(e.output_dir)}`;
    case 'step':
      return `step ${String(e.step)}/${String(e.max_steps)}  epoch ${fmt(e.epoch, 2)}  loss ${fmt(e.loss)}  lr ${fmt(e.learning_rate)}  grad ${fmt(e.grad_norm, 3)}  ${fmt(e.tokens_per_sec, 0)} tok/s${typeof e.mfu === 'number' ? `  MFU ${(e.mfu * 100).toFixed(1)}%` : ''}`;
    case 'note':
      return `note: ${String(e.message)}`;
    case 'eval':
      return `eval loss ${fmt(e.eval_loss)} at step ${String(e.step)}`;
    case 'checkpoint':
      return `checkpoint saved: ${String(e.path)}`;
    case 'done':
      return `Done: the trained model is in ${String(e.output_dir)}`;
    case 'stopped':
      return `Stopped at step ${String(e.step)}; resume with the same config and "resume": true.`;
    case 'error':
      return `Training failed (${String(e.cause)}): ${String(e.message)}`;
    default:
      return null;
  }
}

export async function runTrain(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    'train',
    args,
    {
      base: { type: 'string' },
      dataset: { type: 'string' },
      recipe: { type: 'string' },
      gpus: { type: 'string' },
      nodes: { type: 'string' },
      'gpu-memory-gib': { type: 'string' },
      'max-length': { type: 'string' },
      'micro-batch': { type: 'string' },
      'max-steps': { type: 'string' },
      'teacher-model': { type: 'string' },
      'teacher-logits': { type: 'string' },
      distributed: { type: 'string' },
      'main-ip': { type: 'string' },
      'main-port': { type: 'string' },
      status: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    ['PROJECT'],
  );
  const project = path.resolve(positionals[0] ?? '.');
  if (values.status !== undefined) return showStatus(project, values.status as string, Boolean(values.json), io);
  const base = values.base as string | undefined;
  const dataset = values.dataset as string | undefined;
  if (!base) throw new UsageError(`train: --base DIR is required (usage: distillery ${USAGE}).`);
  if (!dataset) throw new UsageError(`train: --dataset DIR is required (usage: distillery ${USAGE}).`);
  const baseDir = path.resolve(base);
  const datasetPath = path.resolve(dataset);
  const dryRun = Boolean(values['dry-run']);
  const json = Boolean(values.json);

  const { preset, overrides } = loadRecipe((values.recipe as string | undefined) ?? 's1');
  const defaults = RECIPE_DEFAULTS[preset ?? 's1'];
  const method = ((overrides.method as Method | undefined) ?? defaults.method) as Method;
  const nodes = intFlag('train', 'nodes', values.nodes as string | undefined, 1, 1024) ?? 1;
  let gpus = intFlag('train', 'gpus', values.gpus as string | undefined, 1, 64);
  const maxLength = intFlag('train', 'max-length', values['max-length'] as string | undefined, 16, 1_048_576) ?? (overrides.max_length as number | undefined) ?? defaults.max_length;
  const microBatch = intFlag('train', 'micro-batch', values['micro-batch'] as string | undefined, 1, 4096) ?? (overrides.micro_batch_size as number | undefined) ?? defaults.micro_batch_size;
  const maxSteps = intFlag('train', 'max-steps', values['max-steps'] as string | undefined, 1, 100_000_000);
  const gc = (overrides.gradient_checkpointing as boolean | undefined) ?? defaults.gradient_checkpointing;
  const kdOver = (overrides.kd as { teacher_model?: string; teacher_logits?: string } | undefined) ?? {};
  const teacherLogits = (values['teacher-logits'] as string | undefined) ?? kdOver.teacher_logits;
  const teacher = (values['teacher-model'] as string | undefined) ?? (teacherLogits ? undefined : kdOver.teacher_model);
  if (method === 'kd' && !teacher && !teacherLogits) {
    throw new UsageError('train: knowledge distillation needs --teacher-model DIR (a local teacher with the same tokenizer) or --teacher-logits DIR (from "python -m distillery_worker teacher-logits").');
  }
  if (teacherLogits && !fs.existsSync(path.join(teacherLogits, 'index.json'))) {
    throw new UsageError(`train: ${path.resolve(teacherLogits)} has no index.json; compute the teacher logits first with "python -m distillery_worker teacher-logits --teacher DIR --dataset DIR --top-k 64 --out DIR".`);
  }
  const distributed = ((values.distributed as string | undefined) ?? (overrides.distributed as string | undefined) ?? 'fsdp') as Distributed;
  if (!DISTRIBUTED.includes(distributed)) throw new UsageError(`train: --distributed must be ${DISTRIBUTED.join(' or ')}, not "${String(distributed)}".`);
  const mainPort = intFlag('train', 'main-port', values['main-port'] as string | undefined, 1, 65535);

  let gpuMemoryGib: number | undefined;
  const memFlag = values['gpu-memory-gib'] as string | undefined;
  if (memFlag !== undefined) {
    gpuMemoryGib = Number(memFlag);
    if (!Number.isFinite(gpuMemoryGib) || gpuMemoryGib <= 0 || gpuMemoryGib > 4096) throw new UsageError(`train: --gpu-memory-gib must be a positive number of GiB, not "${memFlag}".`);
  }
  if (gpuMemoryGib === undefined || gpus === undefined) {
    const env = await checkPythonEnv();
    if (env.gpus.length > 0) {
      gpuMemoryGib ??= Math.min(...env.gpus.map((g) => g.memory_gib));
      gpus ??= env.gpus.length;
    } else {
      gpuMemoryGib ??= 80;
      if (memFlag === undefined) io.stderr('train: no GPU found here; planning for 80 GiB GPUs (use --gpu-memory-gib to plan for others).');
    }
  }
  gpus ??= 1;
  const world = gpus * nodes;

  const config = readModelConfig(baseDir, 'base model');
  const topK = teacherLogits ? readTopK(teacherLogits) : undefined;
  const teacherConfig = method === 'kd' && teacher && fs.existsSync(path.join(teacher, 'config.json')) ? readModelConfig(path.resolve(teacher), 'teacher model') : undefined;
  const verdict = plan({
    config, method, seqLength: maxLength, microBatch, gpus: world, gpuMemoryGib, gradientCheckpointing: gc,
    sharding: world > 1 ? (distributed === 'deepspeed' ? 'zero3' : 'fsdp') : 'none', loraRank: (overrides.lora as { r?: number } | undefined)?.r,
    teacherConfig, teacherTopK: topK,
  });

  const id = runId();
  const runDir = path.join(project, 'artifacts', 'runs', id);
  const configPath = path.join(runDir, 'config.json');
  const python = pythonExecutable();
  const launch = launchFiles({
    runId: id, runDir, cwd: appRoot(), python, configPath, outputDir: path.join(runDir, 'output'), gpus, nodes, distributed,
    mainIp: values['main-ip'] as string | undefined, mainPort,
  });
  const command = launch.command;

  if (dryRun) {
    if (distributed === 'deepspeed' && world > 1) {
      const refusal = deepspeedRefusal(await checkPythonEnv(), distributed, world);
      if (refusal) io.stderr(`train: note: ${refusal}`);
    }
    // *_line: the same commands as one shell-quoted line each, safe to paste whatever the project path holds
    const out = {
      fits: verdict.fits, per_gpu_gib: verdict.per_gpu_gib, breakdown: verdict.breakdown, suggestion: verdict.suggestion, command,
      command_line: shellLine(command),
      ...(nodes > 1
        ? { node_commands: launch.nodes.map((n) => n.command), node_command_lines: launch.nodes.map((n) => shellLine(n.command)), submit_command_line: shellLine(['sbatch', launch.sbatch ?? '']) }
        : {}),
    };
    if (json) io.stdout(JSON.stringify(out));
    else io.stdout(JSON.stringify(out, null, 2));
    return 0;
  }

  if (!fs.existsSync(path.join(project, 'project.sqlite')) && !fs.existsSync(path.join(project, 'artifacts'))) {
    throw new UsageError(`train: ${project} is not a Distillery project (no project.sqlite); create one with "distillery project create DIR".`);
  }
  if (!fs.existsSync(datasetPath)) throw new UsageError(`train: the dataset ${datasetPath} does not exist; export one from the Review view.`);
  if (!fs.existsSync(python)) throw new UsageError(`train: no Python environment at ${python}; run "npm run setup:python" first.`);
  if (distributed === 'deepspeed' && world > 1) {
    const refusal = deepspeedRefusal(await checkPythonEnv(), distributed, world);
    if (refusal) throw new UsageError(`train: ${refusal}`);
  }
  if (!verdict.fits) io.stderr(`train: warning: the planner estimates ${verdict.per_gpu_gib} GiB per GPU, more than ${gpuMemoryGib} GiB. ${verdict.suggestion ?? ''}`);

  const runConfig: RunConfig = {
    ...overrides,
    ...(preset ? { preset } : {}),
    base_model: baseDir,
    dataset: datasetPath,
    output_dir: path.join(runDir, 'output'),
    method,
    max_length: maxLength,
    micro_batch_size: microBatch,
    gradient_checkpointing: gc,
    ...(maxSteps !== undefined ? { max_steps: maxSteps } : {}),
    ...(world > 1 ? { distributed, ...(distributed === 'fsdp' ? { fsdp: true } : {}) } : {}),
    ...(launch.deepspeedConfig ? { deepspeed_config: launch.deepspeedConfig } : {}),
    ...(method === 'kd'
      ? { kd: { ...kdOver, ...(teacherLogits ? { teacher_logits: path.resolve(teacherLogits), teacher_model: undefined } : { teacher_model: path.resolve(teacher ?? '') }) } }
      : {}),
  };
  fs.mkdirSync(runDir, { recursive: true });
  fs.writeFileSync(configPath, `${JSON.stringify(runConfig, null, 2)}\n`);
  writeLaunchFiles(launch);
  const planJson: Record<string, unknown> = { ...verdict, command, ...(nodes > 1 ? { node_commands: launch.nodes.map((n) => n.command) } : {}) };
  fs.writeFileSync(path.join(runDir, 'plan.json'), `${JSON.stringify(planJson, null, 2)}\n`);
  if (nodes > 1) return submitNodes(id, runDir, launch, planJson, json, io);

  let failed: TrainEvent | undefined;
  const worker = startWorker(command, {
    cwd: appRoot(),
    logFile: path.join(runDir, 'worker.log'),
    onEvent: (e) => {
      fs.appendFileSync(path.join(runDir, 'events.jsonl'), `${JSON.stringify(e)}\n`);
      if (e.event === 'error') failed = e;
      if (json) io.stdout(JSON.stringify(e));
      else {
        const line = describe(e);
        if (line) io.stdout(line);
      }
    },
  });
  if (!json) io.stderr(`train: run ${id} started (pid ${worker.pid}); logs in ${path.join(runDir, 'worker.log')}`);
  const onSignal = () => {
    io.stderr('train: stopping (saving a checkpoint)…');
    void worker.cancel();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const code = await worker.done;
    if (failed) return 1;
    return code === 0 ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function readTopK(dir: string): number | undefined {
  try {
    const k = (JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as { top_k?: unknown }).top_k;
    return typeof k === 'number' ? k : undefined;
  } catch {
    return undefined;
  }
}

/** Several nodes: submit launch.sbatch where sbatch is on PATH (job id kept in slurm.json), else print what to run. */
async function submitNodes(id: string, runDir: string, launch: ReturnType<typeof launchFiles>, planJson: Record<string, unknown>, json: boolean, io: CliIO): Promise<number> {
  const script = launch.sbatch ?? path.join(runDir, 'launch.sbatch');
  const r = await submitSbatch(script, { cwd: runDir });
  if (r.submitted) {
    const slurm = { job_id: r.jobId, script, submitted_at: new Date().toISOString(), output: path.join(runDir, `slurm-${r.jobId}.out`) };
    fs.writeFileSync(path.join(runDir, 'slurm.json'), `${JSON.stringify(slurm, null, 2)}\n`);
    fs.writeFileSync(path.join(runDir, 'plan.json'), `${JSON.stringify({ ...planJson, slurm }, null, 2)}\n`);
    if (json) io.stdout(JSON.stringify({ run: id, submitted: true, slurm_job_id: r.jobId, script, output: slurm.output }));
    else io.stdout(`Submitted to Slurm as job ${r.jobId} (run ${id}). Events go to ${slurm.output}; check it with "distillery train ${shellQuote(path.dirname(path.dirname(path.dirname(runDir))))} --status ${id}".`);
    return 0;
  }
  const perNode = launch.nodes.map((n) => ({ rank: n.rank, command: n.command }));
  if (json) io.stdout(JSON.stringify({ run: id, submitted: false, reason: r.reason, submit_command: r.command, script, node_commands: perNode }));
  else {
    io.stdout(`${r.reason}`);
    io.stdout('Or start it without Slurm: run on each node, from the Distillery folder, with the run folder on a shared filesystem:');
    for (const n of perNode) io.stdout(`  node ${n.rank}: ${shellLine(n.command)}`);
  }
  return 0;
}

/** `--status RUN`: the Slurm job's state (squeue, then sacct) and the last events of its output. */
async function showStatus(project: string, id: string, json: boolean, io: CliIO): Promise<number> {
  if (!/^[\w.-]+$/.test(id)) throw new UsageError(`train: --status needs a run id such as run-20250101-120000-abcd, not "${id}".`);
  const runDir = path.join(project, 'artifacts', 'runs', id);
  const file = path.join(runDir, 'slurm.json');
  if (!fs.existsSync(file)) throw new UsageError(`train: ${runDir} has no slurm.json; only runs submitted to Slurm have a status here.`);
  const slurm = JSON.parse(fs.readFileSync(file, 'utf8')) as { job_id: number; output: string };
  const status = await slurmStatus(slurm.job_id);
  const events: TrainEvent[] = [];
  try {
    for (const line of fs.readFileSync(slurm.output, 'utf8').split('\n')) {
      try {
        const e = JSON.parse(line) as TrainEvent;
        if (e && typeof e.event === 'string') events.push(e);
      } catch {
        // not an event line
      }
    }
  } catch {
    // no output yet (pending)
  }
  const last = events.filter((e) => e.event !== 'log').slice(-5);
  if (json) io.stdout(JSON.stringify({ run: id, slurm_job_id: slurm.job_id, state: status.state, source: status.source, note: status.note, last_events: last }));
  else {
    io.stdout(`Slurm job ${slurm.job_id}: ${status.state ?? 'unknown'}${status.source ? ` (${status.source})` : ''}${status.note ? ` — ${status.note}` : ''}`);
    for (const e of last) io.stdout(describe(e) ?? JSON.stringify(e));
  }
  return 0;
}

import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkPythonEnv, pythonExecutable } from '../../core/env/python';
import { startWorker, type TrainEvent } from '../../core/train/launch';
import { modelConfigFrom, plan, type Method, type ModelConfig } from '../../core/train/planner';
import { fsdpAccelerateYaml, RECIPE_DEFAULTS, RECIPES, workerCommand, type RecipeName, type RunConfig } from '../../core/train/recipes';
import { appRoot } from '../../core/util/root';
import { intFlag, parse } from '../args';
import { UsageError, type CliIO } from '../io';

const USAGE = 'train PROJECT --base DIR --dataset DIR [--recipe s1|lora|qlora|kd|FILE.json] [--gpus N] [--nodes N] [--gpu-memory-gib X] [--max-length N] [--teacher-model DIR] [--dry-run] [--json]';

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
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    ['PROJECT'],
  );
  const project = path.resolve(positionals[0] ?? '.');
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
  const teacher = (values['teacher-model'] as string | undefined) ?? ((overrides.kd as { teacher_model?: string } | undefined)?.teacher_model);
  if (method === 'kd' && !teacher) throw new UsageError('train: knowledge distillation needs --teacher-model DIR (a local teacher with the same tokenizer).');

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
  const teacherConfig = method === 'kd' && teacher && fs.existsSync(path.join(teacher, 'config.json')) ? readModelConfig(path.resolve(teacher), 'teacher model') : undefined;
  const verdict = plan({
    config, method, seqLength: maxLength, microBatch, gpus: world, gpuMemoryGib, gradientCheckpointing: gc,
    sharding: world > 1 ? 'fsdp' : 'none', loraRank: (overrides.lora as { r?: number } | undefined)?.r, teacherConfig,
  });

  const id = runId();
  const runDir = path.join(project, 'artifacts', 'runs', id);
  const configPath = path.join(runDir, 'config.json');
  const accelerateConfig = path.join(runDir, 'fsdp.yaml');
  const python = pythonExecutable();
  const command = workerCommand({ python, configPath, gpus, nodes, accelerateConfig });

  if (dryRun) {
    const out = { fits: verdict.fits, per_gpu_gib: verdict.per_gpu_gib, breakdown: verdict.breakdown, suggestion: verdict.suggestion, command };
    if (json) io.stdout(JSON.stringify(out));
    else io.stdout(JSON.stringify(out, null, 2));
    return 0;
  }

  if (!fs.existsSync(path.join(project, 'project.sqlite')) && !fs.existsSync(path.join(project, 'artifacts'))) {
    throw new UsageError(`train: ${project} is not a Distillery project (no project.sqlite); create one with "distillery project create DIR".`);
  }
  if (!fs.existsSync(datasetPath)) throw new UsageError(`train: the dataset ${datasetPath} does not exist; export one from the Review view.`);
  if (!fs.existsSync(python)) throw new UsageError(`train: no Python environment at ${python}; run "npm run setup:python" first.`);
  if (nodes > 1) throw new UsageError('train: this version launches on one node; for several, plan with --dry-run and run the printed command on each node.');
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
    ...(world > 1 ? { fsdp: true } : {}),
    ...(method === 'kd' && teacher ? { kd: { ...((overrides.kd as object | undefined) ?? {}), teacher_model: path.resolve(teacher) } } : {}),
  };
  fs.mkdirSync(runDir, { recursive: true });
  fs.writeFileSync(configPath, `${JSON.stringify(runConfig, null, 2)}\n`);
  if (world > 1) fs.writeFileSync(accelerateConfig, fsdpAccelerateYaml(world, nodes));
  fs.writeFileSync(path.join(runDir, 'plan.json'), `${JSON.stringify({ ...verdict, command }, null, 2)}\n`);

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

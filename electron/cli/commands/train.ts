import path from 'node:path';
import { checkPythonEnv } from '../../core/env/python';
import type { JobRunner } from '../../core/jobs';
import type { Project } from '../../core/store/project';
import { trainedModelSentence } from '../../core/models/service';
import { runDetail } from '../../core/train/api';
import type { TrainEvent } from '../../core/train/launch';
import { DISTRIBUTED, type Distributed } from '../../core/train/recipes';
import { batchSentence, resumeRun } from '../../core/train/runs';
import { deviceNote, followRun, planOnly, slurmRunStatus, startOrResume, submitRun, trainRequest } from '../../core/train/service';
import { shellLine, shellQuote } from '../../core/util/shell-quote';
import { intFlag, parse } from '../args';
import { openCliEngine } from '../engine';
import { UsageError, type CliIO } from '../io';
import { resolveTeacherLogits } from '../../core/train/captured';

const USAGE =
  'train PROJECT --base DIR --dataset DIR [--recipe s1|lora|qlora|kd|FILE.json] [--epochs N] [--gpus N] [--nodes N] [--distributed fsdp|deepspeed] ' +
  '[--main-ip HOST] [--main-port N] [--gpu-memory-gib X] [--max-length N] [--teacher-model DIR | --teacher-logits DIR|captured] [--dry-run] [--json]' +
  ' | train PROJECT --resume RUN | train PROJECT --status RUN';

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
      return trainedModelSentence(String(e.output_dir));
    case 'stopped':
      return `Stopped at step ${String(e.step)}.`;
    case 'error':
      return `Training failed (${String(e.cause)}): ${String(e.message)}`;
    default:
      return null;
  }
}

/**
 * `distillery train`: the Train view's services (core/train/runs.ts, service.ts) behind flags. A run is the
 * durable `train` job of the project, so it is the same record the Train view lists; Ctrl-C pauses it and
 * `--resume RUN` (or the same command again) continues from its last checkpoint.
 */
export async function runTrain(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    'train',
    args,
    {
      base: { type: 'string' },
      dataset: { type: 'string' },
      recipe: { type: 'string' },
      epochs: { type: 'string' },
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
      resume: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    ['PROJECT'],
  );
  const project = path.resolve(positionals[0] ?? '.');
  const json = Boolean(values.json);
  if (values.status !== undefined) return showStatus(project, values.status, json, io);
  if (values.resume !== undefined) {
    const id = values.resume;
    if (!/^[\w.-]+$/.test(id)) throw new UsageError(`train: --resume needs a run id such as run-20250101-120000-abcd, not "${id}".`);
    const { engine, project: p, runner } = await openCliEngine(project);
    try {
      const { jobId } = resumeRun(p, runner, id);
      if (!json) io.stderr(`train: resuming run ${id} (job ${jobId}) from its last checkpoint.`);
      return await follow(p, runner, id, jobId, json, io);
    } finally {
      await engine.close();
    }
  }
  const base = values.base;
  const dataset = values.dataset;
  if (!base) throw new UsageError(`train: --base DIR is required (usage: distillery ${USAGE}).`);
  if (!dataset) throw new UsageError(`train: --dataset DIR is required (usage: distillery ${USAGE}).`);
  const distributed = values.distributed;
  if (distributed !== undefined && !DISTRIBUTED.includes(distributed as Distributed)) throw new UsageError(`train: --distributed must be ${DISTRIBUTED.join(' or ')}, not "${distributed}".`);
  let gpuMemoryGib: number | undefined;
  const memFlag = values['gpu-memory-gib'];
  if (memFlag !== undefined) {
    gpuMemoryGib = Number(memFlag);
    if (!Number.isFinite(gpuMemoryGib) || gpuMemoryGib <= 0 || gpuMemoryGib > 4096) throw new UsageError(`train: --gpu-memory-gib must be a positive number of GiB, not "${memFlag}".`);
  }
  const nodes = intFlag('train', 'nodes', values.nodes, 1, 1024) ?? 1;
  const { request, env, notes } = await trainRequest({
    base, dataset, recipe: (values.recipe) ?? 's1', gpuMemoryGib, nodes,
    gpus: intFlag('train', 'gpus', values.gpus, 1, 64),
    epochs: intFlag('train', 'epochs', values.epochs, 1, 10_000),
    maxLength: intFlag('train', 'max-length', values['max-length'], 16, 1_048_576),
    microBatch: intFlag('train', 'micro-batch', values['micro-batch'], 1, 4096),
    maxSteps: intFlag('train', 'max-steps', values['max-steps'], 1, 100_000_000),
    teacherModel: values['teacher-model'],
    teacherLogits: resolveTeacherLogits(values['teacher-logits'], project),
    distributed: distributed as Distributed | undefined,
    mainIp: values['main-ip'],
    mainPort: intFlag('train', 'main-port', values['main-port'], 1, 65535),
  });
  for (const n of notes) io.stderr(`train: ${n}`);

  if (values['dry-run']) {
    const plan = await planOnly(project, request);
    if (plan.blocked) io.stderr(`train: note: ${plan.blocked}`); // the plan may be for another machine
    const few = batchSentence(plan.batch);
    if (few) io.stderr(`train: note: ${few}`);
    const { blocked: _b, gpus: _g, gpuMemoryGib: _m, ...out } = plan;
    io.stdout(json ? JSON.stringify(out) : JSON.stringify(out, null, 2));
    return 0;
  }

  const { engine, project: p, runner } = await openCliEngine(project);
  try {
    if (nodes > 1) return await submitNodes(p, request, json, io);
    const cpu = deviceNote(env ?? (await checkPythonEnv()), request.recipe);
    if (cpu) io.stderr(`train: ${cpu}`);
    const r = await startOrResume(p, runner, request);
    if (r.verdict && !r.verdict.fits) io.stderr(`train: warning: the planner estimates ${r.verdict.per_gpu_gib} GiB per GPU, more than ${r.verdict.gpuMemoryGib} GiB. ${r.verdict.suggestion ?? ''}`);
    const few = batchSentence(r.verdict?.batch ?? null);
    if (few) io.stderr(`train: warning: ${few}`);
    const where = path.join(p.dir, 'artifacts', 'runs', r.runId);
    io.stderr(r.resumed ? `train: resuming run ${r.runId} (job ${r.jobId}), stopped earlier with the same settings; logs in ${path.join(where, 'worker.log')}` : `train: run ${r.runId} started (job ${r.jobId}); logs in ${path.join(where, 'worker.log')}`);
    return await follow(p, runner, r.runId, r.jobId, json, io);
  } finally {
    await engine.close();
  }
}

/** Waits for the run's job: events on stderr as they come, the result on stdout; Ctrl-C pauses it. */
async function follow(project: Project, runner: JobRunner, runId: string, jobId: number, json: boolean, io: CliIO): Promise<number> {
  const resumeLine = `distillery train ${shellQuote(project.dir)} --resume ${runId}`;
  let stops = 0;
  const onSignal = () => {
    stops++;
    if (stops > 1) {
      io.stderr('train: quitting without waiting for the checkpoint; the run resumes from its previous one.');
      process.exit(130);
    }
    io.stderr(`train: pausing: the worker saves a checkpoint first (Ctrl-C again quits at once). Resume with: ${resumeLine}`);
    runner.pause(jobId);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let job;
  try {
    job = await followRun(project, runner, runId, jobId, (e) => {
      const line = describe(e);
      if (line) io.stderr(line);
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const d = runDetail(project, runner, runId);
  const result = {
    run: runId, job: jobId, status: d.run.status, job_status: job.status, step: d.run.step, max_steps: d.run.maxSteps, loss: d.run.loss,
    output_dir: d.run.config.output_dir, run_dir: d.path, error: d.run.error,
  };
  if (json) io.stdout(JSON.stringify(result));
  else if (d.run.status === 'done') io.stdout(`Run ${runId} done at step ${String(d.run.step)}: the trained model is in ${d.run.config.output_dir}`);
  else if (d.run.status === 'failed') io.stdout(`Run ${runId} failed: ${d.run.error ?? job.error ?? 'see worker.log'}`);
  else io.stdout(`Run ${runId} ${d.run.status} at step ${String(d.run.step ?? 0)}; resume with: ${resumeLine}`);
  if (d.run.status === 'done') return 0;
  return d.run.status === 'failed' ? 1 : 130;
}

/** Several nodes: submitted to Slurm where sbatch is on PATH (job id kept in slurm.json), else what to run. */
async function submitNodes(project: Project, request: Awaited<ReturnType<typeof trainRequest>>['request'], json: boolean, io: CliIO): Promise<number> {
  const r = await submitRun(project, request);
  if (!r.verdict.fits) io.stderr(`train: warning: the planner estimates ${r.verdict.per_gpu_gib} GiB per GPU, more than ${r.verdict.gpuMemoryGib} GiB. ${r.verdict.suggestion ?? ''}`);
  if (r.submitted) {
    if (json) io.stdout(JSON.stringify({ run: r.runId, submitted: true, slurm_job_id: r.jobId, script: r.script, output: r.output }));
    else io.stdout(`Submitted to Slurm as job ${r.jobId} (run ${r.runId}). Events go to ${r.output}; check it with "distillery train ${shellQuote(project.dir)} --status ${r.runId}".`);
    return 0;
  }
  if (json) io.stdout(JSON.stringify({ run: r.runId, submitted: false, reason: r.reason, submit_command: r.command, script: r.script, node_commands: r.nodeCommands }));
  else {
    io.stdout(r.reason);
    io.stdout('Or start it without Slurm: run on each node, from the Distillery folder, with the run folder on a shared filesystem:');
    for (const n of r.nodeCommands) io.stdout(`  node ${n.rank}: ${shellLine(n.command)}`);
  }
  return 0;
}

async function showStatus(project: string, id: string, json: boolean, io: CliIO): Promise<number> {
  const s = await slurmRunStatus(project, id);
  if (json) io.stdout(JSON.stringify(s));
  else {
    io.stdout(`Slurm job ${s.slurm_job_id}: ${s.state ?? 'unknown'}${s.source ? ` (${s.source})` : ''}${s.note ? ` — ${s.note}` : ''}`);
    for (const e of s.last_events) io.stdout(describe(e) ?? JSON.stringify(e));
  }
  return 0;
}

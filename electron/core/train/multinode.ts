/**
 * Several nodes: one accelerate config per node (its machine_rank, the main node's address and port) with the
 * command to run on it, and an sbatch script for Slurm (srun starts `accelerate launch` once per node with
 * $SLURM_NODEID as the rank and the first host of the allocation as the main node), submitted with `sbatch`
 * where it is on PATH. Every path is absolute: the nodes must share the filesystem (the usual cluster setup).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { UserError } from '../util/errors';
import { shellQuote } from '../util/shell-quote';
import { accelerateConfigName, accelerateExecutable, accelerateYaml, type Distributed } from './recipes';

export interface MultiNodeOptions {
  runDir: string;
  python: string;
  configPath: string;
  nodes: number;
  gpusPerNode: number;
  distributed: Distributed;
  mainIp: string;
  mainPort: number;
  deepspeedConfig?: string;
}

export interface NodePlan {
  rank: number;
  configFile: string;
  yaml: string;
  /** what to run on that node (from the app folder, where `-m distillery_worker` is importable) */
  command: string[];
}

export function nodePlans(o: MultiNodeOptions): NodePlan[] {
  const total = o.nodes * o.gpusPerNode;
  const out: NodePlan[] = [];
  for (let rank = 0; rank < o.nodes; rank++) {
    const configFile = path.join(o.runDir, accelerateConfigName(o.distributed, rank));
    const yaml = accelerateYaml({
      distributed: o.distributed, numProcesses: total, numMachines: o.nodes, machineRank: rank, mainIp: o.mainIp, mainPort: o.mainPort,
      deepspeedConfig: o.deepspeedConfig,
    });
    const command = [accelerateExecutable(o.python), 'launch', '--config_file', configFile, '-m', 'distillery_worker', 'train', '--config', o.configPath];
    out.push({ rank, configFile, yaml, command });
  }
  return out;
}

const sh = shellQuote;

/**
 * A file name for an #SBATCH line. sbatch splits these lines itself (src/sbatch/opt.c, _get_argument): spaces
 * separate, an unquoted # starts a comment, "…" or '…' group and a backslash escapes the next character, so the
 * name goes in double quotes with \ and " escaped. In --output/--error names % starts a pattern (%j), so a
 * literal % is %%. A line break cannot be carried at all. (A backslash left in the name turns sbatch's %j
 * patterns off; Linux paths with backslashes are rare enough to accept that.)
 */
export function sbatchFileName(dir: string, pattern: string): string {
  if (/[\r\n]/.test(dir)) {
    throw new UserError(`The run folder ${JSON.stringify(dir)} has a line break in its path, which an #SBATCH line cannot hold; move the project to a folder without one.`, 'bad_path');
  }
  const name = `${dir.replace(/%/g, '%%')}${path.sep}${pattern}`;
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(name) ? name : `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export interface SbatchOptions extends Omit<MultiNodeOptions, 'mainIp'> {
  runId: string;
  /** the folder to run from (the app root: `-m distillery_worker` resolves there) */
  cwd: string;
  outputDir: string;
  /** a config written for rank 0; srun overrides the rank and main address per node */
  accelerateConfig: string;
  cpusPerTask?: number;
  partition?: string;
  timeLimit?: string;
}

/** The sbatch script: one task per node, each running `accelerate launch` with that node's rank. */
export function sbatchScript(o: SbatchOptions): string {
  const total = o.nodes * o.gpusPerNode;
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=distillery-${o.runId}`,
    `#SBATCH --nodes=${o.nodes}`,
    '#SBATCH --ntasks-per-node=1',
    `#SBATCH --gpus-per-node=${o.gpusPerNode}`,
    `#SBATCH --cpus-per-task=${o.cpusPerTask ?? 8 * o.gpusPerNode}`,
    `#SBATCH --output=${sbatchFileName(o.runDir, 'slurm-%j.out')}`,
    `#SBATCH --error=${sbatchFileName(o.runDir, 'slurm-%j.err')}`,
    // SIGTERM to the tasks 5 minutes before the time limit: the worker saves a checkpoint and stops
    '#SBATCH --signal=TERM@300',
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    ...(o.timeLimit ? [`#SBATCH --time=${o.timeLimit}`] : []),
    '# Written by Distillery: JSON-lines training events go to slurm-<job>.out, logs to slurm-<job>.err.',
    'set -euo pipefail',
    `cd ${sh(o.cwd)}`,
    'export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 TOKENIZERS_PARALLELISM=false PYTHONUNBUFFERED=1',
    `export DISTILLERY_ACCELERATE=${sh(accelerateExecutable(o.python))}`,
    `export DISTILLERY_ACCELERATE_CONFIG=${sh(o.accelerateConfig)}`,
    `export DISTILLERY_RUN_CONFIG=${sh(o.configPath)}`,
    'export MAIN_ADDR="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)"',
    `export MAIN_PORT=${o.mainPort}`,
    // a requeued or resubmitted job continues from the last checkpoint
    `if compgen -G ${sh(path.join(o.outputDir, 'checkpoint-'))}* > /dev/null; then export DISTILLERY_RESUME=--resume; else export DISTILLERY_RESUME=; fi`,
    `srun --nodes=${o.nodes} --ntasks-per-node=1 --kill-on-bad-exit=1 bash -c 'exec "$DISTILLERY_ACCELERATE" launch \\`,
    '  --config_file "$DISTILLERY_ACCELERATE_CONFIG" \\',
    `  --num_machines ${o.nodes} --num_processes ${total} --machine_rank "$SLURM_NODEID" \\`,
    '  --main_process_ip "$MAIN_ADDR" --main_process_port "$MAIN_PORT" \\',
    `  -m distillery_worker train --config "$DISTILLERY_RUN_CONFIG" $DISTILLERY_RESUME'`,
    '',
  ];
  return lines.join('\n');
}

/** The absolute path of `cmd` on PATH, or null. */
export function onPath(cmd: string, pathEnv = process.env.PATH ?? ''): string | null {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, cmd);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** The job id from sbatch's "Submitted batch job N" (or `--parsable`'s "N[;cluster]"). */
export function parseSbatchJobId(stdout: string): number | null {
  const m = /Submitted batch job (\d+)/.exec(stdout) ?? /^\s*(\d+)(?:;\S+)?\s*$/m.exec(stdout);
  return m ? Number(m[1]) : null;
}

export type SubmitResult = { submitted: true; jobId: number; sbatch: string } | { submitted: false; reason: string; command: string[] };

/** Submits the script with `sbatch` when it is on PATH; otherwise says how to submit it by hand. */
export async function submitSbatch(script: string, opts: { cwd: string }): Promise<SubmitResult> {
  const sbatch = onPath('sbatch');
  const command = ['sbatch', script];
  if (!sbatch) {
    return { submitted: false, command, reason: `sbatch is not on PATH here, so the job was not submitted; on the cluster's login node run: sbatch ${shellQuote(script)}` };
  }
  const r = await execa(sbatch, [script], { cwd: opts.cwd, reject: false, timeout: 60_000 });
  const out = `${String(r.stdout)}\n${String(r.stderr)}`.trim();
  if (r.exitCode !== 0) return { submitted: false, command, reason: `sbatch refused the job (exit ${String(r.exitCode)}): ${out.split('\n').pop() ?? ''}` };
  const jobId = parseSbatchJobId(String(r.stdout));
  if (jobId === null) return { submitted: false, command, reason: `sbatch did not print a job id ("${out.slice(0, 200)}"); check squeue before submitting again.` };
  return { submitted: true, jobId, sbatch };
}

export interface SlurmStatus {
  jobId: number;
  /** Slurm's state (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, …) or null when unknown */
  state: string | null;
  source: 'squeue' | 'sacct' | null;
  note: string | null;
}

/** The job's state from squeue (while queued or running), else sacct (after it ended), where they are on PATH. */
export async function slurmStatus(jobId: number): Promise<SlurmStatus> {
  const squeue = onPath('squeue');
  if (squeue) {
    const r = await execa(squeue, ['-h', '-j', String(jobId), '-o', '%T'], { reject: false, timeout: 30_000 });
    const state = String(r.stdout).trim().split('\n')[0]?.trim();
    if (r.exitCode === 0 && state) return { jobId, state, source: 'squeue', note: null };
  }
  const sacct = onPath('sacct');
  if (sacct) {
    const r = await execa(sacct, ['-n', '-X', '-P', '-j', String(jobId), '-o', 'State'], { reject: false, timeout: 30_000 });
    const state = String(r.stdout).trim().split('\n')[0]?.trim().split(/\s+/)[0];
    if (r.exitCode === 0 && state) return { jobId, state, source: 'sacct', note: null };
  }
  const note = !squeue && !sacct ? 'Neither squeue nor sacct is on PATH here; check the job on the cluster.' : `Slurm no longer knows job ${jobId}.`;
  return { jobId, state: null, source: null, note };
}

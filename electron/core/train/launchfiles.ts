/**
 * The launcher files of a run folder and the command(s) that start the worker:
 * - one GPU: no file, `python -m distillery_worker train --config C`;
 * - several GPUs on one node: `fsdp.yaml` or `deepspeed.yaml` (+ `deepspeed.json`), `accelerate launch --config_file`;
 * - several nodes: one `<launcher>-node<R>.yaml` per node with its command, and `launch.sbatch` for Slurm.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PythonEnv } from '../env/python';
import { nodePlans, sbatchScript, type NodePlan } from './multinode';
import { accelerateConfigName, accelerateYaml, DEEPSPEED_JSON, deepspeedZero3Config, workerCommand, type Distributed } from './recipes';

export interface LaunchSpec {
  runId: string;
  runDir: string;
  /** the folder the worker runs from (the app root) */
  cwd: string;
  python: string;
  configPath: string;
  outputDir: string;
  gpus: number;
  nodes: number;
  distributed: Distributed;
  mainIp?: string;
  mainPort?: number;
}

export interface LaunchFiles {
  /** this node's command (rank 0 for several nodes) */
  command: string[];
  /** several nodes: every node's config and command */
  nodes: NodePlan[];
  /** several nodes: the Slurm script */
  sbatch: string | null;
  /** files to write: absolute path → content */
  files: Record<string, string>;
  /** the DeepSpeed JSON's path (distributed: deepspeed, several GPUs) */
  deepspeedConfig: string | null;
}

/** The address the other nodes reach this one at: the first non-internal IPv4, else the host name. */
export function defaultMainIp(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return os.hostname();
}

/** What to write and run; nothing is written here (a dry run prints the command and writes nothing). */
export function launchFiles(s: LaunchSpec): LaunchFiles {
  const world = s.gpus * s.nodes;
  const files: Record<string, string> = {};
  if (world <= 1) {
    return { command: workerCommand({ python: s.python, configPath: s.configPath, gpus: 1, nodes: 1, accelerateConfig: '' }), nodes: [], sbatch: null, files, deepspeedConfig: null };
  }
  let deepspeedConfig: string | null = null;
  if (s.distributed === 'deepspeed') {
    deepspeedConfig = path.join(s.runDir, DEEPSPEED_JSON);
    files[deepspeedConfig] = `${JSON.stringify(deepspeedZero3Config(), null, 2)}\n`;
  }
  if (s.nodes <= 1) {
    const cfg = path.join(s.runDir, accelerateConfigName(s.distributed));
    files[cfg] = accelerateYaml({ distributed: s.distributed, numProcesses: world, deepspeedConfig: deepspeedConfig ?? undefined });
    return { command: workerCommand({ python: s.python, configPath: s.configPath, gpus: s.gpus, nodes: 1, accelerateConfig: cfg }), nodes: [], sbatch: null, files, deepspeedConfig };
  }
  const mainPort = s.mainPort ?? 29500;
  const nodes = nodePlans({
    runDir: s.runDir, python: s.python, configPath: s.configPath, nodes: s.nodes, gpusPerNode: s.gpus, distributed: s.distributed,
    mainIp: s.mainIp ?? defaultMainIp(), mainPort, deepspeedConfig: deepspeedConfig ?? undefined,
  });
  for (const n of nodes) files[n.configFile] = n.yaml;
  const sbatch = path.join(s.runDir, 'launch.sbatch');
  files[sbatch] = sbatchScript({
    runId: s.runId, runDir: s.runDir, cwd: s.cwd, python: s.python, configPath: s.configPath, outputDir: s.outputDir, nodes: s.nodes,
    gpusPerNode: s.gpus, distributed: s.distributed, mainPort, deepspeedConfig: deepspeedConfig ?? undefined,
    accelerateConfig: nodes[0]?.configFile ?? '',
  });
  return { command: nodes[0]?.command ?? [], nodes, sbatch, files, deepspeedConfig };
}

export function writeLaunchFiles(l: LaunchFiles): void {
  for (const [file, content] of Object.entries(l.files)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, file.endsWith('.sbatch') ? { mode: 0o755 } : undefined);
  }
}

/** A sentence when DeepSpeed was asked for but the environment check found no deepspeed package; else null. */
export function deepspeedRefusal(env: PythonEnv, distributed: Distributed, world: number): string | null {
  if (distributed !== 'deepspeed' || world <= 1) return null;
  const version = (env as PythonEnv & { deepspeed?: string | null }).deepspeed;
  if (typeof version === 'string' && version) return null;
  const where = env.executable ?? 'the Python environment';
  return `DeepSpeed ZeRO-3 was chosen ("distributed": "deepspeed") but the environment check found no deepspeed package in ${where}; install it there (pip install deepspeed) or choose FSDP ("distributed": "fsdp").`;
}

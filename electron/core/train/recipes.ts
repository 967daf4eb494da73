/**
 * Recipes (mirrors the Python worker's presets in distillery_worker/train.py) and the run config
 * the engine writes for `python -m distillery_worker train --config RUN.json`.
 */
import path from 'node:path';
import type { Method } from './planner';

export type RecipeName = 's1' | 'lora' | 'qlora' | 'kd';
export const RECIPES: readonly RecipeName[] = ['s1', 'lora', 'qlora', 'kd'];

export interface RunConfig {
  preset?: RecipeName;
  base_model: string;
  dataset: string;
  output_dir: string;
  method: Method;
  max_length: number;
  micro_batch_size: number;
  gradient_checkpointing: boolean;
  fsdp?: boolean;
  resume?: boolean;
  kd?: { teacher_model: string; alpha?: number; temperature_start?: number; temperature_end?: number; schedule?: 'linear' | 'cosine' };
  lora?: { r?: number; alpha?: number; dropout?: number; target_modules?: string | string[] };
  [key: string]: unknown;
}

/** What the planner needs from a recipe (the worker fills in the rest from its preset). */
export const RECIPE_DEFAULTS: Record<RecipeName, { method: Method; max_length: number; micro_batch_size: number; gradient_checkpointing: boolean }> = {
  s1: { method: 'full', max_length: 32768, micro_batch_size: 1, gradient_checkpointing: true },
  lora: { method: 'lora', max_length: 4096, micro_batch_size: 1, gradient_checkpointing: true },
  qlora: { method: 'qlora', max_length: 4096, micro_batch_size: 1, gradient_checkpointing: true },
  kd: { method: 'kd', max_length: 8192, micro_batch_size: 1, gradient_checkpointing: true },
};

/** The accelerate config for FSDP (written next to the run config for multi-GPU runs). */
export function fsdpAccelerateYaml(numProcesses: number, numMachines = 1): string {
  return [
    'compute_environment: LOCAL_MACHINE',
    'distributed_type: FSDP',
    'mixed_precision: bf16',
    `num_machines: ${numMachines}`,
    `num_processes: ${numProcesses}`,
    'machine_rank: 0',
    'main_training_function: main',
    'rdzv_backend: static',
    'same_network: true',
    'use_cpu: false',
    'fsdp_config:',
    '  fsdp_version: 2',
    '  fsdp_auto_wrap_policy: TRANSFORMER_BASED_WRAP',
    '  fsdp_cpu_ram_efficient_loading: true',
    '  fsdp_offload_params: false',
    '  fsdp_reshard_after_forward: true',
    '  fsdp_state_dict_type: SHARDED_STATE_DICT',
    '  fsdp_activation_checkpointing: true',
    '',
  ].join('\n');
}

/** The exact argv that runs the worker: one process, or `accelerate launch` for several GPUs. */
export function workerCommand(opts: { python: string; configPath: string; gpus: number; nodes: number; accelerateConfig: string }): string[] {
  const total = opts.gpus * opts.nodes;
  if (total <= 1) return [opts.python, '-m', 'distillery_worker', 'train', '--config', opts.configPath];
  const accelerate = path.join(path.dirname(opts.python), process.platform === 'win32' ? 'accelerate.exe' : 'accelerate');
  const launch = [accelerate, 'launch', '--num_processes', String(total), '--config_file', opts.accelerateConfig];
  if (opts.nodes > 1) launch.push('--num_machines', String(opts.nodes), '--machine_rank', '0');
  return [...launch, '-m', 'distillery_worker', 'train', '--config', opts.configPath];
}

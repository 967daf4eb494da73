/**
 * Recipes (the worker's presets, read from the same presets.json as distillery_worker/config.py) and the run
 * config the engine writes for `python -m distillery_worker train --config RUN.json`.
 */
import path from 'node:path';
// Bundled at build time (esbuild, tsx, vitest); the worker ships the same file beside config.py.
import presetsJson from '../../../resources/python/src/distillery_worker/presets.json';
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
  distributed?: Distributed;
  deepspeed_config?: string;
  packing?: boolean;
  padding_free?: boolean;
  attn_implementation?: string;
  resume?: boolean;
  kd?: { teacher_model?: string; teacher_logits?: string; alpha?: number; temperature_start?: number; temperature_end?: number; schedule?: 'linear' | 'cosine' };
  lora?: { r?: number; alpha?: number; dropout?: number; target_modules?: string | string[] };
  [key: string]: unknown;
}

/** A preset as the worker resolves it: presets.json's `base` with the preset's own keys on top. */
export interface WorkerPreset {
  method: Method;
  learning_rate: number;
  num_train_epochs: number;
  batch_size: number;
  micro_batch_size: number;
  max_length: number;
  gradient_checkpointing: boolean;
  [key: string]: unknown;
}

const METHODS: readonly string[] = ['full', 'lora', 'qlora', 'kd'] satisfies Method[];

function workerPreset(name: string, own: Record<string, unknown>): WorkerPreset {
  const p: Record<string, unknown> = { ...presetsJson.base, ...own };
  if (typeof p.method !== 'string' || !METHODS.includes(p.method)) throw new Error(`presets.json: preset "${name}" has an unknown method ${String(p.method)}.`);
  return p as WorkerPreset;
}

/** Every preset of presets.json, `fsdp` included (the worker accepts it; the engine's recipes are RECIPES). */
export const WORKER_PRESETS: Readonly<Record<string, WorkerPreset>> = Object.fromEntries(
  Object.entries(presetsJson.presets).map(([name, own]) => [name, workerPreset(name, own)]),
);

/** A recipe's preset from presets.json (the Train form's and `distillery train`'s defaults). */
export function recipePreset(r: RecipeName): WorkerPreset {
  const p = WORKER_PRESETS[r];
  if (!p) throw new Error(`presets.json has no preset "${r}".`);
  return p;
}

/** How several GPUs share the model: PyTorch FSDP (v2) or DeepSpeed ZeRO-3 (needs the deepspeed package). */
export type Distributed = 'fsdp' | 'deepspeed';
export const DISTRIBUTED: readonly Distributed[] = ['fsdp', 'deepspeed'];

export interface AccelerateOptions {
  distributed: Distributed;
  /** processes (GPUs) across all machines */
  numProcesses: number;
  numMachines?: number;
  machineRank?: number;
  /** the rank-0 node's address and rendezvous port (several machines) */
  mainIp?: string;
  mainPort?: number;
  /** absolute path of the DeepSpeed JSON (distributed: 'deepspeed') */
  deepspeedConfig?: string;
}

const q = (s: string) => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar

/** An accelerate config (YAML) for FSDP or DeepSpeed ZeRO-3, on one machine or as one node of several. */
export function accelerateYaml(o: AccelerateOptions): string {
  const machines = Math.max(1, o.numMachines ?? 1);
  const lines = ['compute_environment: LOCAL_MACHINE', `distributed_type: ${o.distributed === 'deepspeed' ? 'DEEPSPEED' : 'FSDP'}`];
  // with a DeepSpeed JSON, precision lives in the JSON ("auto" from the Trainer's bf16/fp16): accelerate refuses both
  lines.push(o.distributed === 'deepspeed' ? 'mixed_precision: null' : 'mixed_precision: bf16');
  lines.push(`num_machines: ${machines}`, `num_processes: ${o.numProcesses}`, `machine_rank: ${o.machineRank ?? 0}`);
  if (machines > 1) {
    if (!o.mainIp) throw new Error('accelerateYaml: several machines need the main node address.');
    lines.push(`main_process_ip: ${q(o.mainIp)}`, `main_process_port: ${o.mainPort ?? 29500}`);
  }
  lines.push('main_training_function: main', 'rdzv_backend: static', 'same_network: true', 'use_cpu: false');
  if (o.distributed === 'deepspeed') {
    if (!o.deepspeedConfig) throw new Error('accelerateYaml: DeepSpeed needs the path of its JSON config.');
    lines.push('deepspeed_config:', `  deepspeed_config_file: ${q(o.deepspeedConfig)}`, '  zero3_init_flag: true');
  } else {
    lines.push(
      'fsdp_config:',
      '  fsdp_version: 2',
      '  fsdp_auto_wrap_policy: TRANSFORMER_BASED_WRAP',
      '  fsdp_cpu_ram_efficient_loading: true',
      '  fsdp_offload_params: false',
      '  fsdp_reshard_after_forward: true',
      '  fsdp_state_dict_type: SHARDED_STATE_DICT',
      '  fsdp_activation_checkpointing: true',
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * DeepSpeed ZeRO-3 config: parameters, gradients and optimizer states sharded across all GPUs. The batch,
 * precision, clipping and accumulation are "auto", so the Trainer fills them from the run config.
 */
export function deepspeedZero3Config(): Record<string, unknown> {
  return {
    bf16: { enabled: 'auto' },
    fp16: { enabled: 'auto' },
    zero_optimization: {
      stage: 3,
      overlap_comm: true,
      contiguous_gradients: true,
      reduce_bucket_size: 'auto',
      stage3_prefetch_bucket_size: 'auto',
      stage3_param_persistence_threshold: 'auto',
      sub_group_size: 1e9,
      stage3_max_live_parameters: 1e9,
      stage3_max_reuse_distance: 1e9,
      stage3_gather_16bit_weights_on_model_save: true,
    },
    gradient_accumulation_steps: 'auto',
    gradient_clipping: 'auto',
    train_batch_size: 'auto',
    train_micro_batch_size_per_gpu: 'auto',
    steps_per_print: 1e9,
    wall_clock_breakdown: false,
  };
}

/** File names of a run folder's launcher configs. */
export function accelerateConfigName(distributed: Distributed, nodeRank?: number): string {
  const base = distributed === 'deepspeed' ? 'deepspeed' : 'fsdp';
  return nodeRank === undefined ? `${base}.yaml` : `${base}-node${nodeRank}.yaml`;
}
export const DEEPSPEED_JSON = 'deepspeed.json';

export function accelerateExecutable(python: string): string {
  return path.join(path.dirname(python), process.platform === 'win32' ? 'accelerate.exe' : 'accelerate');
}

/**
 * The exact argv that runs the worker: one process, or `accelerate launch --config_file` for several GPUs
 * (the config file holds the launcher, FSDP or DeepSpeed, and for several nodes this node's rank).
 */
export function workerCommand(opts: { python: string; configPath: string; gpus: number; nodes: number; accelerateConfig: string }): string[] {
  const total = opts.gpus * opts.nodes;
  if (total <= 1) return [opts.python, '-m', 'distillery_worker', 'train', '--config', opts.configPath];
  const launch = [accelerateExecutable(opts.python), 'launch', '--num_processes', String(total), '--config_file', opts.accelerateConfig];
  return [...launch, '-m', 'distillery_worker', 'train', '--config', opts.configPath];
}

import type { TRPCClient } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import type { TrainAppRouter } from '../../../electron/core/train/api';
import { api } from '../../api/client';

/**
 * The `train.*` procedures, typed from the engine's trainRouter. The app router mounts it at `train`; the
 * client is a path proxy, so this view of it works whatever else the app router holds.
 */
export const trainApi = (api as unknown as TRPCClient<TrainAppRouter>).train;

type Out = inferRouterOutputs<TrainAppRouter>['train'];
export type ModelInfo = Out['inspectModel'];
export type DatasetInfo = Out['inspectDataset'];
export type Verdict = Out['plan'];
export type RunSummary = Out['runs'][number];
export type RunDetail = Out['run'];
export type Presets = Out['presets'];
export type Hardware = Out['hardware'];
export type PresetName = keyof Presets;

export interface Recipe {
  preset: PresetName;
  base: string;
  dataset: string;
  method?: 'full' | 'lora' | 'qlora' | 'kd';
  learningRate: number;
  epochs: number;
  batchSize: number;
  maxLength: number;
  microBatch: number;
  gpus: number;
  gpuMemoryGib: number;
  gradientCheckpointing: boolean;
  maxSteps?: number | null;
  teacherModel?: string;
  teacherLogits?: string;
  distributed?: 'fsdp' | 'deepspeed';
  packing?: boolean;
  paddingFree?: boolean;
  name?: string;
}

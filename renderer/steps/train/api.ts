import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../electron/core/api/router';
import { api } from '../../api/client';

/** The `train.*` procedures of the app's client (electron/core/train/api.ts). */
export const trainApi = api.train;

type Out = inferRouterOutputs<AppRouter>['train'];
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

import type { TRPCClient } from '@trpc/client';
import type { evaluateRouter } from '../../../electron/core/eval/api';
import { api } from '../../api/client';

/**
 * The `evaluate.*` procedures (electron/core/eval/API.md), typed from the engine's evaluateRouter. The app
 * router mounts it at `evaluate`; the client is a path proxy, so this view of it works whatever else it holds.
 */
export const evalApi = (api as unknown as { evaluate: TRPCClient<typeof evaluateRouter> }).evaluate;

export type {
  BenchmarkInfo,
  Budget,
  Cell,
  ForcingResult,
  LatencyRow,
  ModelOption,
  ModelSpec,
  PlaygroundEvent,
  QuestionRow,
  RejectedRow,
  RunDetail,
  RunInput,
  RunSummary,
  Sample,
  ScalingSeries,
} from '../../../electron/core/eval/types';

export type Outcome = 'all' | 'correct' | 'wrong' | 'mixed' | 'undecided' | 'failed';

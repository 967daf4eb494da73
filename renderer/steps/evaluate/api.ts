import { api } from '../../api/client';

/** The `evaluate.*` procedures of the app's client (electron/core/eval/API.md). */
export const evalApi = api.evaluate;

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

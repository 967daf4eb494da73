/** Shapes of the evaluation engine and its API (see API.md). */
import { z } from 'zod';
import type { JobProgress } from '../jobs';
import type { EngineMessage } from '../util/messages';

const label = z.string().trim().min(1, 'a model needs a label').max(80);

export const modelSpec = z.discriminatedUnion('kind', [
  z.object({ label, kind: z.literal('endpoint'), teacher: z.string().trim().min(1).max(100), templateDir: z.string().trim().min(1).nullish() }),
  z.object({ label, kind: z.literal('local'), dir: z.string().trim().min(1), server: z.enum(['transformers', 'vllm']).optional() }),
  z.object({ label, kind: z.literal('onnx'), dir: z.string().trim().min(1) }),
]);
export type ModelSpec = z.infer<typeof modelSpec>;

export const budget = z
  .object({
    maxThinking: z.number().int().min(0).max(131_072),
    minThinking: z.number().int().min(0).max(131_072).optional(),
    waits: z.number().int().min(0).max(16).optional(),
  })
  .refine((b) => (b.minThinking ?? 0) <= b.maxThinking, { message: 'minThinking must not exceed maxThinking' });
export type Budget = z.infer<typeof budget>;

export const runInput = z.object({
  name: z.string().trim().max(200).optional(),
  models: z
    .array(modelSpec)
    .min(1, 'choose at least one model')
    .max(8)
    .refine((ms) => new Set(ms.map((m) => m.label)).size === ms.length, { message: 'model labels must be unique' }),
  benchmarks: z.array(z.string().trim().min(1)).min(1, 'choose at least one benchmark').max(20),
  budgets: z.array(budget).min(1, 'choose at least one thinking budget').max(16),
  samples: z.number().int().min(1).max(64).optional(),
  /** R: every cell runs R times with seeds derived from the run seed; cells then show a mean with its interval. */
  repeats: z.number().int().min(1).max(32).optional(),
  limit: z.number().int().min(1).max(100_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  maxAnswerTokens: z.number().int().min(1).max(32_768).optional(),
  waitWord: z.string().min(1).max(40).optional(),
  systemPrompt: z.string().max(20_000).optional(),
  judge: z.string().trim().min(1).nullish(),
  concurrency: z.number().int().min(1).max(64).optional(),
});
export type RunInput = z.infer<typeof runInput>;

/** A run's settings as stored (defaults filled in). */
export interface RunConfig {
  name: string | null;
  models: ModelSpec[];
  benchmarks: string[];
  budgets: Required<Budget>[];
  samples: number;
  limit: number | null;
  temperature: number;
  seed: number;
  maxAnswerTokens: number;
  waitWord: string;
  systemPrompt: string | null;
  judge: string | null;
  concurrency: number;
  /** Last, so that a run stored before repeats existed (read with repeats 1) compares equal to the same settings. */
  repeats: number;
}

export interface BenchmarkInfo {
  id: string;
  name: string;
  source: 'builtin' | 'evalset' | 'imported';
  count: number;
  file: string | null;
  description: string;
  createdAt: string | null;
}

export interface BenchQuestion {
  qid: string;
  question: string;
  reference: string;
}

export interface RejectedRow {
  file: string;
  line: number;
  field: string;
  reason: string;
  /** The reason with a code, for the UI to say in its language (pool/row-reason.ts). */
  reasonMessage?: EngineMessage;
}

export interface ModelOption {
  spec: ModelSpec;
  source: 'teacher' | 'folder' | 'train-run' | 'train-checkpoint';
  detail: string;
  onnx: boolean;
  problem: string | null;
}

export type RunStatus = 'queued' | 'running' | 'paused' | 'cancelled' | 'failed' | 'done';

export interface RunSummary {
  id: string;
  name: string | null;
  jobId: number | null;
  status: RunStatus;
  models: string[];
  benchmarks: string[];
  budgets: Required<Budget>[];
  samples: number;
  repeats: number;
  total: number;
  done: number;
  failed: number;
  error: string | null;
  createdAt: string;
  endedAt: string | null;
}

export interface Cell {
  model: string;
  benchmark: string;
  budget: number;
  maxThinking: number;
  minThinking: number;
  waits: number;
  n: number;
  samples: number;
  failed: number;
  accuracy: number | null;
  majority: number | null;
  avgThinkingTokens: number | null;
  avgAnswerTokens: number | null;
  avgWaits: number | null;
  hitBudget: number | null;
  /** R, and pass@1 of each repeat alone (its k samples per question). */
  repeats: number;
  accuracyByRepeat: (number | null)[];
  /** 95 % intervals (see stats.ts): pass@1 over questions then samples, majority over questions then repeats. */
  accuracyCi: Interval | null;
  majorityCi: Interval | null;
  /** Unbiased pass@k for k = 2, 4, 8 … up to the samples every question has (k × R), with intervals over questions. */
  passAtK: { k: number; value: number; ci: Interval }[];
}

/** A 95 % interval [lo, hi]. */
export type Interval = [number, number];

/** Model A against model B on the same questions of one benchmark at one budget (A − B, in accuracy). */
export interface Comparison {
  a: string;
  b: string;
  benchmark: string;
  budget: number;
  maxThinking: number;
  minThinking: number;
  waits: number;
  /** Questions both models have scored samples for. */
  n: number;
  accuracyA: number;
  accuracyB: number;
  diff: number;
  ci: Interval;
  /** Whether the interval leaves out 0. */
  significant: boolean;
  /** Questions where A's pass@1 is above B's, and below. */
  aBetter: number;
  bBetter: number;
}

export interface LatencyRow {
  model: string;
  generations: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  tokensPerSecond: number | null;
  tokensPerSecondP50: number | null;
  /** The seed's target use: a first token within this many milliseconds (sub-200 ms responses). */
  ttftTargetMs: number;
  /** Whether the p95 time to first token is within the target; null when nothing was measured. */
  ttftTargetMet: boolean | null;
}

export interface ScalingSeries {
  model: string;
  benchmark: string;
  points: { budget: number; maxThinking: number; waits: number; avgThinkingTokens: number; accuracy: number; ci: Interval | null }[];
}

export interface RunDetail {
  run: RunSummary;
  config: RunConfig;
  progress: JobProgress | null;
  cells: Cell[];
  latency: LatencyRow[];
  scaling: ScalingSeries[];
  reportPath: { html: string | null; json: string | null };
}

export interface Sample {
  sample: number;
  thinking: string;
  answer: string;
  extracted: string | null;
  correct: boolean | null;
  method: string;
  reason: string;
  thinkingTokens: number;
  answerTokens: number;
  waits: number;
  hitBudget: boolean;
  ttftMs: number | null;
  totalMs: number;
  tokensPerSecond: number | null;
  error: string | null;
}

export interface QuestionRow {
  model: string;
  benchmark: string;
  budget: number;
  qidx: number;
  qid: string;
  question: string;
  reference: string;
  correct: number;
  scored: number;
  majorityAnswer: string | null;
  majorityCorrect: boolean | null;
  samples: Sample[];
}

export const itemsInput = z.object({
  runId: z.string().min(1),
  model: z.string().optional(),
  benchmark: z.string().optional(),
  budget: z.number().int().min(0).optional(),
  outcome: z.enum(['all', 'correct', 'wrong', 'mixed', 'undecided', 'failed']).optional(),
  search: z.string().max(500).optional(),
  offset: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(100).optional(),
});
export type ItemsInput = z.infer<typeof itemsInput>;

export const chatMessage = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().max(200_000) });

export const playgroundInput = z.object({
  model: modelSpec,
  messages: z.array(chatMessage).min(1).max(64),
  maxThinking: z.number().int().min(0).max(131_072),
  minThinking: z.number().int().min(0).max(131_072).optional(),
  waits: z.number().int().min(0).max(16).optional(),
  waitWord: z.string().min(1).max(40).optional(),
  maxAnswerTokens: z.number().int().min(1).max(32_768).optional(),
  temperature: z.number().min(0).max(2).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
});
export type PlaygroundInput = z.infer<typeof playgroundInput>;

export interface ForcingResult {
  thinking: string;
  answer: string;
  thinkingTokens: number;
  answerTokens: number;
  waitsInserted: number;
  hitBudget: boolean;
  ttftMs: number | null;
  totalMs: number;
  tokensPerSecond: number | null;
  prompt: string;
}

export type PlaygroundEvent =
  /** `note`: the same status with a code and params, for the UI's language. */
  | { type: 'status'; message: string; note?: EngineMessage }
  | { type: 'thinking'; text: string; tokens: number }
  | { type: 'wait'; waits: number }
  | { type: 'answer'; text: string }
  | { type: 'stats'; ttftMs: number | null; tokensPerSecond: number | null }
  | { type: 'done'; result: ForcingResult }
  /** `code`: the engine's code for the error (a UserError's, else `playground_failed`); the UI heads the message with `errors.<code>`. */
  | { type: 'error'; message: string; code?: string };

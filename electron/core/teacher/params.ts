import { z } from 'zod';

export const DEFAULT_PROMPT = '{question}\n\nPlease reason step by step, and put your final answer within \\boxed{}.';

export const questionFilter = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('all') }),
  z.object({ mode: z.literal('limit'), n: z.number().int().positive() }),
  z.object({ mode: z.literal('ids'), ids: z.array(z.number().int().positive()).min(1) }),
  z.object({ mode: z.literal('sample'), n: z.number().int().positive(), seed: z.number().int().default(0) }),
]);

export const generateParams = z.object({
  teacher: z.string().min(1),
  questions: questionFilter.default({ mode: 'all' }),
  /**
   * Variables: {question}, {answer}, {domain}, {id}. Unknown braces (as in \boxed{}) are left alone. Left out, the
   * teacher's own template (Teacher step, `teacher set-prompt`) or DEFAULT_PROMPT is written in when the job starts,
   * so that a job's params always say which template it sent.
   */
  promptTemplate: z.string().min(1).optional(),
  /** How reasoning is obtained (teacher/prompting.ts); left out: the teacher's setting, written in when the job starts. */
  reasoningMode: z.enum(['native', 'prompt', 'split']).optional(),
  /** The reasoning prompt of mode 'prompt'; null: the default in the question's language. */
  reasoningPrompt: z.string().nullable().optional(),
  /**
   * Ask again the questions whose finished trace has no thinking and that no person has reviewed or edited
   * (after turning on a reasoning prompt or split mode); the new answer replaces the thinking-less one.
   */
  redoNoThinking: z.boolean().optional(),
  /**
   * Capture the teacher's top-k logprobs of every generated token (k ≤ 20; `logprobs: true, top_logprobs: k`) into
   * binary shards under artifacts/logprobs/<job>/ for KD (teacher/logprobs-store.ts). Left out: not asked.
   */
  logprobs: z.number().int().min(1).max(20).optional(),
  /** null uses the teacher's system prompt; '' sends none. */
  systemPrompt: z.string().nullable().default(null),
  temperature: z.number().min(0).max(2).nullable().default(null),
  topP: z.number().gt(0).max(1).nullable().default(null),
  maxTokens: z.number().int().positive().nullable().default(null),
  samples: z.number().int().min(1).max(64).default(1),
  concurrency: z.union([z.number().int().min(1).max(4096), z.literal('auto')]).default('auto'),
  maxAttempts: z.number().int().min(1).max(50).default(5),
  /** Price per million tokens; null uses the teacher's. */
  priceInput: z.number().nonnegative().nullable().default(null),
  priceOutput: z.number().nonnegative().nullable().default(null),
  /** A request that sends no byte for this long is retried. */
  timeoutMs: z.number().int().positive().default(300_000),
  backoffBaseMs: z.number().int().nonnegative().default(1_000),
  backoffCapMs: z.number().int().nonnegative().default(60_000),
  /** Longest Retry-After honoured; a longer one is capped so one answer cannot stall a job for hours. */
  maxRetryAfterMs: z.number().int().nonnegative().default(300_000),
});
export type GenerateParams = z.infer<typeof generateParams>;
export type GenerateInput = z.input<typeof generateParams>;

export function renderPrompt(template: string, vars: Record<string, string | number | null>): string {
  return template.replace(/\{(question|answer|domain|id)\}/g, (_m, k: string) => String(vars[k] ?? ''));
}

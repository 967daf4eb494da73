import { z } from 'zod';
import { UserError } from '../util/errors';

/** s1's formatting rules: figures the student cannot see, and questions that bundle several sub-problems. */
export const S1_FORMAT_RULES: readonly { name: string; pattern: string; flags: string; field: 'question' | 'thinking' | 'answer' }[] = [
  { name: 'image_link', pattern: '!\\[[^\\]]*\\]\\([^)]*\\)', flags: 'i', field: 'question' },
  { name: 'html_image', pattern: '<img\\b', flags: 'i', field: 'question' },
  { name: 'asy_figure', pattern: '\\[asy\\]', flags: 'i', field: 'question' },
  { name: 'lettered_subproblems', pattern: '\\(a\\)[\\s\\S]*\\(b\\)', flags: '', field: 'question' },
  { name: 'numbered_subproblems', pattern: '(?:^|\\n)\\s*1[.)]\\s[\\s\\S]*\\n\\s*2[.)]\\s', flags: '', field: 'question' },
];

const formatRule = z.object({
  name: z.string().trim().min(1).max(80),
  /** Empty only while the rule is off (a new rule starts so); parseRecipe rejects an enabled rule without a working pattern. */
  pattern: z.string().max(2000),
  flags: z.string().regex(/^[imsu]*$/, 'flags may only use i, m, s and u').default(''),
  field: z.enum(['question', 'thinking', 'answer']).default('question'),
  enabled: z.boolean().default(true),
});
export type FormatRule = z.infer<typeof formatRule>;

const lengthRange = z.object({
  unit: z.enum(['chars', 'tokens']).default('chars'),
  min: z.number().int().nonnegative().default(0),
  max: z.number().int().positive().nullable().default(null),
});

/**
 * A pass-rate band: a question stays only when `model` solved between `min` and `max` of its first `k` checked
 * samples (LIMO: a weak model 0 of 4, a strong one 1–3 of 8). A question the model never attempted is not judged
 * (it stays, with a note). `role: 'student'` marks the student's own pass@k (its samples stored under `model`).
 */
export const passBand = z
  .object({
    name: z.string().trim().min(1).max(80),
    model: z.string().trim().min(1),
    role: z.enum(['filter', 'student']).default('filter'),
    k: z.number().int().min(1).max(256),
    min: z.number().int().min(0),
    max: z.number().int().min(0),
  })
  .refine((b) => b.min <= b.max && b.max <= b.k, { message: 'a band needs 0 ≤ min ≤ max ≤ k' });
export type PassBand = z.infer<typeof passBand>;

export const PRESET_IDS = ['s1', 'limo', 'light-r1'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export const recipeSchema = z.object({
  name: z.string().trim().max(200).optional(),
  /** The published recipe this one started from (presets.ts); 'custom' after the user changes a knob is not tracked. */
  preset: z.enum(PRESET_IDS).optional(),
  /**
   * Rejection sampling: keep up to this many verified traces (answer checked equal to the reference) of the
   * teacher per selected question; 1 keeps only the judged trace (s1).
   */
  tracesPerQuestion: z.number().int().min(1).max(64).default(1),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  target: z.number().int().min(1).max(1_000_000).default(1000),
  /** Which teacher's traces are the reasoning traces; null: any source that is not a filter model. */
  teacher: z.string().min(1).nullable().default(null),
  /** A folder with the student's tokenizer.json: lengths in the student's tokens (else characters / 4, with a note). */
  studentDir: z.string().min(1).nullable().default(null),
  quality: z
    .object({
      enabled: z.boolean().default(true),
      requireTrace: z.boolean().default(true),
      requireThinking: z.boolean().default(true),
      dropUnterminated: z.boolean().default(true),
      formatRules: z.array(formatRule).default(() => S1_FORMAT_RULES.map((r) => ({ ...r, enabled: true }))),
      requireExtractableAnswer: z.boolean().default(true),
      /** Share of repeated word n-grams in the thinking above which a trace is degenerate. */
      maxRepetition: z.number().min(0).max(1).nullable().default(0.5),
      repetitionN: z.number().int().min(2).max(32).default(8),
      /** Expected language of the thinking; 'any' turns the check off. */
      language: z.enum(['any', 'en', 'zh']).default('any'),
      maxCjkRatio: z.number().min(0).max(1).default(0.2),
      minCjkRatio: z.number().min(0).max(1).default(0.2),
      thinkingLength: lengthRange.prefault({}),
      /** s1 kept some traces whose answer did not match the reference; the user chooses. */
      dropWrong: z.boolean().default(false),
      /**
       * Drop questions whose pseudo-label the teacher was unsure of (agreement below the pseudo-label run's minimum), and
       * those whose judged trace is not among the samples that agreed on the pseudo-label.
       */
      dropTeacherUnsure: z.boolean().default(false),
    })
    .prefault({}),
  difficulty: z
    .object({
      enabled: z.boolean().default(true),
      /** Registered teachers used as filter models (their traces and verdicts are read from the project). */
      filterModels: z.array(z.string().min(1)).default([]),
      /** A question is dropped when a filter model solves at least this many of its samples. */
      solvedAtLeast: z.number().int().min(1).default(1),
      /** The cheaper stand-in: drop questions whose thinking is shorter than this, in student tokens. */
      minThinkingTokens: z.number().int().nonnegative().nullable().default(null),
      /** Pass-rate bands, applied in order after the filter models (see passBand). */
      bands: z.array(passBand).max(8).default([]),
    })
    .prefault({}),
  diversity: z
    .object({
      enabled: z.boolean().default(true),
      /**
       * Where domains come from: the imported column, a taxonomy's labels, labels with the column as fallback,
       * or k-means clusters of question embeddings ("cluster 7 of 20").
       */
      domains: z.enum(['column', 'labels', 'auto', 'clusters']).default('auto'),
      taxonomy: z.string().min(1).default('msc2020'),
      /** s1 picks a domain uniformly; 'size' weights domains by how many candidates they hold. */
      weighting: z.enum(['uniform', 'size']).default('uniform'),
      /**
       * Rank within a domain by thinking length, longest first: p ∝ 2^(−rank); 'chain_quality' ranks by LIMO's
       * chain-quality score (chain.ts: length, self-checks, explored alternatives), best first.
       */
      rankBy: z.enum(['thinking_length', 'random', 'chain_quality']).default('thinking_length'),
      /**
       * Hard but consistent first: the length ranked on is the thinking length times the teacher's agreement on the
       * question's pseudo-label (1 for questions with a real reference), so long questions the teacher answers the same
       * way every time lead and ones it guesses at fall back.
       */
      preferConsistent: z.boolean().default(false),
      /** Embedding clusters (domains = 'clusters'): the local model folder, its precision and token limit, k and the k-means seed. */
      clusters: z
        .object({
          modelDir: z.string().trim().min(1).nullable().default(null),
          dtype: z.enum(['fp32', 'q8']).default('fp32'),
          maxLength: z.number().int().min(8).max(8192).default(128),
          k: z.number().int().min(2).max(10_000).default(20),
          seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
        })
        .prefault({}),
    })
    .prefault({}),
});
export type Recipe = z.infer<typeof recipeSchema>;
export type RecipeInput = z.input<typeof recipeSchema>;

/** What is wrong with an enabled rule's pattern, in one sentence naming the rule (null when it compiles or the rule is off). */
export function ruleProblem(rule: FormatRule): string | null {
  if (!rule.enabled) return null;
  if (rule.pattern === '') return `The formatting rule "${rule.name}" is on but its pattern is empty; type a regular expression or turn the rule off.`;
  try {
    new RegExp(rule.pattern, rule.flags);
    return null;
  } catch (e) {
    return `The formatting rule "${rule.name}" is not a valid regular expression (${(e as Error).message}); correct its pattern or turn the rule off.`;
  }
}

export function parseRecipe(input: unknown): Recipe {
  const recipe = recipeSchema.parse(input ?? {});
  for (const rule of recipe.quality.formatRules) {
    const problem = ruleProblem(rule);
    if (problem) throw new UserError(problem, 'bad_rule');
  }
  return recipe;
}

/** s1's recipe: quality rules on, filter-model difficulty, uniform domains, 1,000 samples. */
export function s1Recipe(over: RecipeInput = {}): Recipe {
  return parseRecipe({ ...over });
}

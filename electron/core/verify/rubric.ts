import { z } from 'zod';

/**
 * Rubric judging, for answers that are not numbers: criteria in the user's words with weights, a pass
 * threshold on the weighted total. The judge scores each criterion 0–10 with a one-line reason (JSON).
 */
export const criterionSchema = z.object({
  name: z.string().trim().min(1, 'a criterion needs a name').max(120),
  description: z.string().trim().max(2000).default(''),
  weight: z.number().positive('a weight must be above 0').max(1000).default(1),
});
export const rubricSchema = z.object({
  criteria: z
    .array(criterionSchema)
    .min(1, 'a rubric needs at least one criterion')
    .max(30)
    .refine((cs) => new Set(cs.map((c) => c.name.toLowerCase())).size === cs.length, 'two criteria have the same name'),
  /** Weighted total (0–1) at or above which an answer passes. */
  threshold: z.number().min(0).max(1).default(0.7),
});
export type Criterion = z.infer<typeof criterionSchema>;
export type Rubric = z.infer<typeof rubricSchema>;
export type RubricInput = z.input<typeof rubricSchema>;

export interface CriterionScore {
  criterion: string;
  /** 0–1 (the judge's 0–10 divided by 10). */
  score: number;
  reason: string;
}

export interface RubricVerdict {
  scores: CriterionScore[] | null;
  /** Weighted mean of the scores, 0–1. */
  total: number | null;
  passed: boolean | null;
  reason: string;
}

export const DEFAULT_RUBRIC_PROMPT = `You are grading an answer with a rubric.

Question:
{{question}}

Reference answer (may be empty):
{{reference}}

Answer to grade:
{{answer}}

Criteria:
{{criteria}}

Score every criterion from 0 (not met at all) to 10 (fully met), with a one-line reason.
Reply with JSON only, exactly in this shape:
{"scores": [{"criterion": "<name as written above>", "score": <0-10>, "reason": "<one line>"}]}`;

export function renderRubricPrompt(rubric: Rubric, v: { question: string; reference: string | null; answer: string }, template = DEFAULT_RUBRIC_PROMPT): string {
  const criteria = rubric.criteria.map((c, i) => `${i + 1}. ${c.name} (weight ${c.weight})${c.description ? `: ${c.description}` : ''}`).join('\n');
  const vars: Record<string, string> = { question: v.question, reference: v.reference ?? '', answer: v.answer, criteria };
  return template.replace(/\{\{\s*(question|reference|answer|criteria)\s*\}\}/g, (_m, k: string) => vars[k] ?? '');
}

/** The last JSON object in a reply that holds "scores" (code fences and thinking around it are ignored). */
function lastScoresObject(text: string): unknown {
  const body = text.replace(/<think>[\s\S]*?<\/think>/g, '');
  for (let end = body.lastIndexOf('}'); end >= 0; end = body.lastIndexOf('}', end - 1)) {
    for (let start = body.lastIndexOf('{', end); start >= 0; start = body.lastIndexOf('{', start - 1)) {
      const chunk = body.slice(start, end + 1);
      if (!chunk.includes('"scores"')) continue;
      try {
        return JSON.parse(chunk);
      } catch {
        /* a smaller or larger brace pair may parse */
      }
    }
  }
  return undefined;
}

const key = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

/** Reads the judge's reply against the rubric: every criterion must be scored, 0–10. */
export function scoreRubricReply(text: string, rubric: Rubric): RubricVerdict {
  const obj = lastScoresObject(text) as { scores?: unknown } | undefined;
  const list = Array.isArray(obj?.scores) ? (obj.scores as { criterion?: unknown; score?: unknown; reason?: unknown }[]) : null;
  if (!list) return { scores: null, total: null, passed: null, reason: `judge: reply held no {"scores": [...]} JSON ('${text.trim().slice(-60)}')` };
  const byName = new Map(list.filter((s) => typeof s?.criterion === 'string').map((s) => [key(s.criterion as string), s]));
  const scores: CriterionScore[] = [];
  for (const [i, c] of rubric.criteria.entries()) {
    // By name; a reply that renamed criteria but kept their order and count is read by position.
    const s = byName.get(key(c.name)) ?? (list.length === rubric.criteria.length ? list[i] : undefined);
    const n = typeof s?.score === 'number' ? s.score : typeof s?.score === 'string' ? Number(s.score) : NaN;
    if (!s || !Number.isFinite(n) || n < 0 || n > 10) return { scores: null, total: null, passed: null, reason: `judge: no score from 0 to 10 for the criterion "${c.name}"` };
    scores.push({ criterion: c.name, score: n / 10, reason: String(s.reason ?? '').split('\n')[0]!.trim().slice(0, 300) });
  }
  const total = weightedTotal(scores, rubric);
  const passed = total >= rubric.threshold - 1e-9;
  return { scores, total, passed, reason: `rubric: ${Math.round(total * 100)}% ${passed ? '≥' : '<'} ${Math.round(rubric.threshold * 100)}% (${scores.map((s) => `${s.criterion} ${Math.round(s.score * 10)}/10`).join(', ')})` };
}

export function weightedTotal(scores: readonly CriterionScore[], rubric: Rubric): number {
  let sum = 0;
  let w = 0;
  for (const c of rubric.criteria) {
    const s = scores.find((x) => x.criterion === c.name);
    if (!s) continue;
    sum += s.score * c.weight;
    w += c.weight;
  }
  return w ? sum / w : 0;
}

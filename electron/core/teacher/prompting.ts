import { z } from 'zod';
import type { DB } from '../store/project';
import { UserError } from '../util/errors';
import { DEFAULT_PROMPT, renderPrompt } from './params';
import type { Parsed } from './stream';

/**
 * A teacher's own generation prompt and how its reasoning is obtained. Kept apart from store.ts (connection,
 * headers, key) so that saving a connection never touches these columns (migration 010) and the other way round.
 *
 * - native: the teacher reasons by itself (a reasoning field, or <think> tags): nothing is added.
 * - prompt: a teacher that does not reason (SmolLM2, most instruct models) is asked to think inside
 *   <think>…</think> by a reasoning instruction appended to the user turn.
 * - split:  the response before its final answer is taken as the thinking (see splitBeforeAnswer).
 */
export const REASONING_MODES = ['native', 'prompt', 'split'] as const;
export type ReasoningMode = (typeof REASONING_MODES)[number];

/** The default reasoning prompts; the Chinese one is used for questions written mostly in Chinese. */
export const REASONING_PROMPT = {
  en: 'Before answering, think through the problem step by step inside <think> and </think> tags. After </think>, write only your final answer, with the final result within \\boxed{}.',
  zh: '回答之前，请先在 <think> 和 </think> 标签之间逐步思考。在 </think> 之后只写出最终答案，并把最终结果放在 \\boxed{} 中。',
} as const;

/** Instructions that mean the same in English and Chinese: a question carrying one already has the other. */
const TWINS: readonly (readonly string[])[] = [
  [
    'Please reason step by step, and put your final answer within \\boxed{}.',
    '请逐步推理，并把最终答案放在 \\boxed{} 中。',
    '请通过逐步推理来解答问题，并把最终答案放置于\\boxed{}中。',
  ],
  [REASONING_PROMPT.en, REASONING_PROMPT.zh],
];

export interface Prompting {
  /** The user-turn template; null uses DEFAULT_PROMPT. */
  promptTemplate: string | null;
  reasoningMode: ReasoningMode;
  /** The reasoning prompt; null uses REASONING_PROMPT in the question's language. */
  reasoningPrompt: string | null;
}

export const promptingInput = z.object({
  name: z.string().min(1),
  promptTemplate: z.string().max(50_000).nullish(),
  reasoningMode: z.enum(REASONING_MODES).optional(),
  reasoningPrompt: z.string().max(20_000).nullish(),
});
export type PromptingInput = z.infer<typeof promptingInput>;

const NONE: Prompting = { promptTemplate: null, reasoningMode: 'native', reasoningPrompt: null };

export function getPrompting(db: DB, teacher: string): Prompting {
  const r = db.prepare('SELECT prompt_template, reasoning_mode, reasoning_prompt FROM teachers WHERE name = ?').get(teacher) as
    | { prompt_template: string | null; reasoning_mode: string | null; reasoning_prompt: string | null }
    | undefined;
  if (!r) return NONE;
  const mode = (REASONING_MODES as readonly string[]).includes(r.reasoning_mode ?? '') ? (r.reasoning_mode as ReasoningMode) : 'native';
  return { promptTemplate: r.prompt_template, reasoningMode: mode, reasoningPrompt: r.reasoning_prompt };
}

/** A template must show the question somewhere, or every request would ask the same thing. */
export function checkTemplate(template: string, where = 'The prompt template'): void {
  if (!template.includes('{question}')) {
    throw new UserError(`${where} has no {question} placeholder, so the teacher would never see the question; add {question} where the question goes.`, 'bad_template');
  }
}

/** Changes only the fields given; '' or null for a text field returns it to the default. */
export function setPrompting(db: DB, input: PromptingInput): Prompting {
  const i = promptingInput.parse(input);
  const cur = db.prepare('SELECT 1 FROM teachers WHERE name = ?').get(i.name);
  if (!cur) throw new UserError(`There is no teacher named "${i.name}" in this project. Add it first with "distillery teacher add".`, 'teacher_not_found');
  const sets: string[] = [];
  const args: Record<string, unknown> = { name: i.name };
  if (i.promptTemplate !== undefined) {
    const t = i.promptTemplate?.trim() ? i.promptTemplate : null;
    if (t !== null) checkTemplate(t);
    sets.push('prompt_template = @template');
    args.template = t;
  }
  if (i.reasoningMode !== undefined) {
    sets.push('reasoning_mode = @mode');
    args.mode = i.reasoningMode;
  }
  if (i.reasoningPrompt !== undefined) {
    sets.push('reasoning_prompt = @rp');
    args.rp = i.reasoningPrompt?.trim() ? i.reasoningPrompt.trim() : null;
  }
  if (sets.length) db.prepare(`UPDATE teachers SET ${sets.join(', ')}, updated_at = @t WHERE name = @name`).run({ ...args, t: new Date().toISOString() });
  return getPrompting(db, i.name);
}

/** Lower case, NFKC (full-width punctuation to ASCII), no whitespace, no trailing full stop: "contains" ignores layout. */
export function normaliseInstruction(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, '').replace(/[.。!！]+$/, '');
}

const cjkRatio = (s: string): number => {
  const letters = s.match(/[\p{L}]/gu)?.length ?? 0;
  const cjk = s.match(/[\u3400-\u9fff]/g)?.length ?? 0;
  return letters ? cjk / letters : 0;
};

/** 'zh' when the question is written mostly in Chinese, else 'en'. */
export function questionLanguage(question: string): 'en' | 'zh' {
  return cjkRatio(question) > 0.3 ? 'zh' : 'en';
}

/** True when `text` already carries `instruction` (or its twin in the other language), whatever the spacing and case. */
export function alreadyContains(text: string, instruction: string): boolean {
  const t = normaliseInstruction(text);
  const i = normaliseInstruction(instruction);
  if (i.length < 12) return false; // a label like "Question:" is not an instruction
  if (t.includes(i)) return true;
  const twins = TWINS.find((g) => g.some((x) => normaliseInstruction(x) === i));
  return twins ? twins.some((x) => t.includes(normaliseInstruction(x))) : false;
}

export interface PromptVars {
  question: string;
  answer: string | null;
  domain: string | null;
  id: number;
}

/**
 * The user turn: the template with its placeholders filled, minus every instruction paragraph the question
 * already contains (a pool imported with "Please reason step by step…" in each question would otherwise say
 * it twice), plus the reasoning prompt when the teacher's mode is 'prompt' (again unless already there).
 */
export function buildPrompt(template: string, vars: PromptVars, reasoning: { mode: ReasoningMode; prompt: string | null } = { mode: 'native', prompt: null }): string {
  const parts = template.split(/(\{(?:question|answer|domain|id)\})/);
  const out = parts.map((part) => {
    if (/^\{(?:question|answer|domain|id)\}$/.test(part)) return renderPrompt(part, { ...vars });
    // Literal text: drop each paragraph that the question already carries.
    return part
      .split(/(\n\s*\n)/)
      .map((para, k) => (k % 2 === 0 && para.trim() && alreadyContains(vars.question, para) ? '' : para))
      .join('');
  });
  let prompt = out.join('').replace(/\n{3,}/g, '\n\n').trim();
  if (reasoning.mode === 'prompt') {
    const instruction = reasoning.prompt?.trim() || REASONING_PROMPT[questionLanguage(vars.question)];
    if (!alreadyContains(prompt, instruction)) prompt = `${prompt}\n\n${instruction}`;
  }
  return prompt;
}

/** The template a job uses when none is given: the teacher's own, else the default. */
export function templateOf(p: Prompting): string {
  return p.promptTemplate ?? DEFAULT_PROMPT;
}

const ANSWER_MARK = /\\boxed\b|\\fbox\b|(?:final\s+answer|the\s+answer\s+is|answer\s*[:：])|最终答案|答案\s*[:：是为]/i;

/**
 * Split mode: for a response that carries no thinking, the text before its final answer becomes the thinking.
 * The answer is the last paragraph that holds an answer mark (\boxed, "Final answer", "答案：") and what follows
 * it; without such a mark, the last paragraph. A one-paragraph response has nothing to split and stays flagged
 * no_thinking. Responses that did reason (a reasoning field, <think> tags) are left as they are.
 */
export function splitBeforeAnswer(parsed: Parsed, content: string): Parsed {
  if (parsed.thinking !== null || !parsed.flags.includes('no_thinking')) return parsed;
  const text = content.trim();
  const paras = text.split(/\n\s*\n/);
  if (paras.length < 2) return parsed;
  let at = -1;
  for (let i = paras.length - 1; i >= 1; i--) {
    if (ANSWER_MARK.test(paras[i] as string)) {
      at = i;
      break;
    }
  }
  if (at < 0) at = paras.length - 1;
  const thinking = paras.slice(0, at).join('\n\n').trim();
  const answer = paras.slice(at).join('\n\n').trim();
  if (!thinking || !answer) return parsed;
  const flags = parsed.flags.filter((f) => f !== 'no_thinking' && f !== 'no_answer');
  flags.push('split_thinking');
  return { thinking, answer, reasoningSource: 'split', flags };
}

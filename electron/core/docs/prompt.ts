import { z } from 'zod';
import { questionLanguage } from '../teacher/prompting';

export const QUESTION_TYPES = ['calculation', 'multi_step', 'case_analysis', 'compare_contrast', 'what_if'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

const DESCRIBE: Record<'en' | 'zh', Record<QuestionType, string>> = {
  en: {
    calculation: 'calculation: apply the passage\'s numbers and rules to a concrete case and compute a result',
    multi_step: 'multi_step: a question that needs several rules of the passage applied one after another',
    case_analysis: 'case_analysis: a short realistic case; decide what the passage\'s rules say about it and why',
    compare_contrast: 'compare_contrast: compare two situations, rules or options the passage distinguishes',
    what_if: 'what_if: "what would change if …" — a condition changes; say how the outcome changes',
  },
  zh: {
    calculation: 'calculation（计算）：把文中的数字和规则用于一个具体情形并算出结果',
    multi_step: 'multi_step（多步推理）：需要依次运用文中的几条规则',
    case_analysis: 'case_analysis（案例分析）：给出一个简短的真实案例，判断文中规则如何适用并说明理由',
    compare_contrast: 'compare_contrast（比较）：比较文中区分的两种情形、规则或选项',
    what_if: 'what_if（假设变化）：“如果……会有什么变化”——条件改变后结果如何变化',
  },
};

export interface PromptInput {
  text: string;
  document: string;
  headingPath: string[];
  pageFrom: number;
  pageTo: number;
  paged: boolean;
  n: number;
  types: readonly QuestionType[];
  language: 'en' | 'zh' | 'auto';
}

export const languageOf = (p: Pick<PromptInput, 'language' | 'text'>): 'en' | 'zh' => (p.language === 'auto' ? questionLanguage(p.text) : p.language);

/** The teacher's instructions for one chunk: N questions of the chosen types, each with an answer and a verbatim quote, as JSON. */
export function synthPrompt(p: PromptInput): string {
  const lang = languageOf(p);
  const where = [p.document, p.headingPath.join(' > '), p.paged ? (p.pageFrom === p.pageTo ? `page ${p.pageFrom}` : `pages ${p.pageFrom}-${p.pageTo}`) : ''].filter(Boolean).join(', ');
  const types = p.types.map((t) => `- ${DESCRIBE[lang][t]}`).join('\n');
  const shape = '{"questions": [{"type": "<one of the types>", "question": "...", "answer": "...", "quote": "..."}]}';
  if (lang === 'zh') {
    return `下面是一段公司文件（${where}）：\n\n"""\n${p.text}\n"""\n\n请根据这段文字出 ${p.n} 道题，题型从下列中选择：\n${types}\n\n要求：每道题只凭这段文字即可回答，且需要推理而不只是查找；给出参考答案；并给出支持答案的原文引文（quote），必须逐字摘自上文，不得改写。题目和答案用中文。\n只回复 JSON，不要其他文字，格式：${shape}`;
  }
  return `Here is a passage from a company's documents (${where}):\n\n"""\n${p.text}\n"""\n\nWrite ${p.n} question${p.n === 1 ? '' : 's'} about this passage, of these types:\n${types}\n\nRules: each question must be answerable from the passage alone and need reasoning, not just lookup; give the reference answer; give the quote that supports the answer, copied verbatim from the passage (not paraphrased). Write the questions and answers in English.\nReply with JSON only, no other text, in this shape: ${shape}`;
}

const item = z.object({
  type: z.string().optional(),
  question: z.string().trim().min(1, 'the question is empty'),
  answer: z.union([z.string(), z.number()]).transform((v) => String(v).trim()).pipe(z.string().min(1, 'the answer is empty')),
  quote: z.string({ error: 'no supporting quote' }),
});
export type SynthItem = z.infer<typeof item>;

export type Parsed = { ok: true; items: ({ ok: true; item: SynthItem; raw: string } | { ok: false; reason: string; raw: string })[] } | { ok: false; reason: string };

/** Reads the teacher's reply: JSON (in a ```json fence or after some words is tolerated), an array or {questions: [...]}. */
export function parseReply(reply: string): Parsed {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(reply)?.[1] ?? reply;
  const start = fenced.search(/[[{]/);
  if (start < 0) return { ok: false, reason: 'the teacher\'s reply holds no JSON' };
  const end = Math.max(fenced.lastIndexOf('}'), fenced.lastIndexOf(']'));
  let value: unknown;
  try {
    value = JSON.parse(fenced.slice(start, end + 1));
  } catch (e) {
    return { ok: false, reason: `the teacher's reply is not valid JSON (${(e as Error).message})` };
  }
  const list = Array.isArray(value) ? value : value && typeof value === 'object' && Array.isArray((value as { questions?: unknown }).questions) ? (value as { questions: unknown[] }).questions : null;
  if (!list) return { ok: false, reason: 'the teacher\'s reply is JSON but has no "questions" list' };
  // An empty list is an outcome too: otherwise the chunk would leave no row at all.
  if (list.length === 0) return { ok: false, reason: 'the teacher\'s reply has an empty "questions" list' };
  return {
    ok: true,
    items: list.map((v) => {
      const raw = JSON.stringify(v);
      const r = item.safeParse(v);
      if (r.success) return { ok: true as const, item: r.data, raw };
      const issue = r.error.issues[0];
      return { ok: false as const, reason: `malformed question: ${issue?.path.length ? `"${issue.path.join('.')}" ` : ''}${issue?.message ?? 'not an object'}`, raw };
    }),
  };
}

import { DEFAULT_PROMPT, renderPrompt } from '../teacher/params';

export const AUGMENT_KINDS = ['paraphrase', 'numbers', 'harder', 'translate'] as const;
export type AugmentKind = (typeof AUGMENT_KINDS)[number];

/** zh when a fifth or more of the letters are CJK ideographs (the same cut as curation's language check). */
export function isChinese(text: string): boolean {
  const cjk = (text.match(/[\u3400-\u9fff\uf900-\ufaff]/g) ?? []).length;
  const letters = (text.match(/[\p{L}]/gu) ?? []).length;
  return letters > 0 && cjk / letters >= 0.2;
}

const ONLY = 'Reply with the new problem only: do not solve it and do not give its answer.';

/** What the teacher is asked for each kind of variant. The answer is never asked for here: see `solvePrompt`. */
export function variantPrompt(kind: AugmentKind, question: string): string {
  switch (kind) {
    case 'paraphrase':
      return `Rewrite the following problem in different words. Keep every number, name, condition and the answer exactly the same. ${ONLY}\n\nProblem:\n${question}`;
    case 'numbers':
      return `Write a new version of the following problem with different numbers (and names where there are any), solved the same way but with a different answer. Check that the new problem is consistent and solvable. ${ONLY}\n\nProblem:\n${question}`;
    case 'harder':
      return `Write a harder version of the following problem: add exactly one more reasoning step or one more constraint, so that it stays well posed with a single answer. ${ONLY}\n\nProblem:\n${question}`;
    case 'translate':
      return isChinese(question)
        ? `Translate the following problem into English. Keep every formula, number and LaTeX command unchanged. Reply with the translation only.\n\nProblem:\n${question}`
        : `Translate the following problem into Simplified Chinese. Keep every formula, number and LaTeX command unchanged. Reply with the translation only.\n\nProblem:\n${question}`;
  }
}

/** A variant with new numbers or a new step has a new answer: the teacher solves it from scratch. */
export function solvePrompt(question: string): string {
  return renderPrompt(DEFAULT_PROMPT, { question, answer: null, domain: null, id: null });
}

/** The problem text out of a reply: without a "Problem:" heading, code fences or wrapping quotes. */
export function cleanVariant(reply: string): string {
  let s = reply.trim();
  s = s.replace(/^```[a-z]*\s*\n([\s\S]*?)\n```$/i, '$1').trim();
  s = s.replace(/^(?:\*\*)?(?:new |rewritten |harder |translated )?(?:problem|question|translation|题目|问题)(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*/i, '').trim();
  if (/^"[\s\S]*"$/.test(s) || /^“[\s\S]*”$/.test(s)) s = s.slice(1, -1).trim();
  return s;
}

import type { Verdict } from './types';

/**
 * A verdict in plain words for a domain expert: the checker's own reason ("symbolic: differs at
 * h,a,v≈0.7318 (5.13e+90 vs 0)") stays one click away. Knowing that the trace was cut at the token limit
 * turns "no final answer" or a wrong number into the real cause.
 */
export function plainVerdict(v: Verdict, finishReason: string | null): { key: string; answer: string } {
  const answer = (v.extracted ?? '').slice(0, 80);
  const cut = finishReason === 'length';
  const judge = v.method === 'judge';
  if (v.equivalent === true) return { key: judge ? 'correctJudge' : 'correct', answer };
  if (v.equivalent === false) return { key: judge ? 'wrongJudge' : cut ? 'wrongCut' : 'wrong', answer };
  if (v.extracted === null || /no final answer/i.test(v.reason)) return { key: cut ? 'cutNoAnswer' : 'noAnswer', answer };
  if (/^(answer|reference) refused|could not parse|nested|too large/i.test(v.reason)) return { key: 'unreadable', answer };
  return { key: 'undecided', answer };
}

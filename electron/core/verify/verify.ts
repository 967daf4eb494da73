import { checkEquivalence } from './equivalence';
import { judge } from './judge';
import type { JudgeOptions } from './judge';
import type { CheckOptions, Verdict } from './types';

export type VerifyOptions = CheckOptions & {
  /** 'fallback' (default): ask the judge only when the rules return null. */
  judge?: 'fallback' | 'always' | 'never';
  /** Endpoint settings; without them the judge is never called. */
  judgeConfig?: Omit<JudgeOptions, 'reference' | 'answer'>;
};

/** Rules first, then (as configured) the LLM judge. The judge sees the extracted answer when there is one. */
export async function verify(answer: string, reference: string, opts: VerifyOptions = {}): Promise<Verdict> {
  const mode = opts.judge ?? 'fallback';
  const rules = checkEquivalence(answer, reference, opts);
  if (mode === 'never' || !opts.judgeConfig) return rules;
  if (mode === 'fallback' && rules.equivalent !== null) return rules;
  const j = await judge({ ...opts.judgeConfig, reference, answer: rules.extracted ?? answer });
  if (j.equivalent === null && rules.equivalent !== null) {
    return { ...rules, reason: `${rules.reason}; ${j.reason}` };
  }
  return { ...j, extracted: rules.extracted, reason: rules.equivalent === null ? `${j.reason} (rules: ${rules.reason})` : j.reason };
}

import { judge } from './judge';
import type { JudgeOptions } from './judge';
import type { Verdict } from './types';

/**
 * Entry point for an integration test against a real OpenAI-compatible server (for example
 * `transformers serve`): checks the response format only, because a tiny model's Yes/No
 * carries no meaning. Returns the verdict plus whether the reply was well-formed.
 */
export async function judgeWithServer(
  baseUrl: string,
  model: string,
  extra: Partial<JudgeOptions> = {},
): Promise<{ verdict: Verdict; wellFormed: boolean }> {
  const verdict = await judge({ baseUrl, model, question: 'What is 1 + 1?', reference: '2', answer: '2', maxTokens: 16, ...extra });
  const wellFormed = verdict.method === 'judge' && !/HTTP|failed|empty reply/.test(verdict.reason);
  return { verdict, wellFormed };
}

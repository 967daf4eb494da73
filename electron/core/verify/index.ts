export { extractAnswer, choiceLetter } from './extract';
export { checkEquivalence } from './equivalence';
export { judge, judgeCacheKey, parseYesNo, renderJudgePrompt, MemoryJudgeCache, DEFAULT_JUDGE_PROMPT } from './judge';
export type { JudgeCache, JudgeOptions } from './judge';
export { verify } from './verify';
export type { VerifyOptions } from './verify';
export type { Verdict, VerdictMethod, CheckOptions, Extraction } from './types';
export { LIMITS } from './types';
export { judgeWithServer } from './judge-helpers';

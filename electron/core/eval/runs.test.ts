import { describe, expect, it } from 'vitest';
import { defaultAnswerTokens, normaliseConfig } from './runs';

describe('evaluation run defaults', () => {
  it('sizes the answer after forced thinking to the budgets: half the largest, 64 to 1,024', () => {
    expect(defaultAnswerTokens([32])).toBe(64);
    expect(defaultAnswerTokens([128, 512])).toBe(256);
    expect(defaultAnswerTokens([1024, 8192])).toBe(1024);
    const base = { models: [{ label: 'm', kind: 'onnx' as const, dir: '/m' }], benchmarks: ['aime24'] };
    expect(normaliseConfig({ ...base, budgets: [{ maxThinking: 200 }] }).maxAnswerTokens).toBe(100);
    expect(normaliseConfig({ ...base, budgets: [{ maxThinking: 200 }], maxAnswerTokens: 900 }).maxAnswerTokens).toBe(900);
  });
});

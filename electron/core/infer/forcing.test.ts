import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetForce, FINAL_CUE } from '../eval/forcing';
import { hasPython } from '../train/testing';
import { openInAppModel, type InAppModel, type InAppRequest, type InAppResult } from './index';
import { onnxModel } from './testing';

describe.skipIf(!hasPython())('budget forcing over the in-app engine', () => {
  let m: InAppModel;
  const calls: { req: InAppRequest; res: InAppResult }[] = [];

  beforeAll(async () => {
    m = await openInAppModel(onnxModel('tiny'), { threads: 1 });
    const plain = m.continue.bind(m);
    // Records every request the forcing makes, to check the engine's own counts too.
    m.continue = async (req: InAppRequest) => {
      const res = await plain(req);
      calls.push({ req, res });
      return res;
    };
  }, 1_800_000);
  afterAll(async () => {
    await m?.close();
  });

  it('never thinks one token past maxThinking, then forces the delimiter and the final-answer cue', async () => {
    for (const [maxThinking, temperature, seed] of [
      [1, 0, 0],
      [7, 0, 0],
      [40, 0, 0],
      [23, 1, 3],
      [64, 1, 9],
    ] as const) {
      calls.length = 0;
      const thinking: string[] = [];
      const r = await budgetForce(
        m,
        { question: 'What is 12 * 12?', maxThinking, maxAnswerTokens: 12, temperature, seed },
        { onThinking: (t) => thinking.push(t) },
      );
      expect(m.tokenizer.count(r.thinking)).toBeLessThanOrEqual(maxThinking);
      expect(r.thinkingTokens).toBeLessThanOrEqual(maxThinking);
      expect(r.thinkingTokens).toBe(m.tokenizer.count(r.thinking));
      // The stream may show a few tokens more by the tokenizer's recount (it shrinks once, when cut); its last state is the result.
      expect(thinking.at(-1)).toBe(r.thinking);
      // The engine never generated more than it was asked for, in any call.
      for (const c of calls) expect(c.res.completionTokens).toBeLessThanOrEqual(c.req.maxTokens);
      // Every thinking call asked for at most what was left of the budget.
      const thinkingCalls = calls.filter((c) => c.req.stop?.includes(m.template.thinkClose));
      expect(thinkingCalls.length).toBeGreaterThan(0);
      for (const c of thinkingCalls) expect(c.req.maxTokens).toBeLessThanOrEqual(maxThinking);
      if (r.hitBudget) {
        expect(r.answer.startsWith(FINAL_CUE)).toBe(true);
        const last = calls.at(-1)?.req.prompt ?? '';
        expect(last.endsWith(`${r.thinking}${m.template.thinkClose}\n\n${FINAL_CUE}`)).toBe(true);
      }
      expect(calls.at(-1)?.res.completionTokens).toBeLessThanOrEqual(12);
    }
  }, 600_000);
});

import { afterEach, describe, expect, it } from 'vitest';
import { completionGenerator } from '../chat/generator';
import { hasPython, tinyModel } from '../train/testing';
import { budgetForce, thinkingPrompt, truncateToTokens } from './forcing';
import { startCompletionsServer, type CompletionCall, type CompletionsServer } from './testing/completions-server';

const LONG = Array.from({ length: 120 }, (_, i) => `step ${i}: consider the value ${i * 7 % 13} and check it again.`).join(' ');

let server: CompletionsServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** Thinking phase: the prompt ends inside the thinking (no </think> after the last <think>). */
const inThinking = (c: CompletionCall) => c.prompt.lastIndexOf('</think>') < c.prompt.lastIndexOf('<think>');

describe.skipIf(!hasPython())('budget forcing against a scripted completions server (the tiny model\'s real tokenizer)', { timeout: 600_000 }, () => {
  const dir = hasPython() ? tinyModel() : '';

  async function gen(script: (c: CompletionCall) => string, overrun = 0) {
    const probe = completionGenerator({ baseUrl: 'http://127.0.0.1:9/v1', model: 'x' }, dir);
    server = await startCompletionsServer(probe.tokenizer, script, { overrun });
    return completionGenerator({ baseUrl: server.url, model: 'scripted' }, dir);
  }

  it('replaces an early </think> with "Wait" K times, then lets the model close and answer', async () => {
    const g = await gen((c) => (inThinking(c) ? 'Two plus two is four.\n</think>\n\nIgnored after stop' : 'The answer is \\boxed{4}.'));
    const waits: number[] = [];
    const r = await budgetForce(g, { question: 'What is 2+2?', maxThinking: 2000, minThinking: 1500, waits: 3, temperature: 0, seed: 1 }, { onWait: (n) => waits.push(n) });
    expect(r.waitsInserted).toBe(3);
    expect(waits).toEqual([1, 2, 3]);
    expect(r.hitBudget).toBe(false);
    expect(r.thinking.match(/\nWait/g)).toHaveLength(3);
    expect(r.thinking).not.toContain('</think>');
    expect(r.answer).toBe('The answer is \\boxed{4}.');
    const calls = server!.calls;
    // 4 thinking continuations (the first and one after each Wait), then the answer.
    expect(calls).toHaveLength(5);
    expect(calls.slice(0, 4).every((c) => c.stop.includes('</think>'))).toBe(true);
    expect(calls[1]!.prompt.endsWith('Two plus two is four.\n\nWait')).toBe(true);
    expect(calls[4]!.prompt.endsWith('</think>')).toBe(true);
    expect(calls[4]!.prompt).not.toContain('Final Answer:');
    expect(calls[0]!.prompt).toBe(thinkingPrompt(g, [{ role: 'user', content: 'What is 2+2?' }]));
    expect(calls[0]!.prompt.endsWith('<|im_start|>assistant\n<think>\n')).toBe(true);
    expect(r.thinkingTokens).toBe(g.tokenizer.count(r.thinking));
    expect(r.answerTokens).toBe(g.tokenizer.count(r.answer));
    expect(r.ttftMs).toBeGreaterThan(0);
    expect(r.tokensPerSecond).toBeGreaterThan(0);
  });

  it('stops inserting Waits once the minimum is reached', async () => {
    const g = await gen((c) => (inThinking(c) ? `${LONG.slice(0, 300)}\n</think>` : '\\boxed{1}'));
    const min = g.tokenizer.count(LONG.slice(0, 300)) + 5;
    const r = await budgetForce(g, { question: 'q', maxThinking: 5000, minThinking: min, waits: 4 });
    // The first close comes 5 tokens short of the minimum: one Wait, after which the model thinks past it.
    expect(r.waitsInserted).toBe(1);
    expect(server!.calls.filter(inThinking)).toHaveLength(2);
    expect(r.thinkingTokens).toBeGreaterThanOrEqual(min);
  });

  it('with no minimum an early close is kept and no Wait is added', async () => {
    const g = await gen((c) => (inThinking(c) ? 'short\n</think>' : '42'));
    const r = await budgetForce(g, { question: 'q', maxThinking: 500, waits: 4 });
    expect(r.waitsInserted).toBe(0);
    expect(r.thinking).toBe('short\n');
  });

  it('cuts a thought at exactly the budget and forces </think> and the "Final Answer:" cue', async () => {
    const g = await gen((c) => (inThinking(c) ? LONG : ' 17'));
    for (const max of [1, 7, 50, 333]) {
      server!.calls.length = 0;
      const r = await budgetForce(g, { question: 'Count.', maxThinking: max });
      expect(r.hitBudget).toBe(true);
      expect(r.thinkingTokens).toBe(max);
      expect(g.tokenizer.count(r.thinking)).toBe(max);
      expect(server!.calls[0]!.maxTokens).toBe(max);
      const last = server!.calls.at(-1)!;
      expect(last.prompt.endsWith(`${r.thinking}</think>\n\nFinal Answer:`)).toBe(true);
      expect(r.answer).toBe('Final Answer: 17');
    }
  });

  it('is never one token over, even when the server overruns max_tokens and after Waits', async () => {
    // The server writes 9 tokens more than asked: the engine recounts with the tokenizer and cuts.
    const g = await gen((c) => (inThinking(c) ? LONG : 'done'), 9);
    const r = await budgetForce(g, { question: 'q', maxThinking: 64 });
    expect(r.thinkingTokens).toBe(64);
    expect(g.tokenizer.count(r.thinking)).toBe(64);
    await server!.close();
    // Closes after ~20 tokens each time; Waits push it over the budget, which still holds exactly.
    const g2 = await gen((c) => (inThinking(c) ? `${LONG.slice(0, 60)}</think>` : 'x'));
    const r2 = await budgetForce(g2, { question: 'q', maxThinking: 64, minThinking: 64, waits: 10 });
    expect(r2.waitsInserted).toBeGreaterThan(0);
    expect(r2.thinkingTokens).toBeLessThanOrEqual(64);
    expect(g2.tokenizer.count(r2.thinking)).toBe(r2.thinkingTokens);
    expect(r2.thinkingTokens).toBe(64);
    expect(r2.hitBudget).toBe(true);
    expect(r2.answer.startsWith('Final Answer:')).toBe(true);
  });

  it('a zero budget skips thinking and answers at once', async () => {
    const g = await gen((c) => (inThinking(c) ? LONG : 'The answer is 3'));
    const r = await budgetForce(g, { question: 'q', maxThinking: 0 });
    expect(r.thinking).toBe('');
    expect(r.thinkingTokens).toBe(0);
    expect(server!.calls).toHaveLength(1);
    expect(server!.calls[0]!.prompt.endsWith('<think>\n</think>')).toBe(true);
    expect(r.answer).toBe('The answer is 3');
  });

  it('truncateToTokens never splits into more tokens than asked (multi-byte text)', () => {
    const g = completionGenerator({ baseUrl: 'http://127.0.0.1:9/v1', model: 'x' }, dir);
    const text = '答案是四十二。让我们再检查一遍：二加二等于四，四乘以十等于四十，再加二。😀😀😀';
    for (let max = 0; max < g.tokenizer.count(text) + 2; max++) {
      const t = truncateToTokens(g.tokenizer, text, max);
      expect(t.tokens).toBeLessThanOrEqual(max);
      expect(g.tokenizer.count(t.text)).toBe(t.tokens);
      expect(text.startsWith(t.text)).toBe(true);
    }
  });
});

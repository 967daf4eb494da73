/**
 * Budget forcing's overhead against plain generation, on this machine, over a real `transformers serve` with
 * the tiny test model (target ≤ 5 %): the same number of generated tokens, once as one plain completion and
 * once budget-forced (thinking to the budget, then "</think>" + "Final Answer:" and the answer). Prints
 * figures; asserts nothing. Run: `npx tsx electron/core/eval/bench.ts` (meant for `npm run bench:eval`).
 */
import { complete } from '../chat/complete';
import { completionGenerator } from '../chat/generator';
import { LocalServers } from '../localserve/manager';
import { tinyModel } from '../train/testing';
import { budgetForce, thinkingPrompt, truncateToTokens } from './forcing';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const dir = process.env.DISTILLERY_BENCH_MODEL ?? tinyModel();
  const servers = new LocalServers();
  try {
    const s = await servers.start(dir, { kind: 'transformers', device: (process.env.DISTILLERY_BENCH_DEVICE as 'cpu' | 'cuda' | 'auto' | undefined) ?? 'cpu', readyTimeoutMs: 600_000 });
    const gen = completionGenerator({ baseUrl: s.baseUrl, model: s.model }, dir);
    const target = { baseUrl: s.baseUrl, model: s.model };
    const question = 'Find the number of ordered pairs (a, b) of integers with a^2 + b^2 = 25.';
    const prompt = thinkingPrompt(gen, [{ role: 'user', content: question }]);
    const answer = 16;
    const reps = Number(process.env.DISTILLERY_BENCH_REPS ?? 3);
    await complete(target, { prompt, maxTokens: 8, temperature: 0 }); // warm-up
    console.log(`model ${dir} on ${s.kind} serve (${process.env.DISTILLERY_BENCH_DEVICE ?? 'cpu'}), ${reps} repetitions, medians`);
    for (const budget of [64, 256]) {
      const plain: number[] = [];
      const forced: number[] = [];
      let exact = true;
      let engineMs = 0;
      for (let i = 0; i < reps; i++) {
        const p = await complete(target, { prompt, maxTokens: budget + answer, temperature: 0 });
        const pt = gen.tokenizer.count(p.text);
        plain.push(p.totalMs / Math.max(1, pt));
        const t0 = performance.now();
        const r = await budgetForce(gen, { question, maxThinking: budget, maxAnswerTokens: answer, temperature: 0 });
        const ms = performance.now() - t0;
        forced.push(ms / Math.max(1, r.thinkingTokens + r.answerTokens));
        exact &&= r.thinkingTokens <= budget && gen.tokenizer.count(r.thinking) === r.thinkingTokens;
        const c0 = performance.now();
        truncateToTokens(gen.tokenizer, r.thinking + r.answer, budget);
        engineMs = performance.now() - c0;
      }
      const overhead = median(forced) / median(plain) - 1;
      console.log(
        `budget ${budget} + answer ${answer}: plain ${(1000 / median(plain)).toFixed(1)} tok/s, forced ${(1000 / median(forced)).toFixed(1)} tok/s, overhead ${(overhead * 100).toFixed(1)} % (target ≤ 5 %), tokenizer recount ${engineMs.toFixed(2)} ms, budget exact: ${exact}`,
      );
    }
  } finally {
    await servers.stopAll();
  }
}

await main();

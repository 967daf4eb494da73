// npm run bench:infer — the in-app engine (transformers.js + onnxruntime-node in a worker thread) against a
// plain Python onnxruntime loop on the same ONNX model, prompt, number of new tokens and thread count (greedy,
// KV cache): tokens/s of both and their ratio (target ≥ 0.9). Then the overhead of budget forcing over the
// engine against plain generation of the same number of tokens (target ≤ 5%).
//
// Rounds alternate the two sides so that a busy machine slows both alike; the best round of each side counts.
// Tokens per CPU-second (process CPU time, every thread) are printed too: on a shared machine they move less
// than wall-clock figures. The model is the worker's random Qwen2 "small" model (~30M parameters; nothing is
// downloaded), exported with `export-onnx` and cached in the temp folder.
// The engine runs where the app runs it: in a child process (with glibc's huge pages on Linux; host.ts says why),
// or with BENCH_HOST=thread in a worker thread of this process. CPU time counts both processes.
// Settings: BENCH_SIZE (small|tiny), BENCH_THREADS (1), BENCH_TOKENS (256), BENCH_ROUNDS (6), BENCH_THINKING (256),
// BENCH_HOST (process|thread).
import os from 'node:os';
import { budgetForce } from '../electron/core/eval/forcing';
import { openInAppModel, type InAppRequest } from '../electron/core/infer';
import { onnxModel, ortReference } from '../electron/core/infer/testing';

const SIZE = (process.env.BENCH_SIZE ?? 'small') as 'small' | 'tiny';
const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 256);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 6));
const THINKING = Number(process.env.BENCH_THINKING ?? 256);
const HOST = (process.env.BENCH_HOST ?? 'process') as 'process' | 'thread';
const ANSWER = 32;

interface Run {
  wallMs: number;
  cpuMs: number;
  firstMs: number;
  tokens: number;
}

const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
const bestBy = (xs: Run[], key: (r: Run) => number) => xs.reduce((a, b) => (key(b) < key(a) ? b : a));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const tps = (r: Run) => r.tokens / (r.wallMs / 1000);
const decodeTps = (r: Run) => (r.tokens - 1) / ((r.wallMs - r.firstMs) / 1000);
const cpuTps = (r: Run) => r.tokens / (r.cpuMs / 1000);

let t = performance.now();
const dir = onnxModel(SIZE);
console.log(`model: ${dir} (${SIZE}; ready in ${((performance.now() - t) / 1000).toFixed(1)} s)`);
console.log(`machine: ${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; ${THREADS} intra-op thread(s); engine host: ${HOST}`);

const m = await openInAppModel(dir, { threads: THREADS, host: HOST });
/** CPU time of a generation: this process's, plus the engine's when it runs in a child process. */
const engineCpu = (r: { cpuMs: number }) => (HOST === 'process' ? r.cpuMs : 0);
const question = 'Find the remainder when 2^100 is divided by 7. Reason step by step.';
const prompt = `${m.template.render([{ role: 'user', content: question }], { addGenerationPrompt: true })}${m.template.thinkOpen}\n`;

// 1. Plain greedy generation, the same tokens on both sides.
await m.continue({ prompt, maxTokens: 8, temperature: 0, reuseCache: false }); // warm-up
const js: Run[] = [];
const py: Run[] = [];
let same = true;
let promptTokens = 0;
for (let i = 0; i < ROUNDS; i++) {
  const c0 = process.cpuUsage();
  const r = await m.continue({ prompt, maxTokens: TOKENS, temperature: 0, ignoreEos: true, reuseCache: false });
  js.push({ wallMs: r.totalMs, cpuMs: cpuMs(process.cpuUsage(c0)) + engineCpu(r), firstMs: r.firstTextMs ?? 0, tokens: r.completionTokens });
  promptTokens = r.promptTokens;
  const ref = ortReference(dir, prompt, TOKENS, { threads: THREADS, ignoreEos: true, repeat: 2 });
  for (const x of ref.runs) py.push({ wallMs: x.total_ms, cpuMs: x.cpu_ms, firstMs: x.first_ms, tokens: x.tokens });
  same &&= r.tokenIds.length === ref.ids.length && r.tokenIds.every((id, k) => id === ref.ids[k]);
}
const jb = bestBy(js, (r) => r.wallMs);
const pb = bestBy(py, (r) => r.wallMs);
const jc = bestBy(js, (r) => r.cpuMs);
const pc = bestBy(py, (r) => r.cpuMs);
console.log(`\nplain greedy generation: prompt ${promptTokens} tokens, ${TOKENS} new tokens, KV cache; ${ROUNDS} alternating rounds`);
console.log('                         tokens/s best   median   decode tokens/s   first token ms   tokens/CPU-s best');
const row = (name: string, b: Run, all: Run[], c: Run) =>
  console.log(
    `  ${name.padEnd(21)}  ${fmt(tps(b)).padStart(13)}  ${fmt(median(all.map(tps))).padStart(7)}   ${fmt(decodeTps(b)).padStart(15)}   ${fmt(b.firstMs).padStart(14)}   ${fmt(cpuTps(c)).padStart(17)}`,
  );
row('in-app engine (Node)', jb, js, jc);
row('Python onnxruntime', pb, py, pc);
console.log(
  `  ${'ratio engine / Python'.padEnd(21)}  ${fmt(tps(jb) / tps(pb), 3).padStart(13)}  ${fmt(median(js.map(tps)) / median(py.map(tps)), 3).padStart(7)}   ${fmt(decodeTps(jb) / decodeTps(pb), 3).padStart(15)}   ${''.padStart(14)}   ${fmt(cpuTps(jc) / cpuTps(pc), 3).padStart(17)}   (target ≥ 0.9)`,
);
console.log(`  same greedy tokens on both sides: ${same ? 'yes' : 'NO'}`);

// 2. Budget forcing against plain generation of as many tokens, alternating.
const plainContinue = m.continue.bind(m);
let engineTokens = 0;
let engineCpuMs = 0;
let calls = 0;
let lastReuse = '';
const counted = async (req: InAppRequest) => {
  const r = await plainContinue(req);
  engineTokens += r.completionTokens;
  engineCpuMs += engineCpu(r);
  calls++;
  lastReuse = `${r.reusedTokens} of its ${r.promptTokens} prompt tokens`;
  return r;
};
const forced: (Run & { calls: number; thinking: number; answer: number; reuse: string })[] = [];
const plain: Run[] = [];
for (let i = 0; i <= ROUNDS; i++) {
  engineTokens = 0;
  engineCpuMs = 0;
  calls = 0;
  m.continue = counted;
  let c0 = process.cpuUsage();
  t = performance.now();
  const r = await budgetForce(m, { question, maxThinking: THINKING, maxAnswerTokens: ANSWER, temperature: 0 });
  const f = { wallMs: performance.now() - t, cpuMs: cpuMs(process.cpuUsage(c0)) + engineCpuMs, firstMs: r.ttftMs ?? 0, tokens: engineTokens, calls, thinking: r.thinkingTokens, answer: r.answerTokens, reuse: lastReuse };
  m.continue = plainContinue;
  c0 = process.cpuUsage();
  t = performance.now();
  const p = await m.continue({ prompt, maxTokens: engineTokens, temperature: 0, ignoreEos: true });
  const pr = { wallMs: performance.now() - t, cpuMs: cpuMs(process.cpuUsage(c0)) + engineCpu(p), firstMs: p.firstTextMs ?? 0, tokens: p.completionTokens };
  if (i === 0) continue; // warm-up round
  forced.push(f);
  plain.push(pr);
}
const fb = forced.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
const plb = bestBy(plain, (r) => r.wallMs);
const fc = Math.min(...forced.map((r) => r.cpuMs));
const plc = Math.min(...plain.map((r) => r.cpuMs));
console.log(`\nbudget forcing (max thinking ${THINKING}, answer ≤ ${ANSWER} tokens, greedy) against plain generation; ${ROUNDS} alternating rounds`);
console.log(`  forcing: best ${fmt(fb.wallMs, 0)} ms wall, ${fmt(fc, 0)} ms CPU for ${fb.tokens} generated tokens in ${fb.calls} engine calls (thinking ${fb.thinking} tokens by the tokenizer, answer ${fb.answer})`);
console.log(`  the answer call took ${fb.reuse} from the kept KV cache (reused by text: the thinking sent back keeps the ids the model generated; the rest is the forced delimiter and cue)`);
console.log(`  plain:   best ${fmt(plb.wallMs, 0)} ms wall, ${fmt(plc, 0)} ms CPU for ${plb.tokens} tokens in one call`);
console.log(`  overhead: ${fmt((fb.wallMs / plb.wallMs - 1) * 100)}% wall, ${fmt((fc / plc - 1) * 100)}% CPU (target ≤ 5%)`);
await m.close();

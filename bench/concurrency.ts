// npm run bench:concurrency — does `--concurrency auto` find a server's knee? Against a scripted server whose
// throughput saturates at a known concurrency and then falls (bench/saturating-server.ts), the real
// generation job runs at fixed concurrencies, then on `auto`; printed: the best fixed concurrency and its
// tokens/s, auto's settled tokens/s as a ratio to it (target ≥ 0.8), and the highest limit auto ever tried
// (target ≤ 2× the best fixed concurrency), with every move of the limit and its reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { JobRunner } from '../electron/core/jobs';
import { createProject } from '../electron/core/store/project';
import { generateKind, startOrResume } from '../electron/core/teacher/generate';
import { saveTeacher } from '../electron/core/teacher/store';

const FIXED = (process.env.BENCH_FIXED ?? '2,4,8,12,16,24,32').split(',').map(Number);
const FIXED_SECONDS = Number(process.env.BENCH_FIXED_SECONDS ?? 6);
const AUTO_SECONDS = Number(process.env.BENCH_AUTO_SECONDS ?? 45);
const WARMUP_SECONDS = 3;
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

interface Run {
  tokensPerSec: number;
  limits: { t: number; limit: number; reason: string }[];
}

async function runJob(port: number, dir: string, concurrency: number | 'auto', seconds: number, measureFrom: number): Promise<Run> {
  const project = createProject(path.join(dir, `p-${concurrency}`));
  const put = project.db.prepare("INSERT INTO questions (question, source, created_at) VALUES (?, 'bench', 'now')");
  project.db.transaction(() => {
    for (let i = 0; i < 5_000; i++) put.run(`Bench question ${i}`);
  })();
  // A batching server (preset vllm): the cap for single-process local servers must not hide the controller.
  saveTeacher(project.db, { name: 'bench', preset: 'vllm', baseUrls: [`http://127.0.0.1:${port}/v1`], model: 'saturating' });
  const runner = new JobRunner(project).register(generateKind);
  const { jobId } = startOrResume(runner, { teacher: 'bench', concurrency, maxTokens: 120 });
  const streamed = () => Number(runner.progress(jobId).extra.streamed_tokens ?? 0);
  const limits: Run['limits'] = [];
  const t0 = performance.now();
  const poll = setInterval(() => {
    const x = runner.progress(jobId).extra;
    const limit = Number(x.concurrency ?? 0);
    const prev = limits.at(-1);
    if (!prev || prev.limit !== limit) limits.push({ t: (performance.now() - t0) / 1000, limit, reason: String(x.concurrency_reason ?? '') });
  }, 100);
  await sleep(measureFrom);
  const n0 = streamed();
  const tA = performance.now();
  await sleep(seconds - measureFrom);
  const n1 = streamed();
  const tB = performance.now();
  clearInterval(poll);
  await runner.close();
  project.close();
  return { tokensPerSec: ((n1 - n0) / (tB - tA)) * 1000, limits };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-bench-conc-'));
  const server = execa('node', ['--import', 'tsx', path.join(import.meta.dirname, 'saturating-server.ts')], { stdout: 'pipe', reject: false });
  const info = await new Promise<{ port: number; capacity: number; perStream: number }>((resolve, reject) => {
    server.stdout?.once('data', (b: Buffer) => resolve(JSON.parse(b.toString()) as { port: number; capacity: number; perStream: number }));
    server.catch(reject);
  });
  try {
    const fixed: { c: number; tps: number }[] = [];
    for (const c of FIXED) {
      const r = await runJob(info.port, dir, c, WARMUP_SECONDS + FIXED_SECONDS, WARMUP_SECONDS);
      fixed.push({ c, tps: r.tokensPerSec });
      process.stderr.write(`fixed ${c}: ${r.tokensPerSec.toFixed(0)} tok/s\n`);
    }
    const best = fixed.reduce((a, b) => (b.tps > a.tps ? b : a));
    // Auto starts at 8 and has to find the knee; "settled" is its throughput over the second half.
    const auto = await runJob(info.port, dir, 'auto', AUTO_SECONDS, AUTO_SECONDS / 2);
    const highest = Math.max(...auto.limits.map((l) => l.limit));
    const ratio = auto.tokensPerSec / best.tps;
    console.log(`\nbench:concurrency — scripted server: ${info.perStream} tok/s per stream up to ${info.capacity} streams, falling past it; ${os.cpus().length} cores`);
    console.log('| concurrency | tok/s |');
    console.log('|---|---|');
    for (const f of fixed) console.log(`| ${f.c} | ${f.tps.toFixed(0)} |`);
    console.log(`| auto (settled, last ${AUTO_SECONDS / 2} s) | ${auto.tokensPerSec.toFixed(0)} |`);
    console.log(`\nLimit moves on auto: ${auto.limits.map((l) => `${l.t.toFixed(1)}s→${l.limit}${l.reason ? ` (${l.reason})` : ''}`).join(', ')}`);
    console.log(`Best fixed: ${best.c} streams, ${best.tps.toFixed(0)} tok/s. Auto settled at ${ratio.toFixed(3)}× of it (target ≥ 0.80); highest limit tried ${highest} = ${(highest / best.c).toFixed(2)}× the best concurrency (target ≤ 2).`);
  } finally {
    server.kill('SIGTERM');
    await server;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();

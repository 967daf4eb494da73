// npm run bench:generate — the generation client's highest sustained streamed tokens/s with everything
// persisted (the real job, SQLite, one transaction per item), its CPU per 1,000 tokens, and the same
// figures for a minimal raw HTTP loop against the same server in the same run.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { JobRunner } from '../electron/core/jobs';
import { createProject } from '../electron/core/store/project';
import { generateKind, startOrResume } from '../electron/core/teacher/generate';
import { saveTeacher } from '../electron/core/teacher/store';
import { captureDir, capturedSummary } from '../electron/core/teacher/logprobs-store';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 512);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATES = (process.env.BENCH_RATES ?? '40,60,80').split(',').map(Number);
const MAX_TOKENS = Number(process.env.BENCH_MAX_TOKENS ?? 200);

interface Figure {
  tokensPerSec: number;
  cpuMsPer1k: number;
}

let projects = 0;
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/** The floor: N loops that POST and count SSE events, nothing else. */
async function rawLoop(port: number, rate: number): Promise<Figure> {
  let tokens = 0;
  let counting = false;
  let stop = false;
  const body = JSON.stringify({ model: `rate-${rate}`, messages: [{ role: 'user', content: 'q' }], stream: true, max_tokens: MAX_TOKENS });
  const one = () =>
    new Promise<void>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/v1/chat/completions', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        res.on('data', (b: Buffer) => {
          if (!counting) return;
          let i = -1;
          while ((i = b.indexOf('"delta":{"', i + 1)) >= 0) tokens++;
        });
        res.on('end', resolve);
        res.on('error', () => resolve());
      });
      req.on('error', () => resolve());
      req.end(body);
    });
  const loops = Array.from({ length: STREAMS }, async () => {
    while (!stop) await one();
  });
  return measure(
    rate,
    () => tokens,
    (on) => (counting = on),
    async () => {
      stop = true;
      await Promise.all(loops);
    },
  );
}

async function measure(rate: number, count: () => number, setCounting: (on: boolean) => void, finish: () => Promise<void>): Promise<Figure> {
  // Warm up past the first generation of streams, so that starts and finishes are spread out as in a long job.
  await new Promise((r) => setTimeout(r, (MAX_TOKENS / rate + 2) * 1000));
  setCounting(true);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const n0 = count();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const n1 = count();
  const t1 = performance.now();
  const c = process.cpuUsage(c0);
  await finish();
  const n = n1 - n0;
  return { tokensPerSec: (n / (t1 - t0)) * 1000, cpuMsPer1k: n ? (c.user + c.system) / 1000 / (n / 1000) : 0 };
}

async function fullJob(port: number, rate: number, dir: string, logprobs?: number): Promise<Figure & { persisted: number; bytesPer1k?: number }> {
  const project = createProject(path.join(dir, `p-${rate}-${logprobs ?? 0}-${++projects}`));
  const put = project.db.prepare("INSERT INTO questions (question, source, created_at) VALUES (?, 'bench', 'now')");
  project.db.transaction(() => {
    for (let i = 0; i < 20_000; i++) put.run(`Bench question ${i}: what is ${i} + ${i}?`);
  })();
  saveTeacher(project.db, { name: 'bench', baseUrls: [`http://127.0.0.1:${port}/v1`], model: `rate-${rate}` });
  const runner = new JobRunner(project).register(generateKind);
  const { jobId } = startOrResume(runner, { teacher: 'bench', concurrency: STREAMS, maxTokens: MAX_TOKENS, ...(logprobs ? { logprobs } : {}) });
  let inFlight = 0;
  const streamed = () => {
    const x = runner.progress(jobId).extra;
    inFlight = Number(x.in_flight ?? 0);
    return Number(x.streamed_tokens ?? 0);
  };
  const persistedAt = () => project.db.prepare("SELECT COALESCE(SUM(thinking_tokens + answer_tokens), 0) FROM traces WHERE status = 'done'").pluck().get() as number;
  // The job's figure counts only tokens committed to SQLite inside the window: streamed and persisted.
  let s0 = 0;
  let s1 = 0;
  const fig = await measure(
    rate,
    () => {
      const v = persistedAt();
      if (!s0) s0 = streamed();
      else s1 = streamed();
      return v;
    },
    () => undefined,
    async () => {
      await runner.close();
    },
  );
  const persisted = Math.round((s1 - s0) / SECONDS);
  let bytesPer1k: number | undefined;
  if (logprobs) {
    // every byte the capture wrote (shards, index, meta) per 1,000 captured tokens
    const cap = captureDir(project.artifactsDir, jobId);
    const bytes = fs.readdirSync(cap).reduce((a, f) => a + fs.statSync(path.join(cap, f)).size, 0);
    bytesPer1k = (bytes / Math.max(1, capturedSummary(cap).tokens)) * 1000;
  }
  project.close();
  process.stderr.write(`  in flight at the end of the window: ${inFlight}\n`);
  return { ...fig, persisted, bytesPer1k };
}

/**
 * The job with and without `--logprobs K`, alternately, in this process against the same server: tok/s (persisted),
 * CPU per 1,000 tokens, and the capture's bytes per 1,000 tokens.
 */
async function logprobOverhead(port: number, dir: string): Promise<string[]> {
  const rate = Number(process.env.BENCH_LOGPROB_RATE ?? RATES[0]);
  const out: string[] = [];
  for (const k of (process.env.BENCH_LOGPROBS ?? '5,20').split(',').map(Number)) {
    const off = await fullJob(port, rate, dir);
    const on = await fullJob(port, rate, dir, k);
    const ratio = on.tokensPerSec / off.tokensPerSec;
    out.push(
      `| ${String(k).padStart(2)} | ${String(rate * STREAMS).padStart(7)} | ${off.tokensPerSec.toFixed(0).padStart(7)} | ${on.tokensPerSec.toFixed(0).padStart(7)} | ${ratio.toFixed(3)} | ${off.cpuMsPer1k.toFixed(2)} | ${on.cpuMsPer1k.toFixed(2)} | ${(on.bytesPer1k ?? 0).toFixed(0)} |`,
    );
    process.stderr.write(`logprobs ${k}: ${off.tokensPerSec.toFixed(0)} → ${on.tokensPerSec.toFixed(0)} tok/s (${ratio.toFixed(3)}), ${(on.bytesPer1k ?? 0).toFixed(0)} bytes per 1,000 tokens\n`);
  }
  return out;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-bench-'));
  const server = execa('node', ['--import', 'tsx', path.join(import.meta.dirname, 'stream-server.ts')], { stdout: 'pipe', reject: false });
  const port = await new Promise<number>((resolve, reject) => {
    server.stdout?.once('data', (b: Buffer) => resolve((JSON.parse(b.toString()) as { port: number }).port));
    server.catch(reject);
  });
  const rows: string[] = [];
  let lpRows: string[] = [];
  let best = 0;
  let ratioAtBest = 0;
  try {
    if (process.env.BENCH_ONLY !== 'table') lpRows = await logprobOverhead(port, dir);
    for (const rate of process.env.BENCH_ONLY === 'logprobs' ? [] : RATES) {
      const offered = rate * STREAMS;
      // BENCH_ONLY=job|raw runs one side (for profiling); the table then shows 0 for the other.
      const only = process.env.BENCH_ONLY;
      const raw = only === 'job' ? { tokensPerSec: 0, cpuMsPer1k: 0 } : await rawLoop(port, rate);
      const full = only === 'raw' ? { tokensPerSec: 0, cpuMsPer1k: 0, persisted: 0 } : await fullJob(port, rate, dir);
      const ratio = full.tokensPerSec / raw.tokensPerSec;
      const sustained = full.tokensPerSec >= 0.95 * offered;
      if (sustained && full.tokensPerSec > best) {
        best = full.tokensPerSec;
        ratioAtBest = ratio;
      }
      rows.push(
        `| ${String(rate).padStart(4)} | ${String(offered).padStart(7)} | ${raw.tokensPerSec.toFixed(0).padStart(7)} | ${raw.cpuMsPer1k.toFixed(2).padStart(6)} | ${full.tokensPerSec.toFixed(0).padStart(7)} | ${String(full.persisted).padStart(9)} | ${full.cpuMsPer1k.toFixed(2).padStart(6)} | ${ratio.toFixed(3)} | ${sustained ? 'yes' : 'no '} |`,
      );
      process.stderr.write(`rate ${rate}: raw ${raw.tokensPerSec.toFixed(0)} tok/s, job ${full.tokensPerSec.toFixed(0)} tok/s\n`);
    }
  } finally {
    server.kill('SIGTERM');
    await server;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nbench:generate — ${STREAMS} concurrent streams, ${SECONDS} s per measurement, ${os.cpus().length} cores, Node ${process.version}`);
  if (rows.length) {
    console.log('| tok/s/stream | offered | raw tok/s | raw CPU ms/1k | job tok/s | streamed (live counter) tok/s | job CPU ms/1k | job/raw | sustained |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);
  }
  if (lpRows.length) {
    console.log('\nLogprob capture (generate --logprobs K), same server, same process: job without vs with capture');
    console.log('| K | offered tok/s | tok/s without | tok/s with | with/without | CPU ms/1k without | CPU ms/1k with | capture bytes/1k tokens |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const r of lpRows) console.log(r);
    console.log('Target: with/without ≥ 0.90 (capture overhead ≤ 10%).');
  }
  if (!rows.length) return;
  console.log(`\nHighest sustained with everything persisted: ${best.toFixed(0)} tokens/s (target ≥ 20,000); job/raw at that rate: ${ratioAtBest.toFixed(3)} (target ≥ 0.95).`);
}

await main();

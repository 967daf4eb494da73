// npm run bench:env-card — the Environment card's first visit: what it waits for before showing anything.
//   before (env.check): the full probe, `python -m distillery_worker env --json` (imports torch), nothing cached;
//   after (env.facts): the preflight's fast probe (installed metadata, nothing imported) plus the full check's cache.
// Each run uses a fresh config folder and force=true, so no earlier answer helps. Uses the project's .venv (or DISTILLERY_PYTHON).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../electron/core/engine';
import { appRouter } from '../electron/core/api/router';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-bench-env-'));
  const api = appRouter.createCaller({ engine: new Engine({ mode: 'cli' }) });
  const time = async (f: () => Promise<unknown>) => {
    const t = performance.now();
    await f();
    return performance.now() - t;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  try {
    console.log(`Environment card first visit on ${os.cpus().length} CPU(s), ${os.cpus()[0]?.model ?? 'unknown CPU'}`);
    const before: number[] = [];
    const after: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      process.env.DISTILLERY_CONFIG_DIR = path.join(dir, `config-${i}`);
      after.push(await time(() => api.env.facts({ force: true })));
      before.push(await time(() => api.env.check({ force: true })));
      console.log(`run ${i + 1}: before (env.check, torch imported) ${before[i]?.toFixed(0)} ms; after (env.facts) ${after[i]?.toFixed(0)} ms`);
    }
    console.log(`median: before ${median(before).toFixed(0)} ms, after ${median(after).toFixed(0)} ms`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();

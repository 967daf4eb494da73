// npm run bench:doctor — how long the preflight takes (target: under 2 s). A project with a model folder and a
// teacher on loopback; printed: the doctor's own elapsed_ms and the wall time of each run.
//   cold: `distillery doctor PROJECT --json` in a fresh process each time (nothing cached in memory: the Python
//         probe runs), 3 runs; the wall time includes starting Node and tsx, elapsed_ms is the doctor alone.
//   warm: runDoctor in this process after a first run (the session's cached probe), 3 runs.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { execa } from 'execa';
import { runDoctor } from '../electron/core/doctor/doctor';
import { createProject } from '../electron/core/store/project';
import { saveTeacher } from '../electron/core/teacher/store';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const root = path.resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-bench-doctor-'));
  const server = http.createServer((_q, r) => r.end(JSON.stringify({ data: [{ id: 'teacher' }] })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  // A config folder of its own: nothing from earlier sessions (the full probe's disk cache) helps.
  const env = { ...process.env, DISTILLERY_CONFIG_DIR: path.join(dir, 'config') };
  process.env.DISTILLERY_CONFIG_DIR = env.DISTILLERY_CONFIG_DIR;
  try {
    const project = createProject(path.join(dir, 'project'));
    const model = path.join(dir, 'model');
    fs.mkdirSync(model);
    for (const f of ['config.json', 'tokenizer.json', 'model.safetensors']) fs.writeFileSync(path.join(model, f), '{}');
    saveTeacher(project.db, { name: 'local', baseUrls: [`http://127.0.0.1:${port}/v1`], model });
    console.log(`doctor on ${os.cpus().length} CPU(s), ${os.cpus()[0]?.model ?? 'unknown CPU'}; project ${project.dir}`);

    const cold: { elapsed: number; wall: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const r = await execa(process.execPath, [path.join(root, 'bin', 'distillery.mjs'), 'doctor', project.dir, '--json'], { env, reject: false });
      const wall = performance.now() - t;
      const rep = JSON.parse(String(r.stdout)) as { elapsed_ms: number; status: string; checks: { id: string; status: string }[] };
      cold.push({ elapsed: rep.elapsed_ms, wall });
      console.log(`cold ${i + 1}: elapsed_ms ${rep.elapsed_ms}, wall ${wall.toFixed(0)} ms (process start included); status ${rep.status}: ${rep.checks.map((c) => `${c.id}=${c.status}`).join(' ')}`);
    }

    await runDoctor({ db: project.db, projectDir: project.dir }); // the session's first run fills the cache
    const warm: { elapsed: number; wall: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const rep = await runDoctor({ db: project.db, projectDir: project.dir });
      const wall = performance.now() - t;
      warm.push({ elapsed: rep.elapsed_ms, wall });
      console.log(`warm ${i + 1}: elapsed_ms ${rep.elapsed_ms}, wall ${wall.toFixed(0)} ms`);
    }
    const stat = (xs: number[]) => `median ${[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]?.toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
    console.log(`cold elapsed_ms: ${stat(cold.map((c) => c.elapsed))}; cold wall: ${stat(cold.map((c) => c.wall))}`);
    console.log(`warm elapsed_ms: ${stat(warm.map((c) => c.elapsed))}; warm wall: ${stat(warm.map((c) => c.wall))}`);
    console.log(`target: under 2000 ms for the doctor itself -> cold ${Math.max(...cold.map((c) => c.elapsed)) < 2000 ? 'met' : 'NOT met'}, warm ${Math.max(...warm.map((c) => c.elapsed)) < 2000 ? 'met' : 'NOT met'}`);
    project.close();
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();

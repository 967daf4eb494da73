import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine';
import { appRouter } from './router';

// A stand-in interpreter in a venv layout: a real child process that logs how it was invoked and answers the fast
// probe (`-I -c SCRIPT`) and the full, torch-importing one (`-m distillery_worker env --json`).
let dir: string;
let log: string;
const saved = { ...process.env };
const engine = new Engine({ mode: 'cli' });
const api = appRouter.createCaller({ engine });

function fakeVenv(): string {
  const venv = path.join(dir, 'venv');
  fs.mkdirSync(path.join(venv, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(venv, 'lib', 'python3.11', 'site-packages'), { recursive: true });
  fs.writeFileSync(path.join(venv, 'pyvenv.cfg'), 'version_info = 3.11.7\n');
  const exe = path.join(venv, 'bin', 'python');
  const quick = { python: '3.11.7', executable: exe, torch: '2.15.0', cuda_version: '12.4', libraries: { transformers: '5' }, deepspeed: null };
  const full = { python: '3.11.7', executable: exe, torch: '2.15.0', cuda_available: true, cuda_version: '12.4', gpus: [{ index: 0, name: 'Stand-in GPU', memory_gib: 80 }], libraries: { transformers: '5' } };
  fs.writeFileSync(
    exe,
    `#!/bin/sh\nif [ "$1" = "-m" ]; then echo full >> '${log}'; echo '${JSON.stringify(full)}'; else echo quick >> '${log}'; echo '${JSON.stringify(quick)}'; fi\n`,
    { mode: 0o755 },
  );
  return exe;
}
const spawned = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-env-api-'));
  log = path.join(dir, 'spawned.txt');
  process.env.DISTILLERY_CONFIG_DIR = path.join(dir, 'config');
  process.env.DISTILLERY_PYTHON = fakeVenv();
});
afterAll(() => {
  process.env = { ...saved };
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('env.facts (the Environment card) and env.check (the CUDA check)', () => {
  it('the card answers from the fast probe without spawning the torch probe; the full check runs only when asked, then is shown from its cache', async () => {
    const first = await api.env.facts();
    expect(first.quick).toMatchObject({ ok: true, python: '3.11.7', torch: '2.15.0', cuda_version: '12.4', libraries: { transformers: '5' } });
    expect(first.full).toBeNull();
    expect(spawned()).toEqual(['quick']);
    // "Check again" re-reads the fast facts; still no torch import.
    await api.env.facts({ force: true });
    expect(spawned()).toEqual(['quick', 'quick']);

    // "Check that CUDA works" (and Train, through checkPythonEnv) run the full probe once.
    const full = await api.env.check();
    expect(full).toMatchObject({ ok: true, cuda_available: true, gpus: [{ name: 'Stand-in GPU' }], cached: false });
    expect(spawned()).toEqual(['quick', 'quick', 'full']);

    // The next visit shows the full answer from the cache, spawning nothing new.
    const next = await api.env.facts();
    expect(next.full).toMatchObject({ ok: true, cuda_available: true, cached: true });
    expect(next.quick.cached).toBe(true);
    expect(spawned()).toEqual(['quick', 'quick', 'full']);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { appRoot } from '../util/root';

export interface PythonEnv {
  ok: boolean;
  python: string | null;
  executable: string | null;
  torch: string | null;
  cuda_available: boolean;
  cuda_version: string | null;
  gpus: { index: number; name: string; memory_gib: number }[];
  libraries: Record<string, string | null>;
  error: string | null;
}

/** The Python that runs the worker: DISTILLERY_PYTHON, else the project's `.venv` made by `npm run setup:python`. */
export function pythonExecutable(): string {
  if (process.env.DISTILLERY_PYTHON) return process.env.DISTILLERY_PYTHON;
  const bin = process.platform === 'win32' ? path.join('.venv', 'Scripts', 'python.exe') : path.join('.venv', 'bin', 'python');
  return path.join(appRoot(), bin);
}

let cache: { at: number; env: PythonEnv } | undefined;

/** Runs `python -m distillery_worker env --json` (the environment check), cached for a minute. */
export async function checkPythonEnv(force = false): Promise<PythonEnv> {
  if (!force && cache && Date.now() - cache.at < 60_000) return cache.env;
  const exe = pythonExecutable();
  const empty: PythonEnv = { ok: false, python: null, executable: exe, torch: null, cuda_available: false, cuda_version: null, gpus: [], libraries: {}, error: null };
  if (!fs.existsSync(exe)) {
    return { ...empty, error: `No Python environment at ${exe}. Run "npm run setup:python" (or set DISTILLERY_PYTHON) to create it.` };
  }
  try {
    const r = await execa(exe, ['-m', 'distillery_worker', 'env', '--json'], { timeout: 120_000, reject: false, env: { HF_HUB_OFFLINE: '1' } });
    if (r.exitCode !== 0) return { ...empty, error: `The environment check failed (exit ${r.exitCode}): ${String(r.stderr).trim().split('\n').pop() ?? ''}` };
    const parsed = JSON.parse(String(r.stdout)) as Omit<PythonEnv, 'ok' | 'error'>;
    const env: PythonEnv = { ...empty, ...parsed, ok: true, error: null };
    cache = { at: Date.now(), env };
    return env;
  } catch (e) {
    return { ...empty, error: `The environment check could not run: ${(e as Error).message}` };
  }
}

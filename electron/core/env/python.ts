import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { childEnv } from '../egress/child-env';
import { configDir } from '../util/paths';
import { mkdirPrivate, writePrivateFile } from '../util/private-fs';
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
  /** When the probe behind this answer ran (ISO time); older than now when it came from the cache. */
  checked_at?: string;
  cached?: boolean;
}

/** The Python that runs the worker: DISTILLERY_PYTHON, else the project's `.venv` made by `npm run setup:python`. */
export function pythonExecutable(): string {
  if (process.env.DISTILLERY_PYTHON) return process.env.DISTILLERY_PYTHON;
  const bin = process.platform === 'win32' ? path.join('.venv', 'Scripts', 'python.exe') : path.join('.venv', 'bin', 'python');
  return path.join(appRoot(), bin);
}

/**
 * What identifies an installed environment: the interpreter's real path and the modification times of
 * the venv's pyvenv.cfg, its site-packages folders and setup's stamp. Installing or removing a package
 * changes site-packages' mtime, so the key changes exactly when the probe's answer could.
 */
export function envKey(exe: string): string | null {
  let real: string;
  try {
    real = fs.realpathSync(exe);
  } catch {
    return null;
  }
  const venv = path.dirname(path.dirname(exe));
  const parts = [exe, real];
  const mtime = (p: string) => {
    try {
      parts.push(`${p}@${fs.statSync(p).mtimeMs}`);
    } catch {
      // absent in this layout (a system Python, Windows): the other parts still key it
    }
  };
  mtime(real);
  mtime(path.join(venv, 'pyvenv.cfg'));
  mtime(path.join(venv, '.distillery-setup.json'));
  const lib = path.join(venv, process.platform === 'win32' ? 'Lib' : 'lib');
  try {
    for (const d of fs.readdirSync(lib).sort()) mtime(path.join(lib, d, 'site-packages'));
  } catch {
    mtime(path.join(lib, 'site-packages'));
  }
  return parts.join('|');
}

const CACHE_FILE = 'python-env-cache.json';
let memo: { key: string; env: PythonEnv } | undefined;

function readDiskCache(key: string): PythonEnv | null {
  try {
    const c = JSON.parse(fs.readFileSync(path.join(configDir(), CACHE_FILE), 'utf8')) as { key?: string; env?: PythonEnv };
    return c.key === key && c.env?.ok ? c.env : null;
  } catch {
    return null;
  }
}

function writeDiskCache(key: string, env: PythonEnv): void {
  try {
    mkdirPrivate(configDir());
    writePrivateFile(path.join(configDir(), CACHE_FILE), JSON.stringify({ key, env }));
  } catch {
    // a read-only config folder only costs the next session one slow probe
  }
}

function cachedFor(key: string | null): PythonEnv | null {
  if (!key) return null;
  if (memo?.key === key) return { ...memo.env, cached: true };
  const disk = readDiskCache(key);
  if (!disk) return null;
  memo = { key, env: disk };
  return { ...disk, cached: true };
}

/**
 * The full probe's answer for the current environment when it already ran (this session, or an earlier one through
 * the config folder), without running it: null when it never ran or the environment changed since.
 */
export function cachedPythonEnv(): PythonEnv | null {
  const exe = pythonExecutable();
  return fs.existsSync(exe) ? cachedFor(envKey(exe)) : null;
}

/**
 * Runs `python -m distillery_worker env --json` (the environment check: importing torch takes 5-15 s),
 * cached in memory and in the config folder under `envKey`, so that it runs again only when the
 * environment changed or `force` asks (the Project step's "Check again", `doctor --refresh`).
 */
export async function checkPythonEnv(force = false): Promise<PythonEnv> {
  const exe = pythonExecutable();
  const empty: PythonEnv = { ok: false, python: null, executable: exe, torch: null, cuda_available: false, cuda_version: null, gpus: [], libraries: {}, error: null };
  if (!fs.existsSync(exe)) {
    return { ...empty, error: `No Python environment at ${exe}. Run "npm run setup:python" (or set DISTILLERY_PYTHON) to create it.` };
  }
  const key = envKey(exe);
  const cached = force ? null : cachedFor(key);
  if (cached) return cached;
  try {
    const r = await execa(exe, ['-m', 'distillery_worker', 'env', '--json'], { timeout: 120_000, reject: false, env: childEnv() });
    if (r.exitCode !== 0) return { ...empty, error: `The environment check failed (exit ${r.exitCode}): ${String(r.stderr).trim().split('\n').pop() ?? ''}` };
    const parsed = JSON.parse(String(r.stdout)) as Omit<PythonEnv, 'ok' | 'error'>;
    const env: PythonEnv = { ...empty, ...parsed, ok: true, error: null, checked_at: new Date().toISOString(), cached: false };
    if (key) {
      memo = { key, env };
      writeDiskCache(key, env);
    }
    return env;
  } catch (e) {
    return { ...empty, error: `The environment check could not run: ${(e as Error).message}` };
  }
}

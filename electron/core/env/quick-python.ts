/**
 * The preflight's Python probe: the interpreter's version and the libraries' versions from their installed
 * metadata (importlib.metadata), and the CUDA version torch was built for read from torch/version.py as text.
 * Nothing is imported (torch alone takes 5-15 s to import), so the probe takes tens of milliseconds. It is
 * cached for the session (this process) under the environment's key, so installing a package is noticed.
 * The full probe (`checkPythonEnv`, which asks torch whether CUDA works) stays for training's decisions.
 */
import fs from 'node:fs';
import { execa } from 'execa';
import { childEnv } from '../egress/child-env';
import { envKey, pythonExecutable } from './python';

export interface QuickPythonEnv {
  ok: boolean;
  python: string | null;
  executable: string | null;
  torch: string | null;
  /** The CUDA version torch was built for (torch/version.py), null for a CPU build or no torch. */
  cuda_version: string | null;
  libraries: Record<string, string | null>;
  deepspeed: string | null;
  error: string | null;
  checked_at?: string;
  /** True when this answer is the session's cached one. */
  cached?: boolean;
  probe_ms?: number;
}

/** Key in the report -> distribution name; the same list as the worker's `env` command. */
const LIBRARIES: Record<string, string> = {
  transformers: 'transformers',
  trl: 'trl',
  peft: 'peft',
  accelerate: 'accelerate',
  datasets: 'datasets',
  bitsandbytes: 'bitsandbytes',
  flash_attn: 'flash-attn',
  vllm: 'vllm',
};

const SCRIPT = `
import json, platform, re, sys
from importlib import metadata
def v(n):
    try:
        return metadata.version(n)
    except Exception:
        return None
cuda = None
try:
    f = metadata.distribution("torch").locate_file("torch/version.py")
    m = re.search(r"^cuda\\b[^=\\n]*=\\s*['\\"]([^'\\"]+)['\\"]", open(f, encoding="utf-8").read(), re.M)
    cuda = m.group(1) if m else None
except Exception:
    pass
libs = json.loads(sys.argv[1])
print(json.dumps({"python": platform.python_version(), "executable": sys.executable, "torch": v("torch"), "cuda_version": cuda,
    "libraries": {k: v(d) for k, d in libs.items()}, "deepspeed": v("deepspeed")}))
`;

let memo: { key: string; env: QuickPythonEnv } | undefined;

export async function quickPythonEnv(force = false): Promise<QuickPythonEnv> {
  const exe = pythonExecutable();
  const empty: QuickPythonEnv = { ok: false, python: null, executable: exe, torch: null, cuda_version: null, libraries: {}, deepspeed: null, error: null };
  if (!fs.existsSync(exe)) return { ...empty, error: `No Python environment at ${exe}. Run "npm run setup:python" (or set DISTILLERY_PYTHON) to create it.` };
  const key = envKey(exe);
  if (!force && key && memo?.key === key) return { ...memo.env, cached: true };
  const started = Date.now();
  try {
    const r = await execa(exe, ['-I', '-c', SCRIPT, JSON.stringify(LIBRARIES)], { timeout: 20_000, reject: false, env: childEnv() });
    if (r.exitCode !== 0) return { ...empty, error: `The Python probe failed (exit ${r.exitCode}): ${String(r.stderr).trim().split('\n').pop() ?? ''}` };
    const line = String(r.stdout).trim().split('\n').pop() ?? '';
    const parsed = JSON.parse(line) as Partial<QuickPythonEnv>;
    const env: QuickPythonEnv = {
      ...empty,
      python: parsed.python ?? null,
      executable: parsed.executable ?? exe,
      torch: parsed.torch ?? null,
      cuda_version: parsed.cuda_version ?? null,
      libraries: parsed.libraries ?? {},
      deepspeed: parsed.deepspeed ?? null,
      ok: true,
      checked_at: new Date().toISOString(),
      cached: false,
      probe_ms: Date.now() - started,
    };
    if (key) memo = { key, env };
    return env;
  } catch (e) {
    return { ...empty, error: `The Python probe could not run: ${(e as Error).message}` };
  }
}

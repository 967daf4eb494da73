/** Test and benchmark helper: the worker's MiniLM-class embedding model (random weights), built once per machine. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pythonExecutable } from '../env/python';
import { appRoot } from '../util/root';

export function hasPython(): boolean {
  return fs.existsSync(pythonExecutable());
}

/** Builds (once, cached in the temp folder) `python -m distillery_worker embed-model --quantized`; returns its folder. */
export function embedTestModel(seed = 0): string {
  const dir = process.env.DISTILLERY_EMBED_MODEL ?? path.join(os.tmpdir(), `distillery-embed-minilm-seed${seed}`);
  if (fs.existsSync(path.join(dir, 'onnx', 'model_quantized.onnx')) && fs.existsSync(path.join(dir, 'tokenizer.json'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  execFileSync(pythonExecutable(), ['-m', 'distillery_worker', 'embed-model', '--out', tmp, '--seed', String(seed), '--quantized'], {
    cwd: appRoot(),
    env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' },
    stdio: 'ignore',
    timeout: 900_000,
  });
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another process won the race: use its copy
  }
  return dir;
}

/**
 * The REAL all-MiniLM-L6-v2 (scripts/real-models.mjs) and its conversion for the app, made once into the model cache
 * beside it (so CI converts once): `{ src, dir }`, or null where the model cannot be fetched or Python is missing.
 */
export function realMiniLM(): { src: string; dir: string } | null {
  // In CI (CI=true) the real models are required: .ci/run fetches them, and a test must fail rather than skip.
  const missing = (why: string) => {
    if (process.env.CI === 'true') throw new Error(`CI=true and the real all-MiniLM-L6-v2 is unavailable: ${why} (run "node scripts/real-models.mjs --convert").`);
    return null;
  };
  if (!hasPython()) return missing(`${pythonExecutable()} does not exist`);
  let src: string;
  try {
    const out = execFileSync(process.execPath, [path.join(appRoot(), 'scripts', 'real-models.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 600_000 });
    src = (JSON.parse(out) as { minilm: string }).minilm;
  } catch {
    return missing('scripts/real-models.mjs could not fetch it');
  }
  const dir = path.join(path.dirname(src), 'all-MiniLM-L6-v2-onnx-r2');
  if (!fs.existsSync(path.join(dir, 'distillery_embedding.json'))) {
    // embed-convert writes a temporary folder and renames it into place: a crash never leaves half a model here.
    execFileSync(pythonExecutable(), ['-m', 'distillery_worker', 'embed-convert', src, '--out', dir, '--json'], {
      cwd: appRoot(),
      env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' },
      stdio: 'ignore',
      timeout: 900_000,
    });
  }
  return { src, dir };
}

/** sentence-transformers' own vectors of `texts` for the folder `src` (computed by the Python side, via a JSON file). */
export function stReference(src: string, texts: readonly string[], workDir: string): number[][] {
  const inFile = path.join(workDir, 'st-texts.json');
  const outFile = path.join(workDir, 'st-vectors.json');
  fs.writeFileSync(inFile, JSON.stringify(texts));
  const code = 'import json,sys\nfrom distillery_worker.st_convert import reference_vectors\njson.dump(reference_vectors(sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8"))), open(sys.argv[3], "w"))';
  execFileSync(pythonExecutable(), ['-c', code, src, inFile, outFile], { cwd: appRoot(), env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' }, stdio: 'ignore', timeout: 600_000 });
  return JSON.parse(fs.readFileSync(outFile, 'utf8')) as number[][];
}

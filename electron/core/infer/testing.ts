/** Test and benchmark helpers: random Qwen2 models exported to ONNX by the worker, cached in the temp folder. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pythonExecutable } from '../env/python';
import { appRoot } from '../util/root';

const WORKER_SRC = ['resources/python/src/distillery_worker/testing.py', 'resources/python/src/distillery_worker/onnx_export.py'];
const pyEnv = () => ({ ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', TOKENIZERS_PARALLELISM: 'false' });

/**
 * The worker's random Qwen2 model of `size` ("tiny": the test model; "small": ~30M parameters, for benchmarks),
 * exported with `export-onnx`; built once per version of the fixture and exporter, then reused.
 */
export function onnxModel(size: 'tiny' | 'small' = 'tiny'): string {
  const h = crypto.createHash('sha256').update(size);
  for (const f of WORKER_SRC) h.update(fs.readFileSync(path.join(appRoot(), f)));
  const dir = path.join(os.tmpdir(), `distillery-onnx-${size}-${h.digest('hex').slice(0, 10)}`);
  if (fs.existsSync(path.join(dir, 'onnx', 'model.onnx')) && fs.existsSync(path.join(dir, 'tokenizer.json'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const run = (args: string[]) =>
    execFileSync(pythonExecutable(), ['-m', 'distillery_worker', ...args], { cwd: appRoot(), env: pyEnv(), stdio: ['ignore', 'pipe', 'pipe'], timeout: 1_800_000 });
  run(['tiny-model', '--out', tmp, '--size', size]);
  run(['export-onnx', '--model', tmp]);
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another process won the race: use its copy
  }
  return dir;
}

export interface ReferenceRun {
  ids: number[];
  text: string;
  prompt_tokens: number;
  first_ms: number;
  total_ms: number;
  cpu_ms: number;
  tokens_per_s: number | null;
  decode_tokens_per_s: number | null;
  runs: { first_ms: number; total_ms: number; cpu_ms: number; tokens: number }[];
}

/** Greedy generation with Python onnxruntime on the same ONNX folder (electron/core/infer/ort_reference.py). */
export function ortReference(dir: string, prompt: string, maxNewTokens: number, opts: { threads?: number; ignoreEos?: boolean; repeat?: number } = {}): ReferenceRun {
  const args = [path.join(appRoot(), 'electron', 'core', 'infer', 'ort_reference.py'), '--dir', dir, '--prompt', prompt, '--max-new-tokens', String(maxNewTokens)];
  if (opts.threads) args.push('--threads', String(opts.threads));
  if (opts.ignoreEos) args.push('--ignore-eos');
  if (opts.repeat) args.push('--repeat', String(opts.repeat));
  const out = execFileSync(pythonExecutable(), args, { cwd: appRoot(), env: pyEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 900_000 });
  return JSON.parse(out.trim().split('\n').pop() as string) as ReferenceRun;
}

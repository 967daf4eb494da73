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

/** Test helpers: a cached tiny random Qwen2 model (built once by the worker) and a tiny {"messages"} dataset. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pythonExecutable } from '../env/python';
import { appRoot } from '../util/root';

export function hasPython(): boolean {
  return fs.existsSync(pythonExecutable());
}

/** Builds (once per machine, cached in the temp folder) the worker's tiny model; returns its folder. */
export function tinyModel(): string {
  const dir = process.env.DISTILLERY_TINY_MODEL ?? path.join(os.tmpdir(), 'distillery-tiny-qwen2-v2');
  if (fs.existsSync(path.join(dir, 'model.safetensors')) && fs.existsSync(path.join(dir, 'tokenizer.json'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  execFileSync(pythonExecutable(), ['-m', 'distillery_worker', 'tiny-model', '--out', tmp], {
    cwd: appRoot(),
    env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' },
    stdio: 'ignore',
    timeout: 600_000,
  });
  try {
    fs.renameSync(tmp, dir);
  } catch {
    // another process won the race: use its copy
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/** A dataset folder with train.jsonl of `n` {"messages"} rows whose assistant turns hold <think>. */
export function tinyDataset(dir: string, n = 8): string {
  fs.mkdirSync(dir, { recursive: true });
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    rows.push(
      JSON.stringify({
        messages: [
          { role: 'user', content: `What is ${i} + ${i + 2}?` },
          { role: 'assistant', content: `<think>\nAdd ${i} and ${i + 2}: the sum is ${2 * i + 2}.\n</think>\n\nThe answer is ${2 * i + 2}.` },
        ],
      }),
    );
  }
  fs.writeFileSync(path.join(dir, 'train.jsonl'), `${rows.join('\n')}\n`);
  return dir;
}

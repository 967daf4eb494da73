// `--teacher-logits captured`: KD from the top-k logprobs a generate job captured (teacher/logprobs-store.ts),
// beside the folders of `python -m distillery_worker teacher-logits` (index.json).
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS_DIR } from '../store/project';
import { capturedSummary, isCapturedFolder, LOGPROBS_DIR } from '../teacher/logprobs-store';

export const CAPTURED = 'captured';

/** "captured" means the project's artifacts/logprobs (every job that captured); anything else is a folder. */
export function resolveTeacherLogits(value: string | undefined, projectDir: string): string | undefined {
  if (value === undefined) return undefined;
  return value === CAPTURED ? path.join(path.resolve(projectDir), ARTIFACTS_DIR, LOGPROBS_DIR) : value;
}

/** A sentence saying what is wrong with a teacher-logits folder, or null when the worker can read it. */
export function teacherLogitsProblem(dir: string): string | null {
  if (fs.existsSync(path.join(dir, 'index.json'))) return null;
  if (isCapturedFolder(dir)) return capturedSummary(dir).traces > 0 ? null : `${path.resolve(dir)} holds captured logprobs of no trace: the teacher server sent none; generate with a server that returns them (vLLM, SGLang, llama.cpp).`;
  return `${path.resolve(dir)} has no index.json; compute the teacher logits first ("python -m distillery_worker teacher-logits --teacher DIR --dataset DIR --top-k 64 --out DIR"), or capture them while generating ("distillery generate PROJECT --teacher NAME --logprobs 20", then --teacher-logits captured).`;
}

/** The k of a teacher-logits folder (index.json's top_k, or the largest k captured). */
export function teacherLogitsTopK(dir: string | undefined): number | undefined {
  if (!dir) return undefined;
  try {
    const k = (JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as { top_k?: unknown }).top_k;
    return typeof k === 'number' ? k : undefined;
  } catch {
    return isCapturedFolder(dir) ? capturedSummary(dir).topK || undefined : undefined;
  }
}

import fs from 'node:fs';
import path from 'node:path';
import { appRoot } from './root';

/**
 * The folder of the built-in benchmarks (public sets as JSONL, `problem` and `answer`): $DISTILLERY_BENCHMARKS,
 * else shared/data/benchmarks beside the app, else resources/benchmarks inside it. Evaluation runs on them and
 * decontamination checks the pool against them, so both read this one place.
 */
export function builtinDir(): string | null {
  const candidates = [process.env.DISTILLERY_BENCHMARKS, path.resolve(appRoot(), '..', 'shared', 'data', 'benchmarks'), path.join(appRoot(), 'resources', 'benchmarks')];
  for (const c of candidates) if (c && fs.existsSync(c) && fs.statSync(c).isDirectory()) return c;
  return null;
}

/** The built-in benchmark files, by name (the file name without `.jsonl`), sorted. */
export function builtinBenchmarkFiles(): { name: string; file: string }[] {
  const dir = builtinDir();
  if (!dir) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => ({ name: f.replace(/\.jsonl$/, ''), file: path.join(dir, f) }));
}

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Papa from 'papaparse';
import { afterEach } from 'vitest';
import { createProject, type Project } from '../store/project';
import { appRoot } from '../util/root';

export const BENCH_DIR = path.resolve(appRoot(), '..', 'shared', 'data', 'benchmarks');

export interface BenchRow {
  problem: string;
  answer: string;
  set: string;
  item: number;
}

export function benchmarkRows(): BenchRow[] {
  const out: BenchRow[] = [];
  for (const f of fs.readdirSync(BENCH_DIR).filter((f) => f.endsWith('.jsonl')).sort()) {
    const lines = fs.readFileSync(path.join(BENCH_DIR, f), 'utf8').split('\n');
    lines.forEach((l, i) => {
      if (!l.trim()) return;
      const o = JSON.parse(l) as { problem: string; answer: unknown };
      out.push({ problem: o.problem, answer: String(o.answer), set: f.replace(/\.jsonl$/, ''), item: i + 1 });
    });
  }
  return out;
}

export function tmpDir(prefix = 'pool-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function newProject(): Project {
  return createProject(path.join(tmpDir(), 'proj'));
}

export const python = (): string => {
  const venv = path.join(appRoot(), '.venv', 'bin', 'python');
  for (const py of [venv, 'python3']) {
    try {
      execFileSync(py, ['-c', 'import pyarrow'], { stdio: 'ignore' });
      return py;
    } catch {
      /* try the next */
    }
  }
  throw new Error('pyarrow is needed to write the Parquet fixtures: run "npm run setup:python" (the project venv), or "python3 -m pip install --user pyarrow".');
};

/** Writes rows as Parquet with pyarrow (hyparquet only reads). */
export function writeParquet(file: string, rows: Record<string, unknown>[]): void {
  const src = `${file}.src.jsonl`;
  fs.writeFileSync(src, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  execFileSync(python(), ['-c', 'import sys, pyarrow.json as pj, pyarrow.parquet as pq; pq.write_table(pj.read_json(sys.argv[1]), sys.argv[2])', src, file]);
  fs.rmSync(src);
}

export type FixtureFormat = 'jsonl' | 'json-array' | 'json-object' | 'csv' | 'tsv' | 'parquet';

export function writeAs(dir: string, fmt: FixtureFormat, rows: Record<string, unknown>[], gz = false): string {
  const ext = { jsonl: 'jsonl', 'json-array': 'json', 'json-object': 'json', csv: 'csv', tsv: 'tsv', parquet: 'parquet' }[fmt];
  const file = path.join(dir, `${fmt}.${ext}`);
  switch (fmt) {
    case 'jsonl':
      fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
      break;
    case 'json-array':
      fs.writeFileSync(file, JSON.stringify(rows, null, 1));
      break;
    case 'json-object':
      fs.writeFileSync(file, JSON.stringify({ version: 1, data: rows }));
      break;
    case 'csv':
    case 'tsv':
      fs.writeFileSync(file, Papa.unparse(rows, { delimiter: fmt === 'tsv' ? '\t' : ',' }));
      break;
    case 'parquet':
      writeParquet(file, rows);
      break;
  }
  if (!gz) return file;
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(fs.readFileSync(file)));
  fs.rmSync(file);
  return `${file}.gz`;
}

/** Projects opened by a test file, closed after each test: `const project = trackedProjects();`. */
export function trackedProjects(): () => Project {
  let open: Project[] = [];
  afterEach(() => {
    open.forEach((p) => p.close());
    open = [];
  });
  return () => {
    const p = newProject();
    open.push(p);
    return p;
  };
}

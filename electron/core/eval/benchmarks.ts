/**
 * Benchmarks to evaluate on: the public sets shipped beside the app (shared/data/benchmarks/*.jsonl), the
 * project's evaluation sets — the held-out split its pool was decontaminated against — and files imported
 * on the Evaluate step (JSONL, JSON, CSV, TSV, Parquet, each also .gz, read by the pool's readers).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Project } from '../store/project';
import { answeredEvalsetItems, evalsetBenchmarks } from '../pool/evalsets';
import { openFile } from '../pool/readers';
import { rowReason } from '../pool/row-reason';
import { detectShape, mapRecord, resolveMapping } from '../pool/shapes';
import { builtinDir } from '../util/benchmarks';
import { UserError } from '../util/errors';
import { extractAnswer } from '../verify';
import { ensureEvalSchema } from './store';
import type { BenchmarkInfo, BenchQuestion, RejectedRow } from './types';

export { builtinDir };

const DESCRIPTIONS: Record<string, string> = {
  aime24: 'AIME 2024: 30 competition problems with integer answers',
  aime25: 'AIME 2025: 30 competition problems with integer answers',
  amc2023: 'AMC 2023: 40 competition problems',
  hmmt25_feb: 'HMMT February 2025: 30 competition problems',
  hmmt25_nov: 'HMMT November 2025: 30 competition problems',
  math500: 'MATH500: 500 competition math problems',
  minervamath: 'Minerva Math: 272 undergraduate science problems',
  olympiadbench: 'OlympiadBench: 674 olympiad math problems',
};

interface Parsed {
  questions: BenchQuestion[];
  rejected: RejectedRow[];
  read: number;
}

const parsedCache = new Map<string, { key: string; parsed: Parsed }>();

/** Reads an evaluation file: every row becomes a question with a reference answer, or a rejected row (line, field, reason). */
export async function parseBenchmarkFile(fileIn: string): Promise<Parsed> {
  const file = path.resolve(fileIn);
  const opened = openFile(file);
  const records = [];
  for await (const r of opened.records) records.push(r);
  const samples = records.filter((r) => r.error === undefined).slice(0, 200).map((r) => r.value);
  const shape = detectShape(samples);
  const mapping = resolveMapping(shape, samples);
  const questions: BenchQuestion[] = [];
  const rejected: RejectedRow[] = [];
  for (const r of records) {
    if (r.error !== undefined) {
      rejected.push({ file, line: r.line, field: '(row)', reason: r.error });
      continue;
    }
    const m = mapRecord(r.value, shape, mapping);
    if ('error' in m) {
      const field = /question|user turn/.test(m.error) ? (mapping.question ?? mapping.messages ?? 'question') : /"([^"]+)"/.exec(m.error)?.[1] ?? '(row)';
      rejected.push({ file, line: r.line, field, reason: m.error });
      continue;
    }
    let reference = m.row.answer?.trim() || null;
    if (!reference && m.row.solution) reference = extractAnswer(m.row.solution).extracted?.trim() || null;
    if (!reference) {
      const col = mapping.answer ?? mapping.solution;
      rejected.push({
        file,
        line: r.line,
        field: col ?? 'answer',
        reason: col ? `missing reference answer (field "${col}" is empty and no solution holds a \\boxed{} answer)` : 'missing reference answer (no answer or solution field)',
      });
      continue;
    }
    questions.push({ qid: m.row.extId?.trim() || String(r.line), question: m.row.question, reference });
  }
  for (const row of rejected) row.reasonMessage = rowReason(row.reason);
  return { questions, rejected, read: records.length };
}

async function builtinQuestions(name: string): Promise<{ file: string; parsed: Parsed }> {
  const dir = builtinDir();
  const file = dir ? path.join(dir, `${name}.jsonl`) : null;
  if (!file || !fs.existsSync(file)) throw new UserError(`The built-in benchmark "${name}" is not installed (looked in ${dir ?? 'shared/data/benchmarks'}); choose one from the list.`, 'no_benchmark');
  const st = fs.statSync(file);
  const key = `${st.size}:${st.mtimeMs}`;
  const hit = parsedCache.get(file);
  if (hit?.key === key) return { file, parsed: hit.parsed };
  const parsed = await parseBenchmarkFile(file);
  parsedCache.set(file, { key, parsed });
  return { file, parsed };
}

function builtinNames(): string[] {
  const dir = builtinDir();
  if (!dir) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.slice(0, -'.jsonl'.length))
    .sort();
}

/** Every benchmark the project can evaluate on. */
export async function listBenchmarks(project: Project): Promise<BenchmarkInfo[]> {
  ensureEvalSchema(project.db);
  const out: BenchmarkInfo[] = [];
  for (const name of builtinNames()) {
    const { file, parsed } = await builtinQuestions(name);
    out.push({ id: `builtin:${name}`, name, source: 'builtin', count: parsed.questions.length, file, description: DESCRIPTIONS[name] ?? `${name} (${parsed.questions.length} problems)`, createdAt: null });
  }
  const sets = evalsetBenchmarks(project.db);
  for (const s of sets) {
    out.push({
      id: `evalset:${s.name}`,
      name: s.name,
      source: 'evalset',
      count: s.n,
      file: s.file,
      description: `Held-out set the pool was decontaminated against (${s.flagged} pool question${s.flagged === 1 ? '' : 's'} flagged)`,
      createdAt: s.created_at,
    });
  }
  const imported = project.db.prepare('SELECT name, file, items, rejected, created_at FROM eval_benchmarks ORDER BY name').all() as {
    name: string;
    file: string;
    items: number;
    rejected: number;
    created_at: string;
  }[];
  for (const b of imported) {
    out.push({ id: `imported:${b.name}`, name: b.name, source: 'imported', count: b.items, file: b.file, description: `Imported from ${path.basename(b.file)}${b.rejected ? ` (${b.rejected} rows rejected)` : ''}`, createdAt: b.created_at });
  }
  return out;
}

/** The questions (with reference answers) of a benchmark, in order. */
export async function loadBenchmark(project: Project, id: string): Promise<BenchQuestion[]> {
  ensureEvalSchema(project.db);
  const colon = id.indexOf(':');
  const source = colon > 0 ? id.slice(0, colon) : '';
  const name = id.slice(colon + 1);
  switch (source) {
    case 'builtin':
      return (await builtinQuestions(name)).parsed.questions;
    case 'evalset': {
      const rows = answeredEvalsetItems(project.db, name);
      if (!rows) throw new UserError(`The evaluation set "${name}" is not registered in this project; register it with "distillery evalset add" or choose another benchmark.`, 'no_benchmark');
      return rows.map((r) => ({ qid: String(r.item), question: r.question, reference: r.answer.trim() }));
    }
    case 'imported': {
      const b = project.db.prepare('SELECT id FROM eval_benchmarks WHERE name = ?').get(name) as { id: number } | undefined;
      if (!b) throw new UserError(`No imported benchmark is named "${name}"; import it on the Evaluate step or choose another.`, 'no_benchmark');
      return project.db.prepare('SELECT qid, question, reference FROM eval_benchmark_items WHERE benchmark_id = ? ORDER BY qidx').all(b.id) as BenchQuestion[];
    }
    default:
      throw new UserError(`"${id}" is not a benchmark id; use builtin:NAME, evalset:NAME or imported:NAME (see the benchmark list).`, 'bad_benchmark');
  }
}

export async function previewBenchmark(project: Project, id: string, offset: number, limit: number) {
  const qs = await loadBenchmark(project, id);
  return { total: qs.length, rows: qs.slice(offset, offset + limit).map((q, i) => ({ qidx: offset + i, ...q })) };
}

/** Imports an evaluation file into the project; every rejected row is reported with its file, line and field. */
export async function importBenchmark(project: Project, fileIn: string, opts: { name?: string; replace?: boolean } = {}) {
  ensureEvalSchema(project.db);
  const file = path.resolve(fileIn);
  const name = (opts.name ?? path.basename(file).replace(/\.gz$/i, '').replace(/\.[^.]+$/, '')).trim();
  if (!/^[\w.\-+ ]{1,80}$/.test(name)) throw new UserError(`"${name}" is not a usable benchmark name; use letters, digits, dots, dashes or underscores (at most 80).`, 'bad_name');
  const db = project.db;
  const existing = db.prepare('SELECT id FROM eval_benchmarks WHERE name = ?').get(name) as { id: number } | undefined;
  if (existing && !opts.replace) throw new UserError(`A benchmark named "${name}" is already imported; choose another name or replace it.`, 'benchmark_exists');
  const parsed = await parseBenchmarkFile(file);
  if (!parsed.questions.length) {
    const r = parsed.rejected[0];
    throw new UserError(`${file} holds no usable questions${r ? ` (line ${r.line}, field "${r.field}": ${r.reason})` : ' (the file is empty)'}; every row needs a question and a reference answer.`, 'empty_benchmark');
  }
  db.transaction(() => {
    if (existing) db.prepare('DELETE FROM eval_benchmarks WHERE id = ?').run(existing.id);
    const id = Number(
      db.prepare('INSERT INTO eval_benchmarks (name, file, items, rejected, created_at) VALUES (?, ?, ?, ?, ?)').run(name, file, parsed.questions.length, parsed.rejected.length, new Date().toISOString()).lastInsertRowid,
    );
    const ins = db.prepare('INSERT INTO eval_benchmark_items (benchmark_id, qidx, qid, question, reference) VALUES (?, ?, ?, ?, ?)');
    parsed.questions.forEach((q, i) => ins.run(id, i, q.qid, q.question, q.reference));
  })();
  const benchmark = (await listBenchmarks(project)).find((b) => b.id === `imported:${name}`) as BenchmarkInfo;
  return { benchmark, read: parsed.read, accepted: parsed.questions.length, rejected: parsed.rejected };
}

export function removeBenchmark(project: Project, id: string): void {
  ensureEvalSchema(project.db);
  if (!id.startsWith('imported:')) throw new UserError(`Only imported benchmarks can be removed here; "${id}" is not one.`, 'not_imported');
  const r = project.db.prepare('DELETE FROM eval_benchmarks WHERE name = ?').run(id.slice('imported:'.length));
  if (r.changes === 0) throw new UserError(`No imported benchmark is named "${id.slice('imported:'.length)}".`, 'no_benchmark');
}

/** Resolves what a user typed (a name, an id or a file path) to a benchmark id, importing a file when needed. */
export async function resolveBenchmark(project: Project, nameOrFile: string): Promise<string> {
  const list = await listBenchmarks(project);
  const hit = list.find((b) => b.id === nameOrFile) ?? list.find((b) => b.name === nameOrFile && b.source !== 'imported') ?? list.find((b) => b.name === nameOrFile);
  if (hit) return hit.id;
  if (fs.existsSync(nameOrFile) && fs.statSync(nameOrFile).isFile()) {
    const abs = path.resolve(nameOrFile);
    const already = list.find((b) => b.source === 'imported' && b.file === abs);
    const r = await importBenchmark(project, abs, { name: already?.name, replace: true });
    return r.benchmark.id;
  }
  throw new UserError(
    `"${nameOrFile}" is neither a benchmark (${list.map((b) => b.name).join(', ') || 'none installed'}) nor an existing file; pass a name from that list or the path of a JSONL/CSV file.`,
    'no_benchmark',
  );
}

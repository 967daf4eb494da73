import path from 'node:path';
import type { Project } from '../store/project';
import { importedTraceInserter } from '../traces/store';
import { UserError } from '../util/errors';
import { asStorageError } from '../util/sqlite-errors';
import { openFile, type Format } from './readers';
import { detectShape, mapRecord, resolveMapping, type Mapping, type RowIn, type Shape } from './shapes';
import { normHash } from './text';
import { mkdirPrivate, writePrivateFile } from '../util/private-fs';

export interface ImportOptions {
  format?: Format | 'auto';
  shape?: Shape | 'auto';
  mapping?: Mapping;
  /** questions.source for the new rows; the file name by default. */
  source?: string;
  /** Read, map and account for every row, but write nothing. */
  dryRun?: boolean;
  /** How many rows (as they will be stored) to return for the preview. */
  previewRows?: number;
  /** Test hook: called before each question insert, inside the transaction. */
  beforeInsert?: (index: number) => void;
}

export interface Rejected {
  line: number;
  reason: string;
  raw?: string;
}

export interface DuplicateRow {
  line: number;
  /** An existing question's id, or null when the earlier copy is in the same file. */
  duplicateOf: number | null;
  duplicateOfLine: number | null;
}

export interface PreviewRow extends RowIn {
  line: number;
}

export interface ImportResult {
  importId: number | null;
  file: string;
  format: Format;
  compressed: boolean;
  shape: Shape;
  mapping: Mapping;
  columns: string[];
  read: number;
  imported: number;
  duplicates: number;
  rejected: Rejected[];
  duplicateRows: DuplicateRow[];
  traces: number;
  preview: PreviewRow[];
}

const now = () => new Date().toISOString();
const SAMPLE = 200;
/** From this many new rows, the full-text index is filled in one statement after the insert. */
const BULK_FTS_ROWS = 500;

/** Reads, maps and deduplicates a file; writes it as one transaction unless `dryRun`. */
export async function importFile(project: Project, file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const abs = path.resolve(file);
  const opened = openFile(abs, opts.format ?? 'auto');
  const records: { line: number; value?: unknown; error?: string; raw?: string }[] = [];
  for await (const r of opened.records) records.push(r);

  const samples: unknown[] = [];
  for (const r of records) {
    if (r.error === undefined && samples.length < SAMPLE) samples.push(r.value);
    if (samples.length >= SAMPLE) break;
  }
  const columns = [...new Set(samples.flatMap((s) => (s && typeof s === 'object' && !Array.isArray(s) ? Object.keys(s) : [])))];
  const shape = !opts.shape || opts.shape === 'auto' ? detectShape(samples) : opts.shape;
  const mapping = resolveMapping(shape, samples, opts.mapping);

  const db = project.db;
  // A lock held by another program or a full disk is a sentence naming project.sqlite, not a stack trace;
  // the writes below are one transaction, so nothing of this import is left behind.
  const unchanged = 'Nothing was imported; the project is as it was.';
  let existing: Map<string, number>;
  try {
    existing = poolHashes(project, opts.dryRun ?? false);
  } catch (e) {
    throw asStorageError(e, project.dbPath, unchanged);
  }
  const seenInFile = new Map<string, number>();
  const rejected: Rejected[] = [];
  const duplicateRows: DuplicateRow[] = [];
  const accepted: { line: number; row: RowIn; hash: string }[] = [];
  const rawByLine = new Map<number, string | undefined>();

  for (const r of records) {
    if (r.error !== undefined) {
      rejected.push({ line: r.line, reason: r.error, raw: r.raw });
      continue;
    }
    const m = mapRecord(r.value, shape, mapping);
    if ('error' in m) {
      rejected.push({ line: r.line, reason: m.error, raw: r.raw });
      continue;
    }
    const hash = normHash(m.row.question);
    const prevId = existing.get(hash);
    const prevLine = seenInFile.get(hash);
    if (prevId !== undefined || prevLine !== undefined) {
      duplicateRows.push({ line: r.line, duplicateOf: prevId ?? null, duplicateOfLine: prevId === undefined ? (prevLine ?? null) : null });
      rawByLine.set(r.line, r.raw);
      continue;
    }
    seenInFile.set(hash, r.line);
    accepted.push({ line: r.line, row: m.row, hash });
  }

  const read = records.length;
  const traces = accepted.reduce((n, a) => n + a.row.traces.length, 0);
  const result: ImportResult = {
    importId: null,
    file: abs,
    format: opened.format,
    compressed: opened.compressed,
    shape,
    mapping,
    columns,
    read,
    imported: accepted.length,
    duplicates: duplicateRows.length,
    rejected,
    duplicateRows,
    traces,
    preview: accepted.slice(0, opts.previewRows ?? 0).map((a) => ({ line: a.line, ...a.row })),
  };
  if (result.imported + result.duplicates + result.rejected.length !== read) throw new Error('import accounting does not add up');
  if (opts.dryRun) return result;

  const source = opts.source ?? path.basename(abs).replace(/\.gz$/i, '');
  const ts = now();
  const insImport = db.prepare(
    `INSERT INTO imports (file, format, compressed, shape, mapping, read, imported, duplicates, rejected, traces, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insQ = db.prepare(
    `INSERT INTO questions (ext_id, question, answer, solution, domain, source, metadata, created_at, norm_hash, import_id, source_line)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insT = importedTraceInserter(db);
  const insR = db.prepare('INSERT INTO import_rejects (import_id, kind, file, line, reason, duplicate_of, raw) VALUES (?, ?, ?, ?, ?, ?, ?)');
  try {
    db.transaction(() => {
      const importId = Number(
        insImport.run(abs, opened.format, opened.compressed ? 1 : 0, shape, JSON.stringify(mapping), read, accepted.length, duplicateRows.length, rejected.length, traces, ts)
          .lastInsertRowid,
      );
      result.importId = importId;
      // Full-text index: a bulk import fills it with one INSERT … SELECT after the rows are written instead of
      // one trigger call per row (about 4× less work at 60K rows); the trigger is restored inside the same
      // transaction, so a failure part-way rolls back both.
      const bulk = accepted.length >= BULK_FTS_ROWS ? (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'questions_fts_ai'").get() as { sql: string } | undefined) : undefined;
      if (bulk) db.exec('DROP TRIGGER questions_fts_ai');
      for (let i = 0; i < accepted.length; i++) {
        opts.beforeInsert?.(i);
        const { row, hash, line } = accepted[i]!;
        const qid = Number(
          insQ.run(row.extId, row.question, row.answer, row.solution, row.domain, source, row.metadata ? JSON.stringify(row.metadata) : null, ts, hash, importId, line)
            .lastInsertRowid,
        );
        row.traces.forEach((t, k) => insT(qid, t.teacher, k, t.thinking, t.answer, ts));
      }
      if (bulk) {
        db.prepare('INSERT INTO questions_fts (rowid, question, answer) SELECT id, question, answer FROM questions WHERE import_id = ? ORDER BY id').run(importId);
        db.exec(bulk.sql);
      }
      for (const r of rejected) insR.run(importId, 'rejected', abs, r.line, r.reason, null, r.raw ?? null);
      for (const d of duplicateRows) {
        const reason = d.duplicateOf !== null ? `duplicate of question #${d.duplicateOf}` : `duplicate of line ${d.duplicateOfLine}`;
        insR.run(importId, 'duplicate', abs, d.line, reason, d.duplicateOf, rawByLine.get(d.line) ?? null);
      }
    })();
  } catch (e) {
    throw asStorageError(e, project.dbPath, unchanged);
  }
  return result;
}

/** Exact-dedup keys of the pool, computing (and, outside a dry run, storing) those not yet known. */
function poolHashes(project: Project, dryRun: boolean): Map<string, number> {
  const db = project.db;
  const missing = db.prepare('SELECT id, question FROM questions WHERE norm_hash IS NULL').all() as { id: number; question: string }[];
  if (missing.length) {
    const upd = db.prepare('UPDATE questions SET norm_hash = ? WHERE id = ?');
    const hashes = missing.map((q) => normHash(q.question));
    if (!dryRun) db.transaction(() => missing.forEach((q, i) => upd.run(hashes[i], q.id)))();
    else {
      const m = new Map<string, number>();
      missing.forEach((q, i) => m.set(hashes[i]!, q.id));
      for (const r of db.prepare('SELECT id, norm_hash FROM questions WHERE norm_hash IS NOT NULL ORDER BY id DESC').iterate() as Iterable<{ id: number; norm_hash: string }>)
        m.set(r.norm_hash, r.id);
      return m;
    }
  }
  const m = new Map<string, number>();
  // Descending, so that the oldest question wins when the pool already holds copies.
  for (const r of db.prepare('SELECT id, norm_hash FROM questions ORDER BY id DESC').iterate() as Iterable<{ id: number; norm_hash: string }>) m.set(r.norm_hash, r.id);
  return m;
}

/** Writes the rejected (and duplicate) rows of an import as JSON Lines under artifacts/imports/. */
export function writeRejectReport(project: Project, importId: number): { path: string; rows: number } {
  const imp = project.db.prepare('SELECT id FROM imports WHERE id = ?').get(importId);
  if (!imp) throw new UserError(`There is no import #${importId} in this project; list the imports to find its number.`, 'not_found');
  const rows = project.db
    .prepare('SELECT kind, file, line, reason, duplicate_of, raw FROM import_rejects WHERE import_id = ? ORDER BY line')
    .all(importId) as { kind: string; file: string; line: number; reason: string; duplicate_of: number | null; raw: string | null }[];
  const rel = path.join('imports', `import-${importId}-rejected.jsonl`);
  const abs = path.join(project.artifactsDir, rel);
  try {
    mkdirPrivate(path.dirname(abs));
    writePrivateFile(abs, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
  } catch (e) {
    throw asStorageError(e, abs, `The import itself is saved; the report can be written again later (import #${importId}).`);
  }
  try {
    project.db.prepare('UPDATE imports SET report_path = ? WHERE id = ?').run(path.join('artifacts', rel), importId);
  } catch (e) {
    throw asStorageError(e, project.dbPath, `The import and the report ${abs} are saved; only the report's path was not recorded.`);
  }
  return { path: abs, rows: rows.length };
}

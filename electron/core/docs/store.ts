import type { DB } from '../store/project';
import type { Chunk } from './chunker';
import type { DocKind, PageInfo } from './types';

/** Every query of the documents domain (DESIGN §3: one module lists a domain's SQL; others call it). */

/** What a stored document and a document about to be written both say about it. */
interface DocumentFields {
  name: string;
  path: string | null;
  kind: DocKind;
  sha256: string;
  bytes: number;
  status: 'ok' | 'partial' | 'failed';
  error: string | null;
  notes: string[];
  title: string | null;
  paged: boolean;
}

export interface DocumentRow extends DocumentFields {
  id: number;
  pages: number;
  pages_text: number;
  pages_scanned: number;
  chars: number;
  chunks: number;
  tokens: number;
  tokenizer: string | null;
  questions: number;
  created_at: string;
}

export interface ChunkRow {
  id: number;
  document_id: number;
  document: string;
  seq: number;
  page_from: number;
  page_to: number;
  heading_path: string[];
  start_char: number;
  end_char: number;
  tokens: number;
  text: string;
  questions: number;
}

const DOC_COLS = `d.id, d.name, d.path, d.kind, d.sha256, d.bytes, d.status, d.error, d.notes, d.title, d.paged, d.pages, d.pages_text, d.pages_scanned,
  d.chars, d.chunks, d.tokens, d.tokenizer, d.created_at,
  (SELECT COUNT(*) FROM question_chunks qc JOIN chunks c ON c.id = qc.chunk_id WHERE c.document_id = d.id) AS questions`;

function docRow(r: Record<string, unknown>): DocumentRow {
  return { ...(r as unknown as DocumentRow), notes: r.notes ? (JSON.parse(r.notes as string) as string[]) : [], paged: Boolean(r.paged) };
}

export function listDocuments(db: DB): DocumentRow[] {
  return (db.prepare(`SELECT ${DOC_COLS} FROM documents d ORDER BY d.id`).all() as Record<string, unknown>[]).map(docRow);
}

export function getDocument(db: DB, id: number): DocumentRow | undefined {
  const r = db.prepare(`SELECT ${DOC_COLS} FROM documents d WHERE d.id = ?`).get(id) as Record<string, unknown> | undefined;
  return r ? docRow(r) : undefined;
}

/** A document already read from the same bytes (failed reads do not count: a retry reads again). */
export function findBySha(db: DB, sha: string): { id: number; name: string } | undefined {
  return db.prepare("SELECT id, name FROM documents WHERE sha256 = ? AND status != 'failed' ORDER BY id LIMIT 1").get(sha) as { id: number; name: string } | undefined;
}

export interface NewDocument extends DocumentFields {
  pages: PageInfo[];
  text: string | null;
  chunks: Chunk[];
  tokenizer: string | null;
}

/** Writes a document, its pages and its chunks in one transaction; an earlier failed read of the same bytes is replaced. */
export function insertDocument(db: DB, d: NewDocument): number {
  const ins = db.prepare(
    `INSERT INTO documents (name, path, kind, sha256, bytes, status, error, notes, title, paged, pages, pages_text, pages_scanned, chars, chunks, tokens, tokenizer, text, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insP = db.prepare('INSERT INTO document_pages (document_id, page, chars, status) VALUES (?, ?, ?, ?)');
  const insC = db.prepare('INSERT INTO chunks (document_id, seq, page_from, page_to, heading_path, start_char, end_char, tokens, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  return db.transaction(() => {
    db.prepare("DELETE FROM documents WHERE sha256 = ? AND status = 'failed'").run(d.sha256);
    const chars = d.pages.reduce((n, p) => n + p.chars, 0);
    const id = Number(
      ins.run(
        d.name, d.path, d.kind, d.sha256, d.bytes, d.status, d.error, d.notes.length ? JSON.stringify(d.notes) : null, d.title, d.paged ? 1 : 0, d.pages.length,
        d.pages.filter((p) => p.status === 'text' || p.status === 'ocr').length, d.pages.filter((p) => p.status === 'scanned').length, chars, d.chunks.length,
        d.chunks.reduce((n, c) => n + c.tokens, 0), d.tokenizer, d.text, new Date().toISOString(),
      ).lastInsertRowid,
    );
    for (const p of d.pages) insP.run(id, p.page, p.chars, p.status);
    for (const c of d.chunks) insC.run(id, c.seq, c.pageFrom, c.pageTo, JSON.stringify(c.headingPath), c.start, c.end, c.tokens, c.text);
    return id;
  })();
}

export function documentPages(db: DB, id: number): PageInfo[] {
  return db.prepare('SELECT page, chars, status FROM document_pages WHERE document_id = ? ORDER BY page').all(id) as PageInfo[];
}

const CHUNK_COLS = `c.id, c.document_id, d.name AS document, c.seq, c.page_from, c.page_to, c.heading_path, c.start_char, c.end_char, c.tokens, c.text,
  (SELECT COUNT(*) FROM question_chunks qc WHERE qc.chunk_id = c.id) AS questions`;
const chunkRow = (r: Record<string, unknown>): ChunkRow => ({ ...(r as unknown as ChunkRow), heading_path: JSON.parse(r.heading_path as string) as string[] });

export function listChunks(db: DB, documentId: number, offset = 0, limit = 100): { total: number; rows: ChunkRow[] } {
  const total = db.prepare('SELECT COUNT(*) FROM chunks WHERE document_id = ?').pluck().get(documentId) as number;
  const rows = (db.prepare(`SELECT ${CHUNK_COLS} FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.document_id = ? ORDER BY c.seq LIMIT ? OFFSET ?`).all(documentId, limit, offset) as Record<string, unknown>[]).map(chunkRow);
  return { total, rows };
}

export function getChunk(db: DB, id: number): ChunkRow | undefined {
  const r = db.prepare(`SELECT ${CHUNK_COLS} FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id = ?`).get(id) as Record<string, unknown> | undefined;
  return r ? chunkRow(r) : undefined;
}

/** Chunk ids of the chosen documents (all when none are named), in document and reading order. */
export function chunkIds(db: DB, documentIds?: readonly number[]): number[] {
  const all = db.prepare('SELECT c.id, c.document_id FROM chunks c ORDER BY c.document_id, c.seq').all() as { id: number; document_id: number }[];
  if (!documentIds?.length) return all.map((r) => r.id);
  const want = new Set(documentIds);
  return all.filter((r) => want.has(r.document_id)).map((r) => r.id);
}

/** Where a question came from, when it was synthesized from a chunk (null for imported questions). */
export function questionSource(db: DB, questionId: number) {
  const r = db
    .prepare(
      `SELECT qc.question_id, qc.qtype, qc.quote, qc.quote_start, qc.quote_end, qc.teacher, qc.job_id, c.id AS chunk_id, c.seq, c.page_from, c.page_to,
              c.heading_path, c.start_char, c.end_char, c.text, d.id AS document_id, d.name AS document, d.kind, d.paged
       FROM question_chunks qc JOIN chunks c ON c.id = qc.chunk_id JOIN documents d ON d.id = c.document_id WHERE qc.question_id = ?`,
    )
    .get(questionId) as Record<string, unknown> | undefined;
  if (!r) return null;
  return {
    questionId,
    qtype: r.qtype as string | null,
    quote: r.quote as string,
    quoteStart: r.quote_start as number | null,
    quoteEnd: r.quote_end as number | null,
    teacher: r.teacher as string | null,
    jobId: r.job_id as number | null,
    chunk: { id: r.chunk_id as number, seq: r.seq as number, pageFrom: r.page_from as number, pageTo: r.page_to as number, headingPath: JSON.parse(r.heading_path as string) as string[], start: r.start_char as number, end: r.end_char as number, text: r.text as string },
    document: { id: r.document_id as number, name: r.document as string, kind: r.kind as DocKind, paged: Boolean(r.paged) },
  };
}

export function countSynthesized(db: DB): number {
  return db.prepare('SELECT COUNT(*) FROM question_chunks').pluck().get() as number;
}

export function synthOutcomes(db: DB, jobId: number, status?: 'accepted' | 'duplicate' | 'rejected', offset = 0, limit = 200) {
  const where = status ? 'AND status = ?' : '';
  const args: unknown[] = status ? [jobId, status] : [jobId];
  const rows = db.prepare(`SELECT id, chunk_id, status, reason, question_id, question, raw FROM synth_outcomes WHERE job_id = ? ${where} ORDER BY id LIMIT ? OFFSET ?`).all(...args, limit, offset);
  const counts = Object.fromEntries((db.prepare('SELECT status, COUNT(*) AS n FROM synth_outcomes WHERE job_id = ? GROUP BY status').all(jobId) as { status: string; n: number }[]).map((r) => [r.status, r.n]));
  return { rows: rows as { id: number; chunk_id: number; status: string; reason: string | null; question_id: number | null; question: string | null; raw: string | null }[], counts: { accepted: counts.accepted ?? 0, duplicate: counts.duplicate ?? 0, rejected: counts.rejected ?? 0 } };
}

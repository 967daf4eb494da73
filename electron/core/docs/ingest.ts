import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Project } from '../store/project';
import { listTeachers } from '../teacher/store';
import { loadTokenizerFile, tokenizerForModel, type LoadedTokenizer } from '../tokens';
import { UserError } from '../util/errors';
import { mkdirPrivate, writePrivateFile } from '../util/private-fs';
import { asStorageError } from '../util/sqlite-errors';
import { chunkBlocks, estimateTokens, ESTIMATE_LABEL } from './chunker';
import { ACCEPTED, kindOf, MAX_FILE_BYTES, readAny } from './readers';
import { findBySha, insertDocument } from './store';

export interface AddOptions {
  /** A model folder (or its tokenizer.json) whose tokenizer sizes the chunks; else a teacher's local model folder, else an estimate. */
  tokenizer?: string;
  maxTokens?: number;
  /** false: never run tesseract, even when it is installed. */
  ocr?: boolean;
}

export interface FileReport {
  name: string;
  status: 'added' | 'duplicate' | 'failed' | 'skipped';
  documentId: number | null;
  kind: string | null;
  pages: number;
  pagesWithText: number;
  scannedPages: number[];
  chars: number;
  chunks: number;
  tokens: number;
  /** failed or skipped: the one sentence why; otherwise caveats (scanned pages, encoding). */
  message: string | null;
  notes: string[];
}

export interface AddReport {
  tokenizer: string;
  files: FileReport[];
  added: number;
  duplicates: number;
  failed: number;
  skipped: number;
  pages: number;
  chars: number;
  chunks: number;
}

/** The tokenizer that sizes chunks in the teacher's tokens, and the words that say which one it was. */
export function chunkCounter(project: Project, tokenizer?: string): { count: (s: string) => number; label: string } {
  let tok: LoadedTokenizer | null = null;
  let label = ESTIMATE_LABEL;
  if (tokenizer) {
    const file = fs.existsSync(tokenizer) && fs.statSync(tokenizer).isDirectory() ? path.join(tokenizer, 'tokenizer.json') : tokenizer;
    if (!fs.existsSync(file)) throw new UserError(`There is no tokenizer.json at ${file}; name a model folder that holds one, or leave the tokenizer out to use an estimate.`, 'bad_tokenizer');
    tok = loadTokenizerFile(file);
    label = `tokenizer ${file}`;
  } else {
    for (const t of listTeachers(project.db)) {
      tok = tokenizerForModel(t.model);
      if (tok) {
        label = `teacher "${t.name}" tokenizer (${path.join(t.model, 'tokenizer.json')})`;
        break;
      }
    }
  }
  return { count: tok ? (s) => tok.count(s) : estimateTokens, label };
}

/** Files under a folder (recursively) that Distillery reads, in name order; hidden files skipped. */
function expand(p: string): string[] {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return [p];
  const out: string[] = [];
  const stack = [p];
  while (stack.length) {
    const dir = stack.pop()!;
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(full);
      else if (e.isFile() && ACCEPTED.includes(path.extname(e.name).toLowerCase())) out.push(full);
    }
  }
  return out.sort();
}

const shown = (project: Project, abs: string) => {
  const rel = path.relative(project.dir, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
};

export type Source = { path: string } | { name: string; data: Uint8Array };

/**
 * Reads files (folders: every document under them; .zip: every member), chunks them and stores them. Every
 * file ends added, duplicate (the same bytes were added before), failed (one sentence why: locked, broken) or
 * skipped (not a document type); a failure never stops the other files. Uploaded bytes are kept under
 * artifacts/documents/ first, so that what the user gave is never lost.
 */
export async function addDocuments(project: Project, sources: readonly Source[], opts: AddOptions = {}, onFile?: (r: FileReport) => void): Promise<AddReport> {
  const counter = chunkCounter(project, opts.tokenizer);
  const files: FileReport[] = [];
  const push = (r: FileReport) => {
    files.push(r);
    onFile?.(r);
  };
  const blank = (name: string, status: FileReport['status'], message: string | null): FileReport => ({ name, status, documentId: null, kind: null, pages: 0, pagesWithText: 0, scannedPages: [], chars: 0, chunks: 0, tokens: 0, message, notes: [] });

  const inputs: { name: string; abs: string | null; data?: Uint8Array }[] = [];
  for (const s of sources) {
    if ('data' in s) {
      const safe = path.basename(s.name).replace(/[^\p{L}\p{N}._ -]/gu, '_') || 'document';
      const dir = path.join(project.artifactsDir, 'documents');
      mkdirPrivate(dir);
      let abs = path.join(dir, safe);
      for (let i = 2; fs.existsSync(abs); i++) abs = path.join(dir, `${path.parse(safe).name} (${i})${path.extname(safe)}`);
      try {
        writePrivateFile(abs, Buffer.from(s.data));
      } catch (e) {
        throw asStorageError(e, abs, 'Nothing was added.');
      }
      inputs.push({ name: safe, abs, data: s.data });
      continue;
    }
    const abs = path.resolve(s.path);
    if (!fs.existsSync(abs)) throw new UserError(`${abs} does not exist; check the path and add it again.`, 'not_found');
    for (const f of expand(abs)) inputs.push({ name: path.basename(f), abs: f });
  }

  for (const input of inputs) {
    let bytes = input.data;
    if (!bytes) {
      const size = fs.statSync(input.abs!).size;
      if (size > MAX_FILE_BYTES) {
        push(blank(input.name, 'failed', `${input.name} is ${Math.round(size / 1024 / 1024)} MiB, over the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit for one document; split it and add the parts.`));
        continue;
      }
      try {
        bytes = new Uint8Array(fs.readFileSync(input.abs!));
      } catch (e) {
        push(blank(input.name, 'failed', `${input.abs} could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check its permissions and add it again.`));
        continue;
      }
    }
    const where = input.abs ? shown(project, input.abs) : null;
    for await (const r of readAny(input.name, bytes, { ocr: opts.ocr })) {
      if (r.skipped) {
        push(blank(r.name, 'skipped', r.skipped));
        continue;
      }
      const sha = createHash('sha256').update(r.bytes).digest('hex');
      const prev = r.error ? undefined : findBySha(project.db, sha);
      if (prev) {
        push({ ...blank(r.name, 'duplicate', `the same file was added before as document #${prev.id} (${prev.name})`), documentId: prev.id });
        continue;
      }
      const member = r.name === input.name ? where : where ? `${where}${r.name.slice(input.name.length)}` : null;
      const kind = kindOf(r.name);
      if (r.error || !r.doc) {
        const id = insertDocument(project.db, { name: r.name, path: member, kind: kind === 'zip' || kind === null ? 'text' : kind, sha256: sha, bytes: r.bytes.length, status: 'failed', error: r.error ?? 'not read', notes: [], title: null, paged: false, pages: [], text: null, chunks: [], tokenizer: null });
        push({ ...blank(r.name, 'failed', r.error ?? 'not read'), documentId: id });
        continue;
      }
      const doc = r.doc;
      const { text, chunks } = chunkBlocks(doc.blocks, counter.count, { maxTokens: opts.maxTokens });
      const scanned = doc.pages.filter((p) => p.status === 'scanned').map((p) => p.page);
      let status: 'ok' | 'partial' = scanned.length ? 'partial' : 'ok';
      const notes = [...doc.notes];
      if (!chunks.length) {
        status = 'partial';
        if (!scanned.length) notes.push(`${r.name} holds no text to read (${doc.pages.length} page${doc.pages.length === 1 ? '' : 's'}, all empty).`);
      }
      let id: number;
      try {
        id = insertDocument(project.db, { name: r.name, path: member, kind: doc.kind, sha256: sha, bytes: r.bytes.length, status, error: null, notes, title: doc.title, paged: doc.paged, pages: doc.pages, text, chunks, tokenizer: counter.label });
      } catch (e) {
        throw asStorageError(e, project.dbPath, 'The documents added before this one are kept.');
      }
      push({
        name: r.name,
        status: 'added',
        documentId: id,
        kind: doc.kind,
        pages: doc.pages.length,
        pagesWithText: doc.pages.filter((p) => p.status === 'text' || p.status === 'ocr').length,
        scannedPages: scanned,
        chars: doc.pages.reduce((n, p) => n + p.chars, 0),
        chunks: chunks.length,
        tokens: chunks.reduce((n, c) => n + c.tokens, 0),
        message: notes[0] ?? null,
        notes,
      });
    }
  }
  const by = (s: FileReport['status']) => files.filter((f) => f.status === s).length;
  return {
    tokenizer: counter.label,
    files,
    added: by('added'),
    duplicates: by('duplicate'),
    failed: by('failed'),
    skipped: by('skipped'),
    pages: files.reduce((n, f) => n + f.pages, 0),
    chars: files.reduce((n, f) => n + f.chars, 0),
    chunks: files.reduce((n, f) => n + f.chunks, 0),
  };
}

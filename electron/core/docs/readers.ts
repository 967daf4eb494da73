import path from 'node:path';
import mammoth from 'mammoth';
import MarkdownIt from 'markdown-it';
import { unzipSync } from 'fflate';
import { htmlBlocks } from './html';
import { readPdf } from './pdf';
import type { Block, DocKind, ReadDoc } from './types';

export const EXTENSIONS: Readonly<Record<string, DocKind>> = {
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.text': 'text',
};
/** Every extension the Sources tab and `docs add` accept (.zip holds any of the others). */
export const ACCEPTED = [...Object.keys(EXTENSIONS), '.zip'];

/** Per file, and in all, what a .zip may unpack to: a zip bomb is refused with a sentence, not run out of memory. */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;
const MAX_ZIP_TOTAL = 1024 * 1024 * 1024;
const MAX_ZIP_DEPTH = 2;

const md = new MarkdownIt({ html: false, linkify: false });

/** One file (or .zip member) as read: its document, or the one sentence saying why it was not read. */
export interface FileRead {
  /** The name shown: the file name, or `archive.zip/inner/name.pdf` for a member. */
  name: string;
  bytes: Uint8Array;
  doc?: ReadDoc;
  error?: string;
  /** Not a document (a .zip member of another type, a folder entry): listed, not read. */
  skipped?: string;
}

function decodeText(bytes: Uint8Array, name: string, notes: string[]): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    notes.push(`${name} is not valid UTF-8; it was read as Latin-1 (Windows-1252), so accented letters may look wrong — save it as UTF-8 and add it again if they do.`);
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function textBlocks(text: string): Block[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/[ \t]*\n[ \t]*/g, '\n').trim())
    .filter(Boolean)
    .map((p) => ({ kind: 'text' as const, text: p, page: 1 }));
}

const onePage = (kind: DocKind, blocks: Block[], title: string | null, notes: string[]): ReadDoc => ({
  kind,
  title,
  blocks,
  pages: [{ page: 1, chars: blocks.reduce((n, b) => n + b.text.replace(/\s/g, '').length, 0), status: blocks.length ? 'text' : 'empty' }],
  paged: false,
  notes,
});

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5);
const isOle = (b: Uint8Array) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

async function readDocx(bytes: Uint8Array, name: string): Promise<ReadDoc> {
  // Office encrypts a password-protected .docx into an OLE compound file; an old .doc is one too.
  if (isOle(bytes)) throw new Error(`${name} is password-protected (or an old Word 97–2003 file renamed .docx); open it in Word, save it as .docx without a password and add that copy.`);
  if (!isZip(bytes)) throw new Error(`${name} is not a Word document (.docx is a zip archive; this file is not one); it may be damaged — save it again from Word and add the new copy.`);
  let r: { value: string; messages: { type: string; message: string }[] };
  try {
    r = await mammoth.convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  } catch (e) {
    throw new Error(`${name} could not be read as a Word document (${(e as Error).message}); it may be damaged — save it again from Word and add the new copy.`, { cause: e });
  }
  const notes = r.messages.filter((m) => m.type === 'error').slice(0, 3).map((m) => `${name}: ${m.message}`);
  const { blocks } = htmlBlocks(r.value);
  return onePage('docx', blocks, null, notes);
}

/** Reads one document's bytes by its kind. Throws an Error whose message is the user's sentence. */
export async function readDocument(kind: DocKind, bytes: Uint8Array, name: string, opts: { ocr?: boolean } = {}): Promise<ReadDoc> {
  switch (kind) {
    case 'pdf':
      if (bytes.length < 5 || Buffer.from(bytes.subarray(0, 1024)).indexOf('%PDF-') < 0) throw new Error(`${name} is not a PDF (it does not start with %PDF-); it may be another kind of file renamed .pdf.`);
      return readPdf(bytes, name, opts);
    case 'docx':
      return readDocx(bytes, name);
    case 'html': {
      const notes: string[] = [];
      const { blocks, title } = htmlBlocks(decodeText(bytes, name, notes));
      return onePage('html', blocks, title, notes);
    }
    case 'markdown': {
      const notes: string[] = [];
      return onePage('markdown', htmlBlocks(md.render(decodeText(bytes, name, notes))).blocks, null, notes);
    }
    case 'text': {
      const notes: string[] = [];
      return onePage('text', textBlocks(decodeText(bytes, name, notes)), null, notes);
    }
  }
}

export function kindOf(name: string): DocKind | 'zip' | null {
  const ext = path.extname(name).toLowerCase();
  if (ext === '.zip') return 'zip';
  return EXTENSIONS[ext] ?? null;
}

/**
 * Reads a file, or every member of a .zip (nested up to two levels), yielding one `FileRead` each, so that a
 * broken or locked member is its own sentence and the others are still read.
 */
export async function* readAny(name: string, bytes: Uint8Array, opts: { ocr?: boolean } = {}, depth = 0): AsyncGenerator<FileRead> {
  const kind = kindOf(name);
  if (kind === null) {
    yield { name, bytes, skipped: `${path.extname(name) || 'no extension'}: not a document type Distillery reads (${ACCEPTED.join(', ')})` };
    return;
  }
  if (kind !== 'zip') {
    try {
      yield { name, bytes, doc: await readDocument(kind, bytes, name, opts) };
    } catch (e) {
      yield { name, bytes, error: (e as Error).message };
    }
    return;
  }
  if (depth >= MAX_ZIP_DEPTH) {
    yield { name, bytes, skipped: 'a .zip nested more than two levels deep; unpack it and add its files' };
    return;
  }
  let total = 0;
  let tooBig: string | null = null;
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/') || f.name.startsWith('__MACOSX/') || path.basename(f.name).startsWith('.')) return false;
        total += f.originalSize;
        if (f.originalSize > MAX_FILE_BYTES || total > MAX_ZIP_TOTAL) {
          tooBig ??= f.name;
          return false;
        }
        return true;
      },
    });
  } catch (e) {
    yield { name, bytes, error: `${name} is not a readable .zip archive (${(e as Error).message}); it may be damaged or encrypted — unpack it with your archive tool and add the files.` };
    return;
  }
  if (tooBig) yield { name: `${name}/${tooBig}`, bytes: new Uint8Array(0), error: `${name}/${tooBig} unpacks to more than ${MAX_FILE_BYTES / 1024 / 1024} MiB (or the archive to more than 1 GiB); unpack it yourself and add the files one by one.` };
  for (const [inner, data] of Object.entries(members).sort(([a], [b]) => a.localeCompare(b))) {
    yield* readAny(`${name}/${inner}`, data, opts, depth + 1);
  }
}

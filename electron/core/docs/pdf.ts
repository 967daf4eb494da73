import { createRequire } from 'node:module';
import path from 'node:path';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import { appRoot } from '../util/root';
import { ocrPage, ocrAvailable } from './ocr';
import type { Block, PageInfo, ReadDoc } from './types';

type PdfJs = typeof PdfJsModule;
let pdfjs: Promise<PdfJs> | null = null;
/** pdf.js's legacy build runs in plain Node (20+) without a browser; its CMaps let it read CJK text layers. */
const loadPdfJs = () => (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'));
const assetDir = () => path.dirname(createRequire(path.join(appRoot(), 'package.json')).resolve('pdfjs-dist/package.json'));

interface Line {
  text: string;
  y: number;
  size: number;
  page: number;
}

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

/** Joins two lines of one paragraph: no space between Chinese characters, a line-end hyphen rejoins its word. */
function join(a: string, b: string): string {
  if (!a) return b;
  if (/[a-z]-$/.test(a) && /^[a-z]/.test(b)) return a.slice(0, -1) + b;
  if (CJK.test(a.slice(-1)) && CJK.test(b.charAt(0))) return a + b;
  return `${a} ${b}`;
}

export class PdfError extends Error {
  constructor(
    message: string,
    readonly reason: 'locked' | 'broken',
  ) {
    super(message);
  }
}

/**
 * Reads a PDF's text layer page by page. Lines come from pdf.js's text items; a line set larger than the body
 * text and short is a heading (its size rank is its level); a vertical gap wider than the line spacing starts a
 * paragraph. A page without a single character is "scanned" when it paints an image (OCR'd with a local
 * tesseract when one is installed), else empty.
 */
export async function readPdf(bytes: Uint8Array, name: string, opts: { ocr?: boolean } = {}): Promise<ReadDoc> {
  const lib = await loadPdfJs();
  const dir = assetDir();
  let doc: Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
  try {
    doc = await lib.getDocument({
      // pdf.js takes (detaches) the buffer it is given: a copy keeps the caller's bytes for hashing.
      data: bytes.slice(),
      cMapUrl: `${dir}/cmaps/`,
      cMapPacked: true,
      standardFontDataUrl: `${dir}/standard_fonts/`,
      isEvalSupported: false,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (e) {
    const err = e as Error;
    if (err.name === 'PasswordException') throw new PdfError(`${name} is password-protected; open it, save a copy without the password (or print it to PDF) and add that copy.`, 'locked');
    throw new PdfError(`${name} is not a readable PDF (${err.message}); it may be damaged or only partly downloaded — export it again and add the new copy.`, 'broken');
  }
  const lines: Line[] = [];
  const pages: PageInfo[] = [];
  const notes: string[] = [];
  const scanned: number[] = [];
  let ocrOk: boolean | null = null;
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const tc = await page.getTextContent();
      let cur: Line | null = null;
      let chars = 0;
      for (const it of tc.items) {
        if (!('str' in it)) continue;
        const y = it.transform[5] as number;
        if (cur && Math.abs(cur.y - y) > 1) {
          lines.push(cur);
          cur = null;
        }
        if (it.str) {
          cur ??= { text: '', y, size: 0, page: n };
          cur.text += it.str;
          cur.size = Math.max(cur.size, it.height);
          chars += it.str.replace(/\s/g, '').length;
        }
        if (it.hasEOL && cur) {
          lines.push(cur);
          cur = null;
        }
      }
      if (cur) lines.push(cur);
      if (chars > 0) pages.push({ page: n, chars, status: 'text' });
      else {
        const ops = await page.getOperatorList();
        const paints = ops.fnArray.some((f) => f === lib.OPS.paintImageXObject || f === lib.OPS.paintInlineImageXObject || f === lib.OPS.paintImageMaskXObject);
        if (!paints) pages.push({ page: n, chars: 0, status: 'empty' });
        else {
          ocrOk ??= opts.ocr === false ? false : await ocrAvailable();
          const text = ocrOk ? await ocrPage(page) : null;
          if (text && text.trim()) {
            pages.push({ page: n, chars: text.replace(/\s/g, '').length, status: 'ocr' });
            for (const para of text.split(/\n\s*\n/)) if (para.trim()) lines.push({ text: para.replace(/\s+/g, ' ').trim(), y: -1e9, size: 0, page: n });
          } else {
            pages.push({ page: n, chars: 0, status: 'scanned' });
            scanned.push(n);
          }
        }
      }
      page.cleanup();
    }
  } finally {
    await doc.destroy();
  }
  if (scanned.length) {
    const list = scanned.length > 12 ? `${scanned.slice(0, 12).join(', ')} … (${scanned.length} pages)` : scanned.join(', ');
    notes.push(
      ocrOk
        ? `${name}: page${scanned.length > 1 ? 's' : ''} ${list} are scanned images that tesseract could not read; they were not used.`
        : `${name}: page${scanned.length > 1 ? 's' : ''} ${list} ${scanned.length > 1 ? 'are' : 'is'} scanned — needs OCR. No local tesseract was found, so ${scanned.length > 1 ? 'they were' : 'it was'} not read; install tesseract (with the chi_sim language for Chinese) and add the file again, or add a copy with a text layer.`,
    );
  }
  return { kind: 'pdf', title: null, blocks: toBlocks(lines), pages, paged: true, notes };
}

function toBlocks(lines: Line[]): Block[] {
  // The body size is the size holding the most characters; larger, short lines are headings.
  const bySize = new Map<number, number>();
  for (const l of lines) if (l.size > 0) bySize.set(Math.round(l.size), (bySize.get(Math.round(l.size)) ?? 0) + l.text.length);
  let body = 0;
  let most = -1;
  for (const [s, c] of bySize) if (c > most) [body, most] = [s, c];
  const headingSizes = [...bySize.keys()].filter((s) => body > 0 && s >= body * 1.2).sort((a, b) => b - a);
  const blocks: Block[] = [];
  let para: Block | null = null;
  let prev: Line | null = null;
  for (const l of lines) {
    const text = l.text.replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const rank = headingSizes.indexOf(Math.round(l.size));
    if (rank >= 0 && text.length <= 160) {
      para = null;
      const last = blocks[blocks.length - 1];
      // A heading wrapped over two lines is one heading.
      if (last?.kind === 'heading' && last.level === Math.min(rank + 1, 6) && prev && prev.page === l.page && prev.y - l.y < l.size * 1.8) last.text = join(last.text, text);
      else blocks.push({ kind: 'heading', level: Math.min(rank + 1, 6), text, page: l.page });
    } else {
      const gap = prev && prev.page === l.page ? prev.y - l.y : Infinity;
      if (!para || para.page !== l.page || gap > Math.max(l.size, prev?.size ?? 0) * 1.8 || l.y === -1e9) {
        para = { kind: 'text', text, page: l.page };
        blocks.push(para);
      } else para.text = join(para.text, text);
    }
    prev = l;
  }
  return blocks;
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { PDFPageProxy } from 'pdfjs-dist/types/src/display/api';

/**
 * OCR of scanned pages, only with a tesseract binary already installed on this machine: nothing is downloaded.
 * The page is rendered by pdf.js onto @napi-rs/canvas (pdf.js's own Node canvas) and read as English plus
 * Simplified Chinese where that language is installed.
 */
let found: Promise<string[] | null> | null = null;

export function ocrAvailable(): Promise<boolean> {
  found ??= execa('tesseract', ['--list-langs'], { reject: false, timeout: 10_000 }).then((r) =>
    r.exitCode === 0 ? `${r.stdout}\n${r.stderr}`.split('\n').map((s) => s.trim()).filter((s) => /^[a-z_]+$/i.test(s)) : null,
  ).catch(() => null);
  return found.then((l) => l !== null && l.includes('eng'));
}

export async function ocrPage(page: PDFPageProxy): Promise<string | null> {
  const langs = (await found) ?? [];
  const viewport = page.getViewport({ scale: 2 });
  let file: string | null = null;
  try {
    const { createCanvas } = (await import('@napi-rs/canvas')) as unknown as { createCanvas(w: number, h: number): { getContext(k: '2d'): unknown; toBuffer(t: 'image/png'): Buffer } };
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    await page.render({ canvasContext: canvas.getContext('2d') as never, viewport }).promise;
    file = path.join(os.tmpdir(), `distillery-ocr-${process.pid}-${Date.now()}.png`);
    fs.writeFileSync(file, canvas.toBuffer('image/png'), { mode: 0o600 });
    const lang = langs.includes('chi_sim') ? 'eng+chi_sim' : 'eng';
    const r = await execa('tesseract', [file, 'stdout', '-l', lang], { reject: false, timeout: 120_000 });
    return r.exitCode === 0 ? r.stdout : null;
  } catch {
    return null;
  } finally {
    if (file) fs.rmSync(file, { force: true });
  }
}

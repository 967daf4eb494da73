import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProject, type Project } from '../store/project';
import { chunkBlocks } from './chunker';
import { FIXTURE_FACTS, writeFixtures } from './fixtures';
import { addDocuments } from './ingest';
import { documentPages, listChunks, listDocuments } from './store';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-'));
const files = writeFixtures(path.join(tmp, 'in'));
const projects: Project[] = [];
const project = () => {
  const p = createProject(path.join(tmp, `p${projects.length}`));
  projects.push(p);
  return p;
};
afterAll(() => projects.forEach((p) => p.close()));

describe('documents in', () => {
  it('reads PDF, DOCX, HTML, Markdown and a zip; accounts for every page; a locked and a broken file fail alone', async () => {
    const p = project();
    const r = await addDocuments(p, [{ path: files.pdf }, { path: files.docx }, { path: files.html }, { path: files.zip }, { path: files.locked }, { path: files.broken }], { ocr: false });
    const by = Object.fromEntries(r.files.map((f) => [f.name, f]));
    expect(Object.keys(by).sort()).toEqual(['broken.pdf', 'bundle.zip/policies/logo.png', 'bundle.zip/policies/mileage.md', 'bundle.zip/policies/notes.txt', 'locked.pdf', 'receipts.html', 'travel.pdf', 'working-time.docx']);
    // PDF: three pages, the middle one an image only: reported, not silently dropped.
    expect(by['travel.pdf']).toMatchObject({ status: 'added', pages: 3, pagesWithText: 2, scannedPages: [2] });
    expect(by['travel.pdf']!.message).toMatch(/page 2 is scanned — needs OCR\. No local tesseract was found/);
    const docs = listDocuments(p.db);
    const pdf = docs.find((d) => d.name === 'travel.pdf')!;
    expect(pdf.status).toBe('partial');
    expect(documentPages(p.db, pdf.id).map((x) => x.status)).toEqual(['text', 'scanned', 'text']);
    const pdfChunks = listChunks(p.db, pdf.id).rows;
    expect(pdfChunks.map((c) => c.text).join('\n')).toContain(FIXTURE_FACTS.pdfQuote);
    expect(pdfChunks[0]!.heading_path).toEqual(['Travel expenses']);
    expect(pdfChunks.at(-1)!.page_from).toBe(3);
    // DOCX: headings become the heading path, the table stays a table of text.
    const docx = docs.find((d) => d.name === 'working-time.docx')!;
    const dc = listChunks(p.db, docx.id).rows;
    const holiday = dc.find((c) => c.text.includes(FIXTURE_FACTS.docxQuote))!;
    expect(holiday.heading_path).toEqual(['Working time', 'Public holidays']);
    expect(dc.find((c) => c.text.includes(FIXTURE_FACTS.tableRow))!.heading_path).toEqual(['Working time', 'Per diem rates']);
    // HTML: the main text without navigation, header, footer, sidebar, script or style.
    const html = docs.find((d) => d.name === 'receipts.html')!;
    const ht = listChunks(p.db, html.id).rows.map((c) => c.text).join('\n');
    expect(ht).toContain(FIXTURE_FACTS.htmlQuote);
    expect(ht).toContain('original receipt & a short purpose');
    expect(ht).toContain('- Photos must be legible.');
    for (const chrome of [FIXTURE_FACTS.navText, 'ACME intranet', 'Imprint', 'Related: Travel policy', 'tracking', 'color:red']) expect(ht).not.toContain(chrome);
    expect(html.title).toBe('Receipts policy');
    // Zip: members read one by one; a non-document is listed as skipped with why.
    expect(by['bundle.zip/policies/mileage.md']).toMatchObject({ status: 'added', kind: 'markdown' });
    expect(by['bundle.zip/policies/logo.png']!.status).toBe('skipped');
    // Locked and broken: one sentence each, stored as failed documents; everything else was added.
    expect(by['locked.pdf']).toMatchObject({ status: 'failed' });
    expect(by['locked.pdf']!.message).toBe('locked.pdf is password-protected; open it, save a copy without the password (or print it to PDF) and add that copy.');
    expect(by['broken.pdf']!.message).toMatch(/^broken\.pdf is not a readable PDF \(.+\); it may be damaged/);
    expect(r).toMatchObject({ added: 5, failed: 2, skipped: 1, duplicates: 0 });
    expect(r.tokenizer).toMatch(/^estimate/);
    // Provenance: every chunk is the exact slice of its document's text at its offsets.
    for (const d of docs.filter((x) => x.status !== 'failed')) {
      const text = p.db.prepare('SELECT text FROM documents WHERE id = ?').pluck().get(d.id) as string;
      for (const c of listChunks(p.db, d.id).rows) expect(text.slice(c.start_char, c.end_char)).toBe(c.text);
    }
    // The same bytes again are a duplicate, not a second copy.
    const again = await addDocuments(p, [{ path: files.pdf }], { ocr: false });
    expect(again.files[0]).toMatchObject({ status: 'duplicate', documentId: pdf.id });
  });

  it('reads a whole folder, and keeps uploaded bytes under artifacts/documents', async () => {
    const p = project();
    const r = await addDocuments(p, [{ path: path.dirname(files.pdf) }], { ocr: false });
    expect(r.files.map((f) => f.name)).toContain('mileage.md');
    const up = await addDocuments(p, [{ name: 'notes.txt', data: new TextEncoder().encode('Uploaded policy text.\n\nSecond paragraph.') }]);
    expect(up.files[0]).toMatchObject({ status: 'added', chunks: 1 });
    expect(fs.readFileSync(path.join(p.artifactsDir, 'documents', 'notes.txt'), 'utf8')).toContain('Uploaded policy text.');
  });
});

describe('chunker', () => {
  it('starts a chunk at each heading, fills paragraphs up to the size, cuts an oversized paragraph at sentence ends', () => {
    const long = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} says something about the rules.`).join(' ');
    const { text, chunks } = chunkBlocks(
      [
        { kind: 'heading', level: 1, text: 'A', page: 1 },
        { kind: 'text', text: 'one two three', page: 1 },
        { kind: 'heading', level: 2, text: 'B', page: 1 },
        { kind: 'text', text: long, page: 2 },
        { kind: 'heading', level: 1, text: 'C', page: 3 },
        { kind: 'text', text: '每日餐费上限为四十欧元。', page: 3 },
      ],
      undefined,
      { maxTokens: 100 },
    );
    expect(chunks[0]).toMatchObject({ text: 'A\n\none two three', headingPath: ['A'], pageFrom: 1, pageTo: 1 });
    const b = chunks.filter((c) => c.headingPath.join('/') === 'A/B');
    expect(b.length).toBeGreaterThan(1);
    expect(b[0]!.text.startsWith('B\n\nSentence number 0')).toBe(true);
    for (const c of b) expect(c.tokens).toBeLessThanOrEqual(100);
    expect(b.at(-1)!.text.endsWith('rules.')).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ headingPath: ['C'], pageFrom: 3 });
    for (const c of chunks) expect(text.slice(c.start, c.end)).toBe(c.text);
  });
});

describe('the sample handbook', () => {
  it('comes with the sample project, and reads back in English and Chinese from PDF and DOCX alike', async () => {
    const { createSampleProject } = await import('../sample');
    const { HANDBOOK_FACTS, HANDBOOK_FILES } = await import('./handbook');
    const p = createSampleProject(path.join(tmp, 'sample'));
    projects.push(p);
    const dir = path.join(p.artifactsDir, 'documents', 'sample-handbook');
    expect(fs.readdirSync(dir).sort()).toEqual([...HANDBOOK_FILES].sort());
    const r = await addDocuments(p, [{ path: dir }]);
    expect(r).toMatchObject({ added: 4, failed: 0, duplicates: 0 });
    for (const name of HANDBOOK_FILES) {
      const d = listDocuments(p.db).find((x) => x.name === name)!;
      const text = listChunks(p.db, d.id).rows.map((c) => c.text).join('\n');
      expect(text).toContain(name.includes('-zh') ? HANDBOOK_FACTS.zh : HANDBOOK_FACTS.en);
      if (name.endsWith('.pdf')) expect(d.pages).toBeGreaterThan(1);
    }
  });
});

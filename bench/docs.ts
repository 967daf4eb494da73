/**
 * npm run bench:docs — documents in at scale: a 500-page text PDF and 200 DOCX files, generated here (the PDF
 * with a real text layer by core/docs/pdfwriter, the DOCX by core/docs/docxwriter), then read, chunked and stored
 * in a fresh project exactly as `distillery docs add` does. Prints wall and CPU time per phase and peak memory.
 * Target: under 30 s for both on the shared 2-core machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDocx, type DocxBlock } from '../electron/core/docs/docxwriter';
import { addDocuments } from '../electron/core/docs/ingest';
import { writePdf, wrap, type PdfLine } from '../electron/core/docs/pdfwriter';
import { createProject } from '../electron/core/store/project';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-docs-'));
const words = 'expense receipt hotel night allowance manager approval invoice mileage tax deductible rate limit travel booking policy employee company department'.split(' ');
let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const sentence = () => `${Array.from({ length: 10 + Math.floor(rnd() * 12) }, () => words[Math.floor(rnd() * words.length)]).join(' ')} ${Math.floor(rnd() * 500)} EUR.`;
const para = () => Array.from({ length: 3 + Math.floor(rnd() * 4) }, sentence).join(' ');

const t0 = Date.now();
const pages = Array.from({ length: 500 }, (_, i) => {
  const lines: PdfLine[] = i % 5 === 0 ? [{ text: `Chapter ${i / 5 + 1}`, size: 16 }, { text: '' }] : [];
  while (lines.length < 40) {
    for (const l of wrap(para(), 95)) lines.push({ text: l });
    lines.push({ text: '' });
  }
  return { lines: lines.slice(0, 44) };
});
const pdf = path.join(dir, 'manual-500.pdf');
fs.writeFileSync(pdf, writePdf(pages));
const docxDir = path.join(dir, 'docx');
fs.mkdirSync(docxDir);
for (let i = 0; i < 200; i++) {
  const blocks: DocxBlock[] = [{ kind: 'heading', level: 1, text: `Case file ${i + 1}` }];
  for (let s = 0; s < 4; s++) {
    blocks.push({ kind: 'heading', level: 2, text: `Section ${s + 1}` }, { kind: 'para', text: para() }, { kind: 'para', text: para() });
    if (s === 2) blocks.push({ kind: 'table', rows: [['Item', 'Amount'], ['Hotel', String(Math.floor(rnd() * 300))], ['Meals', String(Math.floor(rnd() * 80))]] });
  }
  fs.writeFileSync(path.join(docxDir, `case-${String(i + 1).padStart(3, '0')}.docx`), writeDocx(blocks));
}
console.log(`fixtures written in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${(fs.statSync(pdf).size / 1024 / 1024).toFixed(1)} MiB PDF, 200 DOCX`);

const project = createProject(path.join(dir, 'project'));
for (const [label, src] of [
  ['500-page PDF', pdf],
  ['200 DOCX', docxDir],
] as const) {
  const c0 = process.cpuUsage();
  const w0 = Date.now();
  const r = await addDocuments(project, [{ path: src }], { ocr: false });
  const wall = (Date.now() - w0) / 1000;
  const cpu = process.cpuUsage(c0);
  console.log(
    `${label.padEnd(13)} wall ${wall.toFixed(2)} s  CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s  files ${r.added}/${r.files.length}  pages ${r.pages}  characters ${r.chars}  chunks ${r.chunks}  (${r.tokenizer})`,
  );
}
console.log(`peak memory (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
project.close();
fs.rmSync(dir, { recursive: true, force: true });

import fs from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { writeDocx } from './docxwriter';
import { writePdf, wrap, type PdfLine } from './pdfwriter';

/**
 * Real files for tests and the bench, written by code: a PDF with a text layer and one scanned (image-only) page,
 * a DOCX with headings and a table, an HTML page inside navigation chrome, a Markdown file, a .zip of them, a
 * password-protected PDF and a broken one.
 */
export const FIXTURE_FACTS = {
  pdfQuote: 'Hotel costs are reimbursed up to EUR 120 per night in capital cities.',
  docxQuote: 'An employee who works more than 10 hours on a public holiday receives a second day off.',
  tableRow: 'Munich | 28 | 14',
  htmlQuote: 'Receipts older than 90 days are not accepted for reimbursement.',
  navText: 'Home | Careers | Contact us',
};

/** A gray pattern standing in for a scanned page (no text layer at all). */
export function scanImage(w = 120, h = 160): { width: number; height: number; gray: Uint8Array } {
  const gray = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) gray[y * w + x] = (x * 7 + y * 13) % 5 === 0 ? 40 : 235;
  return { width: w, height: h, gray };
}

export function paragraphLines(title: string, paragraphs: string[], size = 11): PdfLine[] {
  const lines: PdfLine[] = [{ text: title, size: 16 }, { text: '' }];
  for (const p of paragraphs) {
    for (const l of wrap(p)) lines.push({ text: l, size });
    lines.push({ text: '' });
  }
  return lines;
}

export function fixturePdf(): Buffer {
  return writePdf([
    { lines: paragraphLines('Travel expenses', ['Business travel must be approved by the line manager before booking.', `${FIXTURE_FACTS.pdfQuote} Elsewhere the limit is EUR 90 per night.`]) },
    { image: scanImage() },
    { lines: paragraphLines('Meals', ['Meals are covered by a daily allowance; the allowance is reduced by 20% for each meal provided by the host.']) },
  ]);
}

export function fixtureDocx(): Buffer {
  return writeDocx([
    { kind: 'heading', level: 1, text: 'Working time' },
    { kind: 'para', text: 'The regular working week is 40 hours.' },
    { kind: 'heading', level: 2, text: 'Public holidays' },
    { kind: 'para', text: FIXTURE_FACTS.docxQuote },
    { kind: 'bullet', text: 'Holiday work must be recorded in the time sheet.' },
    { kind: 'heading', level: 2, text: 'Per diem rates' },
    { kind: 'table', rows: [['City', 'Full day (EUR)', 'Half day (EUR)'], ['Munich', '28', '14'], ['Berlin', '24', '12']] },
  ]);
}

export function fixtureHtml(): string {
  return `<!doctype html><html><head><title>Receipts policy</title><style>body{color:red}</style><script>var tracking = "do not read";</script></head>
<body><header><a href="/">ACME intranet</a></header><nav><ul><li>${FIXTURE_FACTS.navText}</li></ul></nav>
<main><h1>Receipts</h1><p>Every expense needs an original receipt &amp; a short purpose.</p><p>${FIXTURE_FACTS.htmlQuote}</p>
<ul><li>Scanned receipts are accepted.</li><li>Photos must be legible.</li></ul></main>
<aside>Related: Travel policy</aside><footer>© ACME 2024 · Imprint</footer></body></html>`;
}

export function fixtureMarkdown(): string {
  return '# Mileage\n\nPrivate cars are reimbursed at EUR 0.30 per kilometre.\n\n## Limits\n\n- At most 500 km per trip.\n';
}

/** Writes every fixture into `dir` and returns their paths. */
export function writeFixtures(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  const f = {
    pdf: path.join(dir, 'travel.pdf'),
    docx: path.join(dir, 'working-time.docx'),
    html: path.join(dir, 'receipts.html'),
    md: path.join(dir, 'mileage.md'),
    zip: path.join(dir, 'bundle.zip'),
    locked: path.join(dir, 'locked.pdf'),
    broken: path.join(dir, 'broken.pdf'),
  };
  fs.writeFileSync(f.pdf, fixturePdf());
  fs.writeFileSync(f.docx, fixtureDocx());
  fs.writeFileSync(f.html, fixtureHtml());
  fs.writeFileSync(f.md, fixtureMarkdown());
  fs.writeFileSync(f.locked, writePdf([{ lines: [{ text: 'Salaries 2024' }] }], { lockedStub: true }));
  fs.writeFileSync(f.broken, fixturePdf().subarray(0, 300));
  fs.writeFileSync(
    f.zip,
    zipSync({
      'policies/notes.txt': strToU8('Per diem questions go to the travel office.\n\nThe office answers within two working days.'),
      'policies/mileage.md': strToU8(fixtureMarkdown().replace('0.30', '0.35')),
      'policies/logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    }),
  );
  return f;
}

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importFile } from './importer';
import { tmpDir, trackedProjects, writeAs, writeParquet } from './fixtures.test-helpers';

const project = trackedProjects();

describe('careless input at import', () => {
  it('a binary file named like a table is refused with what it is, not read as zero rows', async () => {
    const dir = tmpDir();
    const cases: [string, Buffer, RegExp][] = [
      ['report.jsonl', Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1'), /PDF document/],
      ['sheet.csv', Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(200, 7)]), /ZIP archive/],
      ['random.json', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256)), /binary data/],
    ];
    for (const [name, bytes, what] of cases) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      await expect(importFile(project(), file)).rejects.toThrow(what);
      await expect(importFile(project(), file)).rejects.toThrow(/is not a text table/);
    }
    const gz = path.join(dir, 'image.jsonl.gz');
    fs.writeFileSync(gz, zlib.gzipSync(Buffer.concat([Buffer.from('\u0089PNG\r\n\u001a\n', 'latin1'), Buffer.alloc(64)])));
    await expect(importFile(project(), gz)).rejects.toThrow(/PNG image/);
    // Text with a few tabs, form feeds and UTF-8 is still text.
    const ok = writeAs(dir, 'tsv', [{ problem: 'Évaluer\tla somme — 和是多少？', answer: '3' }]);
    expect((await importFile(project(), ok)).imported).toBe(1);
  });

  it('offers a column named final, label or correct_answer as the reference answer', async () => {
    for (const col of ['final', 'label', 'correct_answer', 'Final Answer']) {
      const file = writeAs(tmpDir(), 'csv', [{ problem: 'What is 2 + 2?', [col]: '4' }]);
      const r = await importFile(project(), file, { dryRun: true });
      expect(r.mapping.answer, col).toBe(col);
    }
    // And a Parquet file named .jsonl says so.
    const renamed = path.join(tmpDir(), 'data.jsonl');
    writeParquet(renamed, [{ problem: 'q', answer: 'a' }]);
    await expect(importFile(project(), renamed)).rejects.toThrow(/Parquet file \(name it \.parquet\)/);
  });
});

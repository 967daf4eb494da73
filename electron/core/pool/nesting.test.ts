import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createProject } from '../store/project';
import { importFile } from './importer';
import { deeperThan, MAX_NESTING, TOO_DEEP } from './nesting';
import { mapRecord } from './shapes';
import { tmpDir, trackedProjects, writeParquet } from './fixtures.test-helpers';

const root = path.resolve(import.meta.dirname, '../../..');
const project = trackedProjects();

/** JSON text of `n` nested lists, built as text: JSON.stringify itself cannot write a million levels. */
const deepText = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
/** `n` nested lists around a number. */
const deepValue = (n: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = [v];
  return v;
};

// One row per case: fine, a million levels, the limit exactly (record + 63 lists), one past it, fine.
const LINES = [
  JSON.stringify({ question: 'First question?' }),
  `{"question":"Too deep?","meta":${deepText(1_000_000)}}`,
  `{"question":"At the limit?","meta":${deepText(MAX_NESTING - 1)}}`,
  `{"question":"One past the limit?","meta":${deepText(MAX_NESTING)}}`,
  JSON.stringify({ question: 'Last question?', meta: { a: { b: [1, 2] } } }),
];
const EXPECTED_REJECTS = [
  { line: 2, reason: TOO_DEEP },
  { line: 4, reason: TOO_DEEP },
];

describe('a deeply nested row is rejected on its own', () => {
  it('deeperThan counts the record as level 1 and walks a million levels without recursion', () => {
    expect(deeperThan({ a: deepValue(MAX_NESTING - 1) })).toBe(false);
    expect(deeperThan({ a: deepValue(MAX_NESTING) })).toBe(true);
    expect(deeperThan(JSON.parse(deepText(1_000_000)))).toBe(true);
    expect(deeperThan({ bytes: new Uint8Array(4), at: new Date(0) }, 1)).toBe(false);
    expect(mapRecord(JSON.parse(LINES[1]!), 'plain', { question: 'question' })).toEqual({ error: TOO_DEEP });
  });

  for (const gz of [false, true]) {
    it(`JSONL${gz ? '.gz' : ''}: the other rows are imported, the deep lines reported`, async () => {
      const file = path.join(tmpDir(), `deep.jsonl${gz ? '.gz' : ''}`);
      const text = `${LINES.join('\n')}\n`;
      fs.writeFileSync(file, gz ? zlib.gzipSync(text) : text);
      const p = project();
      const r = await importFile(p, file);
      expect(r.read).toBe(5);
      expect(r.rejected.map(({ line, reason }) => ({ line, reason }))).toEqual(EXPECTED_REJECTS);
      expect(r.imported).toBe(3);
      expect(p.db.prepare('SELECT question FROM questions ORDER BY id').pluck().all()).toEqual(['First question?', 'At the limit?', 'Last question?']);
      expect(p.db.prepare('SELECT line, reason FROM import_rejects ORDER BY line').all()).toEqual(EXPECTED_REJECTS);
    });
  }

  it('JSON array: the same rows, by element number', async () => {
    const file = path.join(tmpDir(), 'deep.json');
    fs.writeFileSync(file, `[\n${LINES.join(',\n')}\n]`);
    const p = project();
    const r = await importFile(p, file);
    expect(r.rejected.map(({ line, reason }) => ({ line, reason }))).toEqual(EXPECTED_REJECTS);
    expect(r.rejected[0]!.raw).toMatch(/^\{"question":"Too deep\?","meta":\[…\]\}$/);
    expect(r.imported).toBe(3);
  });

  it('Parquet: a row whose nested column goes past the limit is rejected, a row without it imported', async () => {
    const file = path.join(tmpDir(), 'deep.parquet');
    writeParquet(file, [
      { question: 'Deep?', meta: deepValue(MAX_NESTING + 5) },
      { question: 'Flat?', meta: null },
    ]);
    const p = project();
    const r = await importFile(p, file);
    expect(r.rejected.map(({ line, reason }) => ({ line, reason }))).toEqual([{ line: 1, reason: TOO_DEEP }]);
    expect(r.imported).toBe(1);
  });

  it('the CLI: import --json exits 0 and lists the deep lines', { timeout: 120_000 }, async () => {
    const dir = tmpDir();
    const proj = path.join(dir, 'proj');
    createProject(proj).close();
    const file = path.join(dir, 'deep.jsonl');
    fs.writeFileSync(file, `${LINES.join('\n')}\n`);
    const r = await execa(process.execPath, [path.join(root, 'bin', 'distillery.mjs'), 'import', proj, file, '--json'], { reject: false, env: { DISTILLERY_CONFIG_DIR: path.join(dir, 'config') } });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ read: 5, imported: 3, duplicates: 0, rejected: EXPECTED_REJECTS });
    const text = await execa(process.execPath, [path.join(root, 'bin', 'distillery.mjs'), 'import', proj, file, '--dry-run'], { reject: false, env: { DISTILLERY_CONFIG_DIR: path.join(dir, 'config') } });
    expect(text.stdout).toContain(`  line 2: ${TOO_DEEP}`);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYERS, mapProblems, mayImportLine, withMayImportLine } from './layers.mjs';

const coreDir = import.meta.dirname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-layers-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A copy of electron/core holding only what the map check reads: the folders, their file names and READMEs. */
function copyOfMap(): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'core-'));
  fs.copyFileSync(path.join(coreDir, 'README.md'), path.join(dir, 'README.md'));
  for (const d of fs.readdirSync(coreDir, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    fs.mkdirSync(path.join(dir, d.name));
    for (const f of fs.readdirSync(path.join(coreDir, d.name))) {
      const src = path.join(coreDir, d.name, f);
      if (f === 'README.md') fs.copyFileSync(src, path.join(dir, d.name, f));
      else if (fs.statSync(src).isFile()) fs.writeFileSync(path.join(dir, d.name, f), '');
    }
  }
  return dir;
}

describe('the engine map', () => {
  it('names every electron/core folder in the table, the core README and a README whose "May import" line is generated', () => {
    expect(mapProblems(coreDir)).toEqual([]);
  });

  it('has no cycle in the table', () => {
    const seen = new Map<string, 'open' | 'done'>();
    const visit = (f: string, trail: string[]): void => {
      if (seen.get(f) === 'done') return;
      if (seen.get(f) === 'open') throw new Error(`cycle: ${[...trail, f].join(' → ')}`);
      seen.set(f, 'open');
      for (const g of LAYERS[f] ?? []) visit(g, [...trail, f]);
      seen.set(f, 'done');
    };
    for (const f of Object.keys(LAYERS)) visit(f, []);
    expect(seen.size).toBe(Object.keys(LAYERS).length);
  });

  it('fails when a README line differs, a README is missing or a folder is new', () => {
    const dir = copyOfMap();
    const readme = path.join(dir, 'store', 'README.md');
    fs.writeFileSync(readme, fs.readFileSync(readme, 'utf8').replace(mayImportLine('store'), '**May import:** anything.'));
    fs.rmSync(path.join(dir, 'util', 'README.md'));
    fs.mkdirSync(path.join(dir, 'newdomain'));
    expect(mapProblems(dir)).toEqual([
      'electron/core/newdomain is not in the layer table (electron/core/layers.mjs).',
      'electron/core/README.md does not list newdomain/ in its folder table.',
      'electron/core/newdomain has no README.md.',
      'electron/core/store/README.md: the "May import" line differs from the layer table; run node scripts/layers-doc.mjs.',
      'electron/core/util has no README.md.',
    ]);
  });

  it('replaces the "May import" line, or adds one after the first paragraph', () => {
    const line = mayImportLine('tokens');
    expect(withMayImportLine('# t\n\nOne.\nTwo.\n\n## More\n', line)).toBe(`# t\n\nOne.\nTwo.\n\n${line}\n\n## More\n`);
    expect(withMayImportLine(`# t\n\nOne.\n\n**May import:** old\nNot this.\n`, line)).toBe(`# t\n\nOne.\n\n${line}\nNot this.\n`);
    expect(withMayImportLine('# t\n\nIt serves:\n\n- a\n  b\n\nMore.\n', line)).toBe(`# t\n\nIt serves:\n\n- a\n  b\n\nMore.\n\n${line}\n`);
    expect(mayImportLine('verify', ['api.ts', 'kinds.ts', 'job.ts'])).toContain('`egress/`, `jobs/`, `pool/`, `store/`, `teacher/`, `traces/`, `util/`; and `api/trpc` in `api.ts` (generated');
  });
});

// Each domain owns its tables (issue 16 §3): no SQL statement in electron/core or electron/cli names a
// table that another folder owns (store/owners.ts). The known exceptions below are the violations that
// existed when the rule was written; the list only shrinks — a new violation fails, and so does an
// exception that no longer occurs (delete its entry once the query moved behind the owner's module).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLE_OWNERS } from './owners';

const ELECTRON = path.resolve(__dirname, '../..');
const ROOTS = ['core', 'cli'];

/**
 * file (relative to electron/) → the other folders' tables it still names in SQL. Each is a query to move
 * behind the owning folder's functions. Mostly: reading `questions` (pool) and `traces` (traces) in joins.
 */
const EXCEPTIONS: Readonly<Record<string, readonly string[]>> = {
};

// Tests, test helpers (`testing.ts`, `testing/`) and the migrations (which create every table) are not scanned.
const SKIP = /(\.test\.ts$)|(\.d\.ts$)|(^|\/)testing(\.ts$|\/)|(^core\/store\/migrations\/)/;
const SQL_NAME = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(?:IF NOT EXISTS\s+)?([a-z_][a-z0-9_]*)\b/g;

interface Hit { file: string; line: number; table: string; owner: string }

/** The text with comment lines blanked (line numbers kept), so prose about a table is not read as SQL. */
function blankComments(text: string): string {
  return text.split('\n').map((l) => (/^\s*(\/\/|\/?\*)/.test(l) ? '' : l)).join('\n');
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** The folder a file belongs to: electron/core/<folder>/…, or `cli` for electron/cli. */
function folderOf(rel: string): string {
  const parts = rel.split('/');
  return parts[0] === 'core' && parts.length > 2 ? (parts[1] ?? '') : parts[0] === 'core' ? '' : (parts[0] ?? '');
}

/** Every SQL mention of another folder's table. */
function foreignTables(): Hit[] {
  const hits: Hit[] = [];
  for (const root of ROOTS) {
    for (const full of sourceFiles(path.join(ELECTRON, root))) {
      const file = path.relative(ELECTRON, full).split(path.sep).join('/');
      if (SKIP.test(file)) continue;
      const text = blankComments(fs.readFileSync(full, 'utf8'));
      for (const m of text.matchAll(SQL_NAME)) {
        const table = m[1] ?? '';
        const owner = TABLE_OWNERS[table];
        if (!owner || owner === folderOf(file)) continue;
        hits.push({ file, line: text.slice(0, m.index).split('\n').length, table, owner });
      }
    }
  }
  return hits;
}

describe('each domain owns its tables', () => {
  it('every table a migration creates has an owner', () => {
    const dir = path.join(ELECTRON, 'core/store/migrations');
    const created = fs.readdirSync(dir).flatMap((f) =>
      [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/CREATE (?:VIRTUAL )?TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*)/g)].map((m) => m[1] ?? ''),
    );
    expect(created.length).toBeGreaterThan(40);
    expect(created.filter((t) => !(t in TABLE_OWNERS))).toEqual([]);
    expect(Object.keys(TABLE_OWNERS).filter((t) => !created.includes(t))).toEqual([]);
  });

  it('no SQL names another folder\'s table, beyond the shrinking list of known exceptions', () => {
    const hits = foreignTables();
    const fresh = hits.filter((h) => !EXCEPTIONS[h.file]?.includes(h.table));
    expect(fresh.map((h) => `electron/${h.file}:${h.line} names ${h.table}, which ${h.owner}/ owns: call ${h.owner}/'s functions instead`)).toEqual([]);
    const stale = Object.entries(EXCEPTIONS).flatMap(([file, tables]) =>
      tables.filter((t) => !hits.some((h) => h.file === file && h.table === t)).map((t) => `${file} no longer names ${t}: delete it from EXCEPTIONS`),
    );
    expect(stale).toEqual([]);
  });

  it('the scan sees a violation and ignores comments', () => {
    const sample = 'const a = 1;\n// SELECT * FROM traces\ndb.prepare(`SELECT id\n  FROM jobs WHERE x`)';
    const text = blankComments(sample);
    expect([...text.matchAll(SQL_NAME)].map((m) => m[1])).toEqual(['jobs']);
  });
});

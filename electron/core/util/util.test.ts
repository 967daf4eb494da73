import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError, isUserError } from './errors';
import { checkOutputFile, placeOutputFile } from './output-file';
import { configDir } from './paths';
import { rng } from './rng';
import { shellLine, shellQuote } from './shell-quote';
import { asStorageError, classifyStorageError } from './sqlite-errors';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-util-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** What `fn` threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('rng (mulberry32)', () => {
  it('gives the same stream for a seed on every machine, in [0, 1)', () => {
    const a = rng(42);
    expect([a(), a(), a()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    const b = rng(7);
    const c = rng(7);
    const xs = Array.from({ length: 1000 }, () => b());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => c()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBe(1000);
    expect(rng(8)()).not.toBe(rng(7)());
  });
});

describe('shell quoting', () => {
  it('reaches a real POSIX shell as the same arguments, and never runs anything', () => {
    const marker = path.join(tmp, 'ran');
    const args = ['plain/path-1.0', '~/My $(touch ' + marker + ')/', "it's", 'a b', 'X=Y', '', '`touch ' + marker + '`', 'two\nlines', '*', '中文'];
    const out = execFileSync('sh', ['-c', `for a in ${shellLine(args)}; do printf '%s\\0' "$a"; done`], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(args);
    expect(fs.existsSync(marker)).toBe(false);
    expect(shellQuote('plain/path-1.0')).toBe('plain/path-1.0');
    expect(shellQuote('X=Y')).toBe("'X=Y'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('storage errors from real SQLite and file-system failures', () => {
  it('maps a read-only database, a lock and a non-database to sentences naming the file', () => {
    const file = path.join(tmp, 'p.sqlite');
    const rw = new Database(file);
    rw.exec('CREATE TABLE t (x)');
    const ro = new Database(file, { readonly: true });
    const readOnly = thrown(() => ro.exec('INSERT INTO t VALUES (1)'));
    ro.close();
    expect(classifyStorageError(readOnly)).toBe('read_only');
    const u = asStorageError(readOnly, file, 'Nothing was imported.') as UserError;
    expect(u).toBeInstanceOf(UserError);
    expect(u.code).toBe('read_only');
    expect(u.message).toBe(`${file} cannot be written because it or its disk is read-only: copy the project to a writable folder or fix the permissions, then run this again. Nothing was imported.`);

    rw.exec('BEGIN IMMEDIATE');
    const other = new Database(file, { timeout: 0 });
    const busy = thrown(() => other.exec('INSERT INTO t VALUES (2)'));
    other.close();
    rw.exec('ROLLBACK');
    rw.close();
    expect(classifyStorageError(busy)).toBe('busy');
    expect((asStorageError(busy, file, '') as UserError).code).toBe('project_in_use');

    const junk = path.join(tmp, 'junk.sqlite');
    fs.writeFileSync(junk, 'this is not a database, just text long enough to fill a header page '.repeat(20));
    const db = new Database(junk);
    const notADb = thrown(() => db.prepare('SELECT * FROM sqlite_master').all());
    db.close();
    expect(classifyStorageError(notADb)).toBe('corrupt');
    expect((asStorageError(notADb, junk, 'Nothing changed.') as UserError).message).toMatch(/is damaged \(.+\): restore it from a backup or copy\. Nothing changed\.$/);
  });

  it('leaves other errors and user errors as they are', () => {
    const missing = thrown(() => fs.readFileSync(path.join(tmp, 'none')));
    expect(classifyStorageError(missing)).toBeNull();
    expect(asStorageError(missing, 'f', '')).toBe(missing);
    const mine = new UserError('Already a sentence.', 'x');
    expect(asStorageError(mine, 'f', '')).toBe(mine);
    expect(classifyStorageError(null)).toBeNull();
    expect(isUserError(mine)).toBe(true);
    expect(isUserError(new Error('no'))).toBe(false);
  });
});

describe('output files (a review bundle, an export)', () => {
  const project = path.join(tmp, 'proj');
  fs.mkdirSync(path.join(project, 'artifacts', 'exports'), { recursive: true });
  fs.mkdirSync(path.join(project, 'artifacts', 'runs'), { recursive: true });
  fs.writeFileSync(path.join(project, 'project.sqlite'), '');
  const check = (file: string, overwrite = false) => checkOutputFile({ file, projectDir: project, overwrite, what: 'the review bundle', forceHint: 'pass --force' });
  const code = (fn: () => unknown) => (thrown(fn) as UserError).code;

  it('never writes over a database, into the project outside its output folders, over a folder, or over a file unasked', () => {
    expect(code(() => check(path.join(tmp, 'elsewhere', 'project.sqlite-wal'), true))).toBe('out_is_project_file');
    expect(code(() => check(path.join(project, 'artifacts', 'runs', 'r.jsonl'), true))).toBe('out_in_project');
    expect(code(() => check(path.join(project, 'artifacts', 'exports')))).toBe('out_in_project');
    const link = path.join(tmp, 'link-into-project');
    fs.symlinkSync(path.join(project, 'artifacts', 'runs'), link);
    expect(code(() => check(path.join(link, 'r.jsonl'), true))).toBe('out_in_project');
    expect(code(() => check(tmp))).toBe('out_is_folder');
    const existing = path.join(tmp, 'b.jsonl');
    fs.writeFileSync(existing, 'old');
    expect((thrown(() => check(existing)) as UserError).message).toBe(`${existing} already exists and was left as it is; choose another file name, or pass --force.`);
    expect(check(existing, true)).toEqual({ exists: true });
    expect(check(path.join(project, 'artifacts', 'exports', 'b.jsonl'))).toEqual({ exists: false });
  });

  it('places a finished file without replacing one that appeared meanwhile, unless asked', () => {
    const target = path.join(tmp, 'placed.jsonl');
    const part = path.join(tmp, 'placed.part');
    fs.writeFileSync(part, 'new');
    placeOutputFile(part, target, false);
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
    expect(fs.existsSync(part)).toBe(false);
    fs.writeFileSync(part, 'newer');
    expect(code(() => placeOutputFile(part, target, false))).toBe('out_exists');
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
    placeOutputFile(part, target, true);
    expect(fs.readFileSync(target, 'utf8')).toBe('newer');
  });
});

describe('configDir', () => {
  it('follows DISTILLERY_CONFIG_DIR, made absolute', () => {
    const before = process.env.DISTILLERY_CONFIG_DIR;
    process.env.DISTILLERY_CONFIG_DIR = 'rel/cfg';
    expect(configDir()).toBe(path.resolve('rel/cfg'));
    if (before === undefined) delete process.env.DISTILLERY_CONFIG_DIR;
    else process.env.DISTILLERY_CONFIG_DIR = before;
  });
});

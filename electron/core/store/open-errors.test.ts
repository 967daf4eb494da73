/**
 * Opening a project that is locked, read-only, on a full disk or damaged, with real files, real locks
 * held by a second connection or a second process, and real file systems. Root ignores permission bits,
 * so as root the read-only cases use what stops root too: a tmpfs remounted read-only (EROFS) and
 * `chattr +i` (immutable file); as another user they use chmod. A full disk is a 2 MiB tmpfs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject, openProject, DB_FILE } from './project';
import { UserError } from '../util/errors';

const isRoot = process.getuid?.() === 0;
const linux = process.platform === 'linux';
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) {
    try {
      c();
    } catch {
      // best effort: a later cleanup still runs
    }
  }
});

const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-open-'));
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
};
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

/** A tmpfs of `size` mounted on a fresh folder; null where this user cannot mount. */
function tmpfs(size: string): string | null {
  if (!linux || !isRoot) return null;
  const dir = tmp();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  // lazy: a handle SQLite has not released yet must not leave the mount behind
  cleanups.push(() => execFileSync('umount', ['-l', dir], { stdio: 'ignore' }));
  return dir;
}
const canMount = (() => {
  const d = tmpfs('64k');
  for (const c of cleanups.splice(0).reverse()) c();
  return d !== null;
})();

/** Makes `file` unwritable for this user, root included; false where no way is available. */
function makeUnwritable(file: string): boolean {
  if (!isRoot) {
    fs.chmodSync(file, 0o444);
    cleanups.push(() => fs.chmodSync(file, 0o644));
    return true;
  }
  try {
    execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
  } catch {
    return false;
  }
  cleanups.push(() => execFileSync('chattr', ['-i', file], { stdio: 'ignore' }));
  return true;
}

function openError(dir: string): UserError {
  try {
    openProject(dir).close();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error(`${dir} opened`);
}

/** A second process that opens `file` with an exclusive lock and keeps it until killed. */
async function lockInChild(file: string): Promise<ChildProcess> {
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const script = `const db = new (require(${JSON.stringify(sqlite)}))(process.argv[1]);
db.pragma('locking_mode = EXCLUSIVE'); db.exec('BEGIN EXCLUSIVE'); process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the locking process exited (${code})`)));
  });
  return child;
}

describe('opening a project that is not damaged but cannot be opened now', () => {
  it('a second connection holding BEGIN EXCLUSIVE: in use, not damaged; opens once it lets go', () => {
    const dir = path.join(tmp(), 'p');
    createProject(dir).close();
    const other = new Database(path.join(dir, DB_FILE));
    other.pragma('journal_mode = DELETE'); // a rollback journal: BEGIN EXCLUSIVE shuts readers out
    other.exec('BEGIN EXCLUSIVE');
    try {
      const e = openError(dir);
      expect(e.code).toBe('project_in_use');
      expect(e.message).toMatch(/^The project .* is in use by another Distillery window or process.*: close it and try again\. Nothing was changed\.$/);
      expect(e.message).not.toMatch(/damaged|backup/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const p = openProject(dir);
    expect(p.db.pragma('journal_mode', { simple: true })).toBe('wal');
    p.close();
  });

  it('another process holding an exclusive lock: in use, naming its pid', async () => {
    const dir = path.join(tmp(), 'p');
    createProject(dir).close();
    const before = sha(path.join(dir, DB_FILE));
    const child = await lockInChild(path.join(dir, DB_FILE));
    const e = openError(dir);
    expect(e.code).toBe('project_in_use');
    if (linux) expect(e.message).toContain(`(pid ${child.pid})`);
    expect(e.message).not.toMatch(/damaged/);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(sha(path.join(dir, DB_FILE))).toBe(before);
    openProject(dir).close();
  });

  it.skipIf(isRoot && !canMount)('a read-only folder: says read-only and what to do, not damaged', () => {
    let dir: string;
    if (isRoot) {
      const mnt = tmpfs('4m') as string;
      dir = path.join(mnt, 'p');
      createProject(dir).close();
      execFileSync('mount', ['-o', 'remount,ro', mnt], { stdio: 'ignore' });
    } else {
      dir = path.join(tmp(), 'p');
      createProject(dir).close();
      fs.chmodSync(path.join(dir, DB_FILE), 0o444);
      fs.chmodSync(dir, 0o555);
      cleanups.push(() => fs.chmodSync(dir, 0o755));
    }
    const e = openError(dir);
    expect(e.code).toBe('read_only');
    expect(e.message).toMatch(new RegExp(`^The project folder ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is read-only \\(.+\\): .*copy the project to a writable folder or fix the folder's permissions`));
    expect(e.message).not.toMatch(/damaged|backup/);
  });

  it('a read-only database file: says read-only before anything is written, not damaged', (ctx) => {
    const dir = path.join(tmp(), 'p');
    createProject(dir).close();
    const f = path.join(dir, DB_FILE);
    if (!makeUnwritable(f)) ctx.skip();
    const e = openError(dir);
    expect(e.code).toBe('read_only');
    expect(e.message).toBe(
      `The project file ${f} is read-only: copy the project to a writable folder or make the file writable for your user, then try again. Nothing was changed.`,
    );
    expect(fs.readdirSync(dir).sort()).toEqual(['artifacts', DB_FILE]);
  });

  it.skipIf(!canMount)('a full disk: opening and creating say the disk is full; a failed create leaves nothing', () => {
    const mnt = tmpfs('2m') as string;
    const dir = path.join(mnt, 'p');
    createProject(dir).close();
    const filler = path.join(mnt, 'filler');
    expect(() => fs.writeFileSync(filler, Buffer.alloc(4 << 20))).toThrow(/ENOSPC/);
    const e = openError(dir);
    expect(e.code).toBe('disk_full');
    expect(e.message).toBe(`The disk holding ${dir} is full: free space and try again. Nothing was changed.`);

    const fresh = path.join(mnt, 'fresh');
    let err: unknown;
    try {
      createProject(fresh).close();
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(`The disk holding ${fresh} is full: free space and try again. The unfinished project files were removed.`);
    expect(fs.existsSync(fresh)).toBe(false);

    fs.rmSync(filler);
    openProject(dir).close(); // space freed: the project was never damaged
  });

  it('random bytes still say damaged (the one case that may)', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, DB_FILE), crypto.randomBytes(8192));
    const e = openError(dir);
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/is damaged and cannot be opened \(it is not an SQLite database\)\. Nothing was changed; restore it from a backup/);
  });

  it('a page that fails quick_check says damaged', () => {
    const dir = path.join(tmp(), 'p');
    const p = createProject(dir);
    p.db.exec('CREATE TABLE filler (x TEXT)');
    const put = p.db.prepare('INSERT INTO filler VALUES (?)');
    p.db.transaction(() => {
      for (let i = 0; i < 200; i++) put.run('x'.repeat(500));
    })();
    p.db.pragma('wal_checkpoint(TRUNCATE)');
    p.close();
    // overwrite the middle of the file (keeping the header and the schema page) with garbage
    const f = path.join(dir, DB_FILE);
    const fd = fs.openSync(f, 'r+');
    const size = fs.fstatSync(fd).size;
    fs.writeSync(fd, crypto.randomBytes(8192), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
    fs.closeSync(fd);
    const e = openError(dir);
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/is damaged and cannot be opened/);
  });
});

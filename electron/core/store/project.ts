import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { UserError } from '../util/errors';
import { isPrivate, makePrivate, mkdirPrivate, tightenTree, writePrivateFile } from '../util/private-fs';
import { checkWritable, damaged, explainOpenError } from './open-errors';
import { latestVersion, migrations } from './migrations';

export const DB_FILE = 'project.sqlite';
export const ARTIFACTS_DIR = 'artifacts';
const SQLITE_MAGIC = 'SQLite format 3\0';
const APP_ID = 'distillery';

export type DB = Database.Database;

export interface Project {
  readonly dir: string;
  readonly dbPath: string;
  readonly artifactsDir: string;
  readonly db: DB;
  readonly name: string;
  readonly id: string;
  close(): void;
}

const now = () => new Date().toISOString();

/** Creates a new project in `dir` (created if missing; must not already hold a project). */
export function createProject(dir: string, name?: string): Project {
  const abs = path.resolve(dir);
  const dbPath = path.join(abs, DB_FILE);
  if (fs.existsSync(dbPath)) {
    throw new UserError(`${abs} already holds a Distillery project (${DB_FILE}); open it instead, or choose an empty folder.`, 'project_exists');
  }
  if (fs.existsSync(abs) && !fs.statSync(abs).isDirectory()) {
    throw new UserError(`${abs} is a file, not a folder; choose a folder for the new project.`, 'not_a_folder');
  }
  const target = { dir: abs, dbPath, creating: true };
  const made = { dir: !fs.existsSync(abs), artifacts: !fs.existsSync(path.join(abs, ARTIFACTS_DIR)) };
  let db: DB | undefined;
  try {
    // the project folder is the user's choice and keeps its mode; what Distillery puts in it is private
    fs.mkdirSync(abs, { recursive: true });
    mkdirPrivate(path.join(abs, ARTIFACTS_DIR));
    // SQLite creates the file with the umask's mode; creating it first (empty = a new database) makes it 0600
    writePrivateFile(dbPath, '');
    db = new Database(dbPath);
    configure(db);
    makeDbPrivate(dbPath);
    migrate(db);
    const projectName = (name ?? path.basename(abs)).trim() || path.basename(abs);
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    db.transaction(() => {
      put.run('app', APP_ID);
      put.run('id', randomUUID());
      put.run('name', projectName);
      put.run('created_at', now());
      put.run('created_by', `${os.userInfo().username}@${os.hostname()}`);
    })();
  } catch (e) {
    db?.close();
    removeUnfinished(abs, dbPath, made);
    throw explainOpenError(e, target);
  }
  return wrap(abs, dbPath, db);
}

/** After a failed create, removes only what this create made, so that trying again starts clean. */
function removeUnfinished(abs: string, dbPath: string, made: { dir: boolean; artifacts: boolean }): void {
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}-journal`]) fs.rmSync(f, { force: true });
  const rmdirIfEmpty = (d: string) => {
    try {
      fs.rmdirSync(d); // fails, and keeps the folder, when anything is in it
    } catch {
      // not empty or already gone
    }
  };
  if (made.artifacts) rmdirIfEmpty(path.join(abs, ARTIFACTS_DIR));
  if (made.dir) rmdirIfEmpty(abs);
}

/**
 * Opens an existing project. Every check runs on a read-only handle first, so that a folder which is
 * not a project, a corrupt file, or a project from a newer Distillery is refused without a single byte
 * changed; only then is the file opened for writing and migrated.
 */
export function openProject(dir: string): Project {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs)) throw new UserError(`The folder ${abs} does not exist; check the path or create a project there.`, 'not_found');
  if (!fs.statSync(abs).isDirectory()) throw new UserError(`${abs} is a file, not a project folder; choose the folder that holds ${DB_FILE}.`, 'not_a_folder');
  const dbPath = path.join(abs, DB_FILE);
  if (!fs.existsSync(dbPath)) {
    throw new UserError(`${abs} is not a Distillery project: it has no ${DB_FILE}. Create a project there, or choose another folder.`, 'not_a_project');
  }
  const target = { dir: abs, dbPath };
  let db: DB | undefined;
  try {
    checkHeader(dbPath);
    checkWritable(target);
    inspectReadOnly(dbPath);
    db = new Database(dbPath, { fileMustExist: true });
    configure(db);
    migrate(db);
    for (const hook of openHooks) hook(db);
  } catch (e) {
    db?.close();
    throw explainOpenError(e, target);
  }
  tightenModes(abs, dbPath);
  return wrap(abs, dbPath, db);
}

/**
 * Projects made before modes were set at creation (or copied in with a loose umask) are tightened on
 * open: the database files and artifacts/ become the user's only. Only entries this user owns are
 * changed, and a failure (a read-only disk) never stops the open.
 */
function tightenModes(abs: string, dbPath: string): void {
  makeDbPrivate(dbPath);
  const artifacts = path.join(abs, ARTIFACTS_DIR);
  // the walk runs once: after it artifacts/ is 0700 and later opens skip it
  if (!isPrivate(artifacts)) tightenTree(artifacts);
}

function makeDbPrivate(dbPath: string): void {
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) if (!isPrivate(f)) makePrivate(f);
}

/** True when `dir` holds a file named project.sqlite (cheap test for folder browsers). */
export function looksLikeProject(dir: string): boolean {
  try {
    return fs.statSync(path.join(dir, DB_FILE)).isFile();
  } catch {
    return false;
  }
}

/** The SQLite header, read with plain file I/O: a file that is not SQLite at all is damaged (or not ours). */
function checkHeader(dbPath: string): void {
  const fd = fs.openSync(dbPath, 'r');
  const header = Buffer.alloc(16);
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < 16 || header.toString('latin1') !== SQLITE_MAGIC) throw damaged(dbPath, 'it is not an SQLite database');
}

function inspectReadOnly(dbPath: string): void {
  let ro: DB | undefined;
  try {
    ro = new Database(dbPath, { readonly: true, fileMustExist: true });
    const check = ro.pragma('quick_check(1)', { simple: true });
    if (check !== 'ok') throw damaged(dbPath, `integrity check: ${String(check)}`);
    const hasMeta = ro.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
    const app = hasMeta ? (ro.prepare("SELECT value FROM meta WHERE key = 'app'").get() as { value: string } | undefined) : undefined;
    if (app?.value !== APP_ID) {
      throw new UserError(`${dbPath} is an SQLite file but not a Distillery project. Nothing was changed; choose another folder.`, 'not_a_project');
    }
    const version = ro.pragma('user_version', { simple: true }) as number;
    if (version > latestVersion) {
      throw new UserError(
        `This project was saved by a newer Distillery (schema ${version}; this version knows up to ${latestVersion}). Nothing was changed; update Distillery to open it.`,
        'newer_schema',
      );
    }
  } finally {
    // any other error (a lock, a read-only disk, a full disk) is explained by explainOpenError, never as damage
    ro?.close();
  }
}

function configure(db: DB): void {
  db.pragma('journal_mode = WAL');
  // Bulk machine output runs at NORMAL inside transactions; human edits switch to FULL (see withFullSync).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

export function migrate(db: DB): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}

/** Runs `fn` in a transaction with synchronous=FULL, for work a person made (review edits, decisions). */
export function withFullSync<T>(db: DB, fn: () => T): T {
  db.pragma('synchronous = FULL');
  try {
    return db.transaction(fn)();
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}

export function getMeta(db: DB, key: string): string | undefined {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function setMeta(db: DB, key: string, value: string): void {
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
}

function wrap(dir: string, dbPath: string, db: DB): Project {
  let closed = false;
  return {
    dir,
    dbPath,
    artifactsDir: path.join(dir, ARTIFACTS_DIR),
    db,
    name: getMeta(db, 'name') ?? path.basename(dir),
    id: getMeta(db, 'id') ?? '',
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

const openHooks: ((db: DB) => void)[] = [];

/**
 * Lets a domain tidy its own rows each time an existing project opens (the teacher domain moves secrets that
 * older versions kept in clear into the key store), without the store importing that domain.
 */
export function onProjectOpen(hook: (db: DB) => void): void {
  openHooks.push(hook);
}

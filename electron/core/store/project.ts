import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { UserError } from '../util/errors';
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
  try {
    fs.mkdirSync(path.join(abs, ARTIFACTS_DIR), { recursive: true });
  } catch (e) {
    throw new UserError(`Could not create the project folder ${abs}: ${(e as Error).message}. Choose a folder you can write to.`, 'io');
  }
  const db = new Database(dbPath);
  try {
    configure(db);
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
    db.close();
    throw e;
  }
  return wrap(abs, dbPath, db);
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
  inspectReadOnly(dbPath);
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    configure(db);
    migrate(db);
    for (const hook of openHooks) hook(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return wrap(abs, dbPath, db);
}

/** True when `dir` holds a file named project.sqlite (cheap test for folder browsers). */
export function looksLikeProject(dir: string): boolean {
  try {
    return fs.statSync(path.join(dir, DB_FILE)).isFile();
  } catch {
    return false;
  }
}

function inspectReadOnly(dbPath: string): void {
  const corrupt = (why: string) =>
    new UserError(
      `${dbPath} is damaged and cannot be opened (${why}). Nothing was changed; restore it from a backup or copy, or create a new project.`,
      'corrupt',
    );
  const fd = fs.openSync(dbPath, 'r');
  const header = Buffer.alloc(16);
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < 16 || header.toString('latin1') !== SQLITE_MAGIC) throw corrupt('it is not an SQLite database');

  let ro: DB | undefined;
  try {
    ro = new Database(dbPath, { readonly: true, fileMustExist: true });
    const check = ro.pragma('quick_check(1)', { simple: true });
    if (check !== 'ok') throw corrupt(`integrity check: ${String(check)}`);
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
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw corrupt((e as Error).message);
  } finally {
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

const openHooks: ((db: DB) => void)[] = [];

/**
 * Lets a domain tidy its own rows each time an existing project opens (the teacher domain moves secrets that
 * older versions kept in clear into the key store), without the store importing that domain.
 */
export function onProjectOpen(hook: (db: DB) => void): void {
  openHooks.push(hook);
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

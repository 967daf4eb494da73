/**
 * Why a project could not be opened (or created), in one sentence that says what to do. Only a failed
 * integrity check, a bad header or SQLITE_CORRUPT / SQLITE_NOTADB may call the file damaged: a lock, a
 * read-only folder, a full disk or a vanished folder is not damage, and telling a user to "restore a
 * backup" for a locked file would send them to throw away good work.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/errors';
import { classifyStorageError } from '../util/sqlite-errors';

/** The codes the renderer maps to a translated headline (renderer/steps/project/openErrors.ts). */
export type OpenErrorCode = 'project_in_use' | 'read_only' | 'permission_denied' | 'disk_full' | 'not_found' | 'corrupt' | 'open_failed';

export interface OpenTarget {
  /** The project folder. */
  dir: string;
  /** Its project.sqlite. */
  dbPath: string;
  /** Creating a new project (the unfinished files were removed) rather than opening one (nothing changed). */
  creating?: boolean;
}

const sidecars = (dbPath: string) => [dbPath, `${dbPath}-wal`, `${dbPath}-shm`];

function tail(t: OpenTarget): string {
  return t.creating ? 'The unfinished project files were removed.' : 'Nothing was changed.';
}

export function damaged(dbPath: string, why: string): UserError {
  return new UserError(
    `${dbPath} is damaged and cannot be opened (${why}). Nothing was changed; restore it from a backup or copy, or create a new project.`,
    'corrupt',
  );
}

export function inUse(t: OpenTarget): UserError {
  const pids = lockHolders(sidecars(t.dbPath));
  const who = pids.length ? ` (pid ${pids.join(', ')})` : '';
  return new UserError(
    `The project ${t.dir} is in use by another Distillery window or process${who}, which holds a lock on ${path.basename(t.dbPath)}: close it and try again. ${tail(t)}`,
    'project_in_use',
  );
}

export function diskFull(t: OpenTarget): UserError {
  return new UserError(`The disk holding ${t.dir} is full: free space and try again. ${tail(t)}`, 'disk_full');
}

function readOnlyFolder(t: OpenTarget, why: string): UserError {
  return new UserError(
    `The project folder ${t.dir} is read-only (${why}): Distillery must write ${path.basename(t.dbPath)}-wal and -shm beside the database, so copy the project to a writable folder or fix the folder's permissions, then try again. ${tail(t)}`,
    'read_only',
  );
}

function readOnlyFile(t: OpenTarget, file: string): UserError {
  return new UserError(
    `The project file ${file} is read-only: copy the project to a writable folder or make the file writable for your user, then try again. ${tail(t)}`,
    'read_only',
  );
}

function unreadable(t: OpenTarget, file: string): UserError {
  return new UserError(
    `Distillery may not read ${file} (permission denied): fix its permissions, or open the project as the user who owns it. ${tail(t)}`,
    'permission_denied',
  );
}

function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Checks, before any SQLite handle is made, that the folder and the database files can be written:
 * opening a WAL database writes -wal and -shm beside it even to read, and a project is opened to be
 * edited. Throws a read-only / permission sentence, or returns quietly.
 */
export function checkWritable(t: OpenTarget): void {
  try {
    fs.accessSync(t.dir, fs.constants.W_OK);
  } catch (e) {
    const code = errnoOf(e);
    if (code === 'EROFS') throw readOnlyFolder(t, 'its disk is mounted read-only');
    if (code === 'EACCES' || code === 'EPERM') throw readOnlyFolder(t, 'your user may not create files in it');
    if (code === 'ENOENT') throw vanished(t);
    throw e;
  }
  for (const f of sidecars(t.dbPath)) {
    if (!fs.existsSync(f)) continue;
    try {
      fs.accessSync(f, fs.constants.R_OK);
    } catch {
      throw unreadable(t, f);
    }
    try {
      fs.accessSync(f, fs.constants.W_OK);
    } catch {
      throw readOnlyFile(t, f);
    }
  }
}

function vanished(t: OpenTarget): UserError {
  return new UserError(
    `The project folder ${t.dir} or its ${path.basename(t.dbPath)} disappeared while Distillery was opening it: check that its disk is connected and the path is right, then try again.`,
    'not_found',
  );
}

/** Free space on the disk holding `dir`, in bytes; null where the platform cannot tell. */
function freeBytes(dir: string): number | null {
  try {
    const s = fs.statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

/**
 * Turns an error thrown while opening or creating a project (an SQLite error from better-sqlite3, or a
 * Node file-system error) into a sentence. Errors whose code says nothing definite (SQLITE_CANTOPEN,
 * SQLITE_IOERR_*) are diagnosed by looking at the disk: its free space, then whether it is writable.
 */
export function explainOpenError(e: unknown, t: OpenTarget): UserError {
  if (e instanceof UserError) return e;
  const code = errnoOf(e) ?? '';
  const message = (e as Error | undefined)?.message ?? String(e);
  if (code === 'ENOENT') return vanished(t);
  // the code → class table is shared with the write path (util/sqlite-errors.ts); here the disk is also looked at
  const kind = classifyStorageError(e);
  switch (kind) {
    case 'busy':
      return inUse(t);
    case 'corrupt':
      return damaged(t.dbPath, message);
    case 'full':
      return diskFull(t);
    case 'permission':
      return diagnose(t) ?? unreadable(t, t.dbPath);
    case 'read_only':
      return diagnose(t) ?? readOnlyFolder(t, 'it cannot be written');
    case 'io':
    case null:
      return (
        diagnose(t) ??
        new UserError(
          `Distillery could not ${t.creating ? 'create' : 'open'} ${t.dbPath} (${message}). ${tail(t)} Check that its disk is connected and readable, then try again.`,
          'open_failed',
        )
      );
  }
}

function diagnose(t: OpenTarget): UserError | null {
  const free = freeBytes(t.dir);
  if (free !== null && free < 64 * 1024) return diskFull(t);
  try {
    checkWritable(t);
  } catch (err) {
    if (err instanceof UserError) return err;
  }
  return null;
}

/**
 * The processes other than this one that hold a lock on any of `files`, read from Linux's /proc/locks
 * (SQLite takes POSIX fcntl locks, which list the holder's pid). Empty where that is unknown: other
 * systems, open-file-description locks (pid -1), or a holder inside this very process.
 */
export function lockHolders(files: readonly string[]): number[] {
  let table: string;
  try {
    table = fs.readFileSync('/proc/locks', 'utf8');
  } catch {
    return [];
  }
  const inodes = new Set<string>();
  for (const f of files) {
    try {
      inodes.add(String(fs.statSync(f).ino));
    } catch {
      // a sidecar that does not exist holds no lock
    }
  }
  const pids = new Set<number>();
  for (const line of table.split('\n')) {
    // "1: POSIX  ADVISORY  WRITE 12090 fe:00:9980875 1073741826 1073742335"; "->" marks a waiter, not a holder
    const cols = line.trim().split(/\s+/);
    if (cols[1] === '->') continue;
    const pid = Number(cols[4]);
    const ino = cols[5]?.split(':')[2];
    if (ino && inodes.has(ino) && Number.isInteger(pid) && pid > 0 && pid !== process.pid) pids.add(pid);
  }
  return [...pids].sort((a, b) => a - b);
}

/**
 * SQLite and file-system error codes met while WRITING an open project (an import, a report), mapped to one
 * sentence that names the file and says what to do. Pure: no disk access, so any caller can use it (the
 * store's open-time diagnosis in store/open-errors.ts looks at the disk itself and says more).
 */
import { UserError } from './errors';

export type StorageFailure = 'busy' | 'full' | 'read_only' | 'permission' | 'corrupt' | 'io';

/** The class of a storage error from its code (better-sqlite3's SqliteError.code or Node's errno code), or null. */
export function classifyStorageError(e: unknown): StorageFailure | null {
  const code = (e as { code?: unknown } | null | undefined)?.code;
  if (typeof code !== 'string') return null;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_IOERR_WRITE_FULL') return 'full';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'read_only';
  if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') return 'permission';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'corrupt';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io';
  return null;
}

const USER_CODES: Record<StorageFailure, string> = {
  busy: 'project_in_use',
  full: 'disk_full',
  read_only: 'read_only',
  permission: 'permission_denied',
  corrupt: 'corrupt',
  io: 'io',
};

/**
 * The sentence for a storage error while writing `file`, or null when `e` is not one.
 * `outcome` says what became of the work, e.g. "Nothing was imported." (the transaction rolled back).
 */
export function storageErrorSentence(e: unknown, file: string, outcome: string): string | null {
  const kind = classifyStorageError(e);
  const detail = (e as Error | undefined)?.message ?? String(e);
  switch (kind) {
    case null:
      return null;
    case 'busy':
      return `${file} is locked by another program (another Distillery window or command, or an SQLite tool holding a write lock): close it or let it finish, then run this again. ${outcome}`;
    case 'full':
      return `The disk holding ${file} is full: free some space on it, then run this again. ${outcome}`;
    case 'read_only':
      return `${file} cannot be written because it or its disk is read-only: copy the project to a writable folder or fix the permissions, then run this again. ${outcome}`;
    case 'permission':
      return `Distillery may not write ${file} (permission denied): fix its permissions, or run as the user who owns it. ${outcome}`;
    case 'corrupt':
      return `${file} is damaged (${detail}): restore it from a backup or copy. ${outcome}`;
    case 'io':
      return `${file} could not be written (disk error: ${detail}): check that its disk is connected and healthy, then run this again. ${outcome}`;
  }
}

/** A UserError for a storage error while writing `file` (its code is the store's open-error code), else `e` unchanged. */
export function asStorageError(e: unknown, file: string, outcome: string): unknown {
  if (e instanceof UserError) return e;
  const sentence = storageErrorSentence(e, file, outcome);
  const kind = classifyStorageError(e);
  return sentence && kind ? new UserError(sentence, USER_CODES[kind]) : e;
}

import { sql as m001 } from './001_init';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Every schema change, in order. The database's `PRAGMA user_version` is the number of the last
 * migration applied. Later domains append their own files (002_…, 003_…); none edits an earlier one.
 */
export const migrations: readonly Migration[] = [{ version: 1, name: 'init', sql: m001 }];

export const latestVersion = migrations.reduce((v, m) => Math.max(v, m.version), 0);

import { sql as m001 } from './001_init';
import { sql as m002 } from './002_pool';
import { sql as m003 } from './003_generation';
import { sql as m004 } from './004_verification';
import { sql as m005 } from './005_curation';
import { sql as m006 } from './006_training';
import { sql as m007 } from './007_review';
import { sql as m008 } from './008_eval';
import { sql as m009 } from './009_embeddings';
import { sql as m010 } from './010_teacher_prompt';
import { sql as m011 } from './011_dedup_proposal';
import { sql as m012 } from './012_form_state';
import { sql as m013 } from './013_augment_rubric';
import { sql as m014 } from './014_documents';
import { sql as m015 } from './015_local_teacher';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Every schema change, in order. The database's `PRAGMA user_version` is the number of the last
 * migration applied. Later domains append their own files (004_…); none edits an earlier one.
 */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'init', sql: m001 },
  { version: 2, name: 'pool', sql: m002 },
  { version: 3, name: 'generation', sql: m003 },
  { version: 4, name: 'verification', sql: m004 },
  { version: 5, name: 'curation', sql: m005 },
  { version: 6, name: 'training', sql: m006 },
  { version: 7, name: 'review', sql: m007 },
  { version: 8, name: 'eval', sql: m008 },
  { version: 9, name: 'embeddings', sql: m009 },
  { version: 10, name: 'teacher_prompt', sql: m010 },
  { version: 11, name: 'dedup_proposal', sql: m011 },
  { version: 12, name: 'form_state', sql: m012 },
  { version: 13, name: 'augment_rubric', sql: m013 },
  { version: 14, name: 'documents', sql: m014 },
  { version: 15, name: 'local_teacher', sql: m015 },
];

export const latestVersion = migrations.reduce((v, m) => Math.max(v, m.version), 0);

import fs from 'node:fs';
import path from 'node:path';
import type { DB } from '../store/project';
import { UserError } from '../util/errors';

export interface Reasons {
  reject: string[];
  needsWork: string[];
}

/** The reasons offered until a project sets its own (English; the user edits them per project). */
export const DEFAULT_REASONS: Reasons = {
  reject: [
    'Wrong final answer',
    'Flawed reasoning step',
    'Thinking is truncated or incomplete',
    'Repetitive or looping thinking',
    'Wrong language',
    'The question is broken or ambiguous',
  ],
  needsWork: ['Fix a reasoning step', 'Trim repetition', 'Fix the answer format (\\boxed{})', 'Check the arithmetic', 'Make the final answer explicit'],
};

export function getSetting<T>(db: DB, key: string): T | undefined {
  const v = db.prepare('SELECT value FROM review_settings WHERE key = ?').pluck().get(key) as string | undefined;
  return v === undefined ? undefined : (JSON.parse(v) as T);
}

export function putSetting(db: DB, key: string, value: unknown): void {
  db.prepare(
    `INSERT INTO review_settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(key, JSON.stringify(value), new Date().toISOString());
}

export function deleteSetting(db: DB, key: string): void {
  db.prepare('DELETE FROM review_settings WHERE key = ?').run(key);
}

export function getReasons(db: DB): Reasons {
  return getSetting<Reasons>(db, 'reasons') ?? DEFAULT_REASONS;
}

function cleanList(list: readonly string[], which: string): string[] {
  const out: string[] = [];
  for (const raw of list) {
    const s = raw.trim();
    if (s === '') continue;
    if (s.length > 200) throw new UserError(`The ${which} reason "${s.slice(0, 40)}…" is longer than 200 characters; shorten it.`, 'bad_reason');
    if (!out.includes(s)) out.push(s);
  }
  if (out.length > 50) throw new UserError(`There are ${out.length} ${which} reasons; keep at most 50.`, 'bad_reason');
  return out;
}

/** Replaces the project's reasons (blank entries dropped, duplicates merged). */
export function setReasons(db: DB, r: Reasons): Reasons {
  const next = { reject: cleanList(r.reject, 'reject'), needsWork: cleanList(r.needsWork, 'needs-work') };
  putSetting(db, 'reasons', next);
  return next;
}

/** The student model folder set for review, checked to hold a tokenizer.json; null clears it. */
export function setStudentDir(db: DB, dir: string | null): void {
  if (dir === null || dir.trim() === '') {
    deleteSetting(db, 'studentDir');
    return;
  }
  const abs = path.resolve(dir);
  if (!fs.existsSync(path.join(abs, 'tokenizer.json'))) {
    throw new UserError(`The folder ${abs} has no tokenizer.json; choose the student model's folder (it holds tokenizer.json), or clear the setting.`, 'no_tokenizer');
  }
  putSetting(db, 'studentDir', abs);
}

import fs from 'node:fs';
import path from 'node:path';
import { loadTokenizerFile } from '../tokens';
import type { DB } from '../store/project';
import { thinkingLookup } from '../traces/store';
import { UserError } from '../util/errors';

export interface StudentTokenizer {
  /** Stable key for the token-count cache: the file's path, size and modification time. */
  key: string;
  count(text: string): number;
}

/** Loads the student's tokenizer.json (and tokenizer_config.json when present) from a model folder. */
export function loadStudentTokenizer(dir: string): StudentTokenizer {
  const abs = path.resolve(dir);
  const file = fs.existsSync(abs) && fs.statSync(abs).isFile() ? abs : path.join(abs, 'tokenizer.json');
  if (!fs.existsSync(file)) {
    throw new UserError(`The student folder ${abs} has no tokenizer.json; choose the folder of the student model (it holds tokenizer.json), or clear the setting to count characters / 4.`, 'no_tokenizer');
  }
  return loadTokenizerFile(file);
}

/**
 * Thinking length of each trace in the student's tokens. Counts are stored per tokenizer, so 60K traces
 * are tokenised once; later runs and previews read them back.
 */
export function studentTokenCounts(db: DB, tok: StudentTokenizer, traceIds: readonly number[]): Map<number, number> {
  return cachedThinkingCounts(db, tok.key, (text) => tok.count(text), traceIds);
}

/**
 * Thinking tokens of the given traces by the tokenizer `key` counts with, from the cache in
 * curation_token_counts; the missing ones are counted with `count` and stored (review counts with it too).
 */
export function cachedThinkingCounts(db: DB, key: string, count: (text: string) => number, traceIds: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  if (traceIds.length === 0) return out;
  for (const r of db
    .prepare('SELECT trace_id, tokens FROM curation_token_counts WHERE tokenizer = ? AND trace_id IN (SELECT value FROM json_each(?))')
    .all(key, JSON.stringify(traceIds)) as { trace_id: number; tokens: number }[]) {
    out.set(r.trace_id, r.tokens);
  }
  const missing = traceIds.filter((id) => !out.has(id));
  if (missing.length === 0) return out;
  const thinkingOf = thinkingLookup(db);
  const put = db.prepare('INSERT OR REPLACE INTO curation_token_counts (tokenizer, trace_id, tokens) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const id of missing) {
      const thinking = thinkingOf(id);
      const n = thinking ? count(thinking) : 0;
      put.run(key, id, n);
      out.set(id, n);
    }
  })();
  return out;
}

/** Forgets a trace's cached token counts (its text changed). */
export function dropTokenCounts(db: DB, traceId: number): void {
  db.prepare('DELETE FROM curation_token_counts WHERE trace_id = ?').run(traceId);
}

/** The recipes of the latest curation runs, frozen ones first (where review finds the student's folder). */
export function recentRecipes(db: DB, limit = 20): string[] {
  return db.prepare('SELECT recipe FROM curation_runs ORDER BY frozen_at IS NULL, id DESC LIMIT ?').pluck().all(limit) as string[];
}

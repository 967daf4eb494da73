import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import type { DB } from '../store/project';
import { UserError } from '../util/errors';

export interface StudentTokenizer {
  /** Stable key for the token-count cache: the file's path, size and modification time. */
  key: string;
  count(text: string): number;
}

const loaded = new Map<string, StudentTokenizer>();

/** Loads the student's tokenizer.json (and tokenizer_config.json when present) from a model folder. */
export function loadStudentTokenizer(dir: string): StudentTokenizer {
  const abs = path.resolve(dir);
  const file = fs.existsSync(abs) && fs.statSync(abs).isFile() ? abs : path.join(abs, 'tokenizer.json');
  if (!fs.existsSync(file)) {
    throw new UserError(`The student folder ${abs} has no tokenizer.json; choose the folder of the student model (it holds tokenizer.json), or clear the setting to count characters / 4.`, 'no_tokenizer');
  }
  const st = fs.statSync(file);
  const key = `${file}:${st.size}:${Math.floor(st.mtimeMs)}`;
  const hit = loaded.get(key);
  if (hit) return hit;
  let tok: Tokenizer;
  try {
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as object;
    const cfgFile = path.join(path.dirname(file), 'tokenizer_config.json');
    const cfg = fs.existsSync(cfgFile) ? (JSON.parse(fs.readFileSync(cfgFile, 'utf8')) as object) : {};
    tok = new Tokenizer(json, cfg);
  } catch (e) {
    throw new UserError(`Could not read the student tokenizer ${file}: ${(e as Error).message}. Choose a model folder whose tokenizer.json loads in transformers.`, 'bad_tokenizer');
  }
  const t: StudentTokenizer = { key, count: (text) => tok.encode(text, { add_special_tokens: false }).ids.length };
  loaded.set(key, t);
  return t;
}

/**
 * Thinking length of each trace in the student's tokens. Counts are stored per tokenizer, so 60K traces
 * are tokenised once; later runs and previews read them back.
 */
export function studentTokenCounts(db: DB, tok: StudentTokenizer, traceIds: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of db.prepare('SELECT trace_id, tokens FROM curation_token_counts WHERE tokenizer = ?').all(tok.key) as { trace_id: number; tokens: number }[]) {
    out.set(r.trace_id, r.tokens);
  }
  const missing = traceIds.filter((id) => !out.has(id));
  if (missing.length === 0) return out;
  const get = db.prepare('SELECT thinking FROM traces WHERE id = ?');
  const put = db.prepare('INSERT OR REPLACE INTO curation_token_counts (tokenizer, trace_id, tokens) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const id of missing) {
      const row = get.get(id) as { thinking: string | null } | undefined;
      const n = row?.thinking ? tok.count(row.thinking) : 0;
      put.run(tok.key, id, n);
      out.set(id, n);
    }
  })();
  return out;
}

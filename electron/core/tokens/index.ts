import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { UserError } from '../util/errors';

export interface LoadedTokenizer {
  /** Stable key for caches: the file's path, size and modification time. */
  key: string;
  count(text: string): number;
  /** Token ids of `text`, without special tokens added (the text is a part of a prompt, not a whole one). */
  encode(text: string): number[];
  /** The text of `ids`; special tokens are kept, so that a prefix decodes to the text it came from. */
  decode(ids: readonly number[]): string;
  /** The id of one token of the vocabulary (e.g. "</think>"), or undefined. */
  tokenId(token: string): number | undefined;
}

const loaded = new Map<string, LoadedTokenizer>();

/** Loads a tokenizer.json (with tokenizer_config.json beside it when present); cached by file identity. */
export function loadTokenizerFile(file: string): LoadedTokenizer {
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
    throw new UserError(`Could not read the tokenizer ${file}: ${(e as Error).message}. Choose a model folder whose tokenizer.json loads in transformers.`, 'bad_tokenizer');
  }
  const t: LoadedTokenizer = {
    key,
    count: (text) => tok.encode(text, { add_special_tokens: false }).ids.length,
    encode: (text) => tok.encode(text, { add_special_tokens: false }).ids,
    decode: (ids) => (ids.length === 0 ? '' : tok.decode([...ids], { skip_special_tokens: false })),
    tokenId: (token) => tok.token_to_id(token),
  };
  loaded.set(key, t);
  return t;
}

/**
 * The tokenizer of a model named by a local folder (as local servers name their model), or null when the
 * model is a remote name: then token counts come from the server's usage report.
 */
export function tokenizerForModel(model: string): LoadedTokenizer | null {
  if (!path.isAbsolute(model)) return null;
  const file = path.join(model, 'tokenizer.json');
  try {
    return fs.statSync(file).isFile() ? loadTokenizerFile(file) : null;
  } catch {
    return null;
  }
}

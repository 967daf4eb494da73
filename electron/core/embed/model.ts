import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/errors';

export type EmbedDtype = 'fp32' | 'q8';

/** transformers.js's file name for each precision (the layout of Xenova/… and onnx-community/… folders). */
export const ONNX_FILE: Record<EmbedDtype, string> = { fp32: 'model.onnx', q8: 'model_quantized.onnx' };

export interface EmbedModel {
  /** Absolute folder. */
  dir: string;
  dtype: EmbedDtype;
  maxLength: number;
  onnxFile: string;
  /** Identity of the weights, tokenizer, config, precision and token limit: vectors are stored under it. */
  key: string;
}

const hashes = new Map<string, string>();

/** sha256 of a file, remembered per path, size and modification time (60 MB of weights hash once per run). */
function fileHash(file: string): string {
  const st = fs.statSync(file);
  const memo = `${file}|${st.size}|${st.mtimeMs}`;
  const hit = hashes.get(memo);
  if (hit) return hit;
  const h = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 22);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  const out = h.digest('hex');
  hashes.set(memo, out);
  return out;
}

const HINT = 'choose the folder of a sentence-embedding model exported for transformers.js (config.json, tokenizer.json and onnx/model.onnx, like all-MiniLM-L6-v2 or bge-small)';

/**
 * Checks that a folder holds an embedding model transformers.js can load from disk, and computes its identity.
 * Every problem is a sentence naming the folder and the missing file.
 */
export function resolveEmbedModel(dir: string, dtype: EmbedDtype = 'fp32', maxLength = 128): EmbedModel {
  if (!dir || !dir.trim()) throw new UserError(`No embedding model folder is set; ${HINT}.`, 'embed_no_model');
  const abs = path.resolve(dir.trim());
  if (!fs.existsSync(abs)) throw new UserError(`The embedding model folder ${abs} does not exist; ${HINT}.`, 'embed_bad_model');
  if (!fs.statSync(abs).isDirectory()) throw new UserError(`${abs} is a file, not a folder; ${HINT}.`, 'embed_bad_model');
  for (const f of ['config.json', 'tokenizer.json']) {
    if (!fs.existsSync(path.join(abs, f))) throw new UserError(`The embedding model folder ${abs} has no ${f}; ${HINT}.`, 'embed_bad_model');
  }
  let config: { model_type?: unknown };
  try {
    config = JSON.parse(fs.readFileSync(path.join(abs, 'config.json'), 'utf8')) as { model_type?: unknown };
  } catch (e) {
    throw new UserError(`The file ${path.join(abs, 'config.json')} is not valid JSON (${(e as Error).message}); ${HINT}.`, 'embed_bad_model');
  }
  if (typeof config.model_type !== 'string') throw new UserError(`The file ${path.join(abs, 'config.json')} has no "model_type"; ${HINT}.`, 'embed_bad_model');
  const onnxFile = path.join(abs, 'onnx', ONNX_FILE[dtype]);
  if (!fs.existsSync(onnxFile)) {
    const other: EmbedDtype = dtype === 'fp32' ? 'q8' : 'fp32';
    const alt = fs.existsSync(path.join(abs, 'onnx', ONNX_FILE[other])) ? ` It has onnx/${ONNX_FILE[other]}: choose the precision "${other}".` : '';
    throw new UserError(`The embedding model folder ${abs} has no onnx/${ONNX_FILE[dtype]} (precision "${dtype}").${alt || ` ${HINT[0]?.toUpperCase()}${HINT.slice(1)}.`}`, 'embed_bad_model');
  }
  if (!Number.isInteger(maxLength) || maxLength < 8 || maxLength > 8192) throw new UserError(`The token limit ${maxLength} is out of range; use a whole number from 8 to 8192 (128 suits questions).`, 'embed_bad_setting');
  const h = createHash('sha256');
  for (const f of [path.join(abs, 'config.json'), path.join(abs, 'tokenizer.json'), onnxFile]) h.update(fileHash(f));
  h.update(`|${dtype}|${maxLength}`);
  return { dir: abs, dtype, maxLength, onnxFile, key: h.digest('hex').slice(0, 32) };
}

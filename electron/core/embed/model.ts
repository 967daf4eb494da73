import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/errors';

export type EmbedDtype = 'fp32' | 'q8';
export type EmbedPooling = 'mean' | 'cls' | 'max' | 'mean_sqrt_len_tokens';

/** Written by `embed-convert` beside the ONNX files: how sentence-transformers turns token vectors into one vector. */
export const SPEC_FILE = 'distillery_embedding.json';

export interface EmbedSpec {
  pooling: EmbedPooling;
  normalize: boolean;
  /** sentence-transformers' max_seq_length: texts are cut there (with the final [SEP] kept), null when unknown. */
  maxSeqLength: number | null;
  /** sentence_bert_config's do_lower_case: the text is lower-cased before tokenising. */
  lowercase: boolean;
}

/** Folders without the file (transformers.js exports such as Xenova/all-MiniLM-L6-v2) keep the old behaviour: mean, normalised. */
export const DEFAULT_SPEC: EmbedSpec = { pooling: 'mean', normalize: true, maxSeqLength: null, lowercase: false };

/** transformers.js's file name for each precision (the layout of Xenova/… and onnx-community/… folders). */
export const ONNX_FILE: Record<EmbedDtype, string> = { fp32: 'model.onnx', q8: 'model_quantized.onnx' };

export interface EmbedModel {
  /** Absolute folder. */
  dir: string;
  dtype: EmbedDtype;
  /** Tokens per text: the smaller of the requested limit and the model's own max_seq_length. */
  maxLength: number;
  onnxFile: string;
  spec: EmbedSpec;
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

/** A sentence-transformers folder not yet converted (modules.json and weights, no onnx/): the UI offers the conversion. */
export function isSentenceTransformersFolder(dir: string): boolean {
  const abs = path.resolve(dir.trim());
  return fs.existsSync(path.join(abs, 'modules.json')) && !fs.existsSync(path.join(abs, 'onnx', ONNX_FILE.fp32)) && !fs.existsSync(path.join(abs, SPEC_FILE));
}

const POOLINGS: readonly EmbedPooling[] = ['mean', 'cls', 'max', 'mean_sqrt_len_tokens'];

/** Reads distillery_embedding.json; a sentence naming the file and the field when it is wrong. */
export function readSpec(abs: string): EmbedSpec | null {
  const file = path.join(abs, SPEC_FILE);
  if (!fs.existsSync(file)) return null;
  let raw: { pooling?: unknown; normalize?: unknown; max_seq_length?: unknown; lowercase?: unknown };
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof raw;
  } catch (e) {
    throw new UserError(`The file ${file} is not valid JSON (${(e as Error).message}); convert the model again with "Convert for in-app use".`, 'embed_bad_model');
  }
  if (!POOLINGS.includes(raw.pooling as EmbedPooling)) throw new UserError(`The file ${file} has "pooling": ${JSON.stringify(raw.pooling)}; it must be one of ${POOLINGS.join(', ')}.`, 'embed_bad_model');
  const max = raw.max_seq_length;
  if (max !== undefined && max !== null && !(Number.isInteger(max) && (max as number) >= 8)) throw new UserError(`The file ${file} has "max_seq_length": ${JSON.stringify(max)}; it must be a whole number of at least 8.`, 'embed_bad_model');
  return { pooling: raw.pooling as EmbedPooling, normalize: raw.normalize !== false, maxSeqLength: (max as number | null | undefined) ?? null, lowercase: raw.lowercase === true };
}

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
  if (isSentenceTransformersFolder(abs)) {
    throw new UserError(`The folder ${abs} is a sentence-transformers model without ONNX files; convert it for in-app use first ("Convert for in-app use", or \`distillery embed PROJECT --model ${abs}\`).`, 'embed_needs_convert');
  }
  if (!fs.existsSync(onnxFile)) {
    const other: EmbedDtype = dtype === 'fp32' ? 'q8' : 'fp32';
    const alt = fs.existsSync(path.join(abs, 'onnx', ONNX_FILE[other])) ? ` It has onnx/${ONNX_FILE[other]}: choose the precision "${other}".` : '';
    throw new UserError(`The embedding model folder ${abs} has no onnx/${ONNX_FILE[dtype]} (precision "${dtype}").${alt || ` ${HINT[0]?.toUpperCase()}${HINT.slice(1)}.`}`, 'embed_bad_model');
  }
  if (!Number.isInteger(maxLength) || maxLength < 8 || maxLength > 8192) throw new UserError(`The token limit ${maxLength} is out of range; use a whole number from 8 to 8192 (128 suits questions).`, 'embed_bad_setting');
  const own = readSpec(abs);
  const spec = own ?? DEFAULT_SPEC;
  // Past the model's own limit sentence-transformers cuts anyway (and positions past it may not exist).
  const limit = spec.maxSeqLength !== null ? Math.min(maxLength, spec.maxSeqLength) : maxLength;
  const h = createHash('sha256');
  for (const f of [path.join(abs, 'config.json'), path.join(abs, 'tokenizer.json'), onnxFile]) h.update(fileHash(f));
  // `|sep`: texts cut at the limit keep their final [SEP] since this version, so older vectors of cut texts differ.
  h.update(`|${dtype}|${limit}|sep`);
  // Only converted folders add their pooling, so that vectors stored before the file existed keep their identity.
  if (own) h.update(`|${own.pooling}|${own.normalize}|${own.lowercase}`);
  return { dir: abs, dtype, maxLength: limit, onnxFile, spec, key: h.digest('hex').slice(0, 32) };
}

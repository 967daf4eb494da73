import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { appRoot } from '../util/root';
import { UserError } from '../util/errors';
import type { EmbedModel } from './model';

/**
 * The worker thread's code. It is plain JavaScript handed to `new Worker(..., { eval: true })`, so it runs the
 * same under tsx, vitest and the esbuild bundle; it imports transformers.js from the path the main thread resolved.
 * One batch at a time (ONNX Runtime already uses every intra-op thread): requests queue on `chain`.
 */
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
let ready = null;
let chain = Promise.resolve();
const errText = (e) => (e && e.message ? e.message : String(e)).split('\n')[0].slice(0, 400);
// Pooling as sentence-transformers' Pooling module computes it (mean, mean/sqrt(n), first token, max over the kept
// tokens), then optional L2 normalisation, in one pass over typed arrays (transformers.js's generic
// mean_pooling().normalize() took about an eighth of each batch's time).
function pool(h, mask, b, s, d, mode, normalize) {
  const out = new Float32Array(b * d);
  let tokens = 0;
  for (let i = 0; i < b; i++) {
    const o = i * d;
    let n = 0;
    if (mode === 'max') out.fill(-1e9, o, o + d);
    for (let j = 0; j < s; j++) {
      if (!mask[i * s + j]) continue;
      n++;
      if (mode === 'cls' && n > 1) continue;
      const r = (i * s + j) * d;
      if (mode === 'max') for (let k = 0; k < d; k++) { if (h[r + k] > out[o + k]) out[o + k] = h[r + k]; }
      else for (let k = 0; k < d; k++) out[o + k] += h[r + k];
    }
    tokens += n;
    const div = mode === 'mean' ? Math.max(n, 1) : mode === 'mean_sqrt_len_tokens' ? Math.sqrt(Math.max(n, 1)) : 1;
    let norm = 0;
    for (let k = 0; k < d; k++) {
      out[o + k] /= div;
      norm += out[o + k] * out[o + k];
    }
    if (!normalize) continue;
    const inv = 1 / Math.max(Math.sqrt(norm), 1e-12);
    for (let k = 0; k < d; k++) out[o + k] *= inv;
  }
  return { data: out, tokens };
}
// The special tokens the tokenizer appends after the text ([SEP] for BERT, </s> for XLM-R and MPNet), found by
// encoding one word with and without them.
function suffixOf(tok) {
  const full = tok('a', { add_special_tokens: true, return_tensor: false });
  const bare = tok('a', { add_special_tokens: false, return_tensor: false }).input_ids;
  const ids = full.input_ids;
  for (let i = 0; i + bare.length <= ids.length; i++) {
    if (bare.every((x, k) => ids[i + k] === x)) {
      const at = i + bare.length;
      return { ids: ids.slice(at), types: full.token_type_ids ? full.token_type_ids.slice(at) : null };
    }
  }
  return { ids: [], types: null };
}
// Tokenises, cuts and pads a batch. transformers.js cuts after the special tokens were added (so a long text lost
// its final [SEP]); the tokenizers library, which sentence-transformers uses, cuts the text and then adds them:
// a cut row here ends with the suffix again, exactly as there.
function encode(t, tok, suffix, texts, maxLength) {
  const enc = tok(texts, { add_special_tokens: true, return_tensor: false });
  const limit = Math.min(maxLength, tok.model_max_length ?? Infinity);
  const rows = enc.input_ids;
  const types = enc.token_type_ids ?? null;
  let s = 1;
  for (const r of rows) s = Math.max(s, Math.min(r.length, limit));
  const b = rows.length;
  const ids = new BigInt64Array(b * s).fill(BigInt(tok.pad_token_id ?? 0));
  const mask = new BigInt64Array(b * s);
  const tt = types ? new BigInt64Array(b * s) : null;
  const keep = Math.max(0, s - suffix.ids.length);
  for (let i = 0; i < b; i++) {
    const r = rows[i];
    const cut = r.length > s;
    const n = cut ? s : r.length;
    for (let j = 0; j < n; j++) {
      const fromSuffix = cut && j >= keep;
      ids[i * s + j] = BigInt(fromSuffix ? suffix.ids[j - keep] : r[j]);
      mask[i * s + j] = 1n;
      if (tt) tt[i * s + j] = BigInt(fromSuffix ? (suffix.types?.[j - keep] ?? 0) : types[i][j]);
    }
  }
  const dims = [b, s];
  const inputs = { input_ids: new t.Tensor('int64', ids, dims), attention_mask: new t.Tensor('int64', mask, dims) };
  if (tt) inputs.token_type_ids = new t.Tensor('int64', tt, dims);
  return inputs;
}
async function load(m) {
  const t = await import(workerData.transformers);
  t.env.allowRemoteModels = false;
  t.env.allowLocalModels = true;
  t.env.localModelPath = '';
  t.env.useFSCache = false;
  t.env.useBrowserCache = false;
  const ex = await t.pipeline('feature-extraction', m.dir, {
    dtype: m.dtype,
    local_files_only: true,
    // No spinning: idle ORT threads would burn the CPU the app (and the user's other work) needs; measured no slower.
    session_options: { intraOpNumThreads: m.threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', extra: { session: { intra_op: { allow_spinning: '0' } } } },
  });
  return { t, ex, suffix: suffixOf(ex.tokenizer), spec: m.spec };
}
parentPort.on('message', (m) => {
  if (m.type === 'init') {
    ready = load(m);
    ready.then(
      ({ ex }) => parentPort.postMessage({ type: 'ready', dims: ex.model.config.hidden_size ?? null }),
      (e) => parentPort.postMessage({ type: 'failed', message: errText(e) }),
    );
    return;
  }
  if (m.type !== 'embed') return;
  chain = chain.then(async () => {
    try {
      const { t, ex, suffix, spec } = await ready;
      const texts = spec.lowercase ? m.texts.map((x) => x.toLowerCase()) : m.texts;
      const inputs = encode(t, ex.tokenizer, suffix, texts, m.maxLength);
      const out = await ex.model(inputs);
      const h = out.last_hidden_state ?? out.token_embeddings ?? out.logits;
      const { data, tokens } = pool(h.data, inputs.attention_mask.data, h.dims[0], h.dims[1], h.dims[2], spec.pooling, spec.normalize);
      parentPort.postMessage({ type: 'result', id: m.id, dims: h.dims[2], data, tokens, padded: inputs.attention_mask.data.length }, [data.buffer]);
    } catch (e) {
      parentPort.postMessage({ type: 'error', id: m.id, message: errText(e) });
    }
  });
});
`;

/** Where transformers.js's Node build lives (ESM when present), as a file URL the worker can import. */
function transformersUrl(): string {
  const req = createRequire(path.join(appRoot(), 'package.json'));
  const cjs = req.resolve('@huggingface/transformers');
  const esm = path.join(path.dirname(cjs), 'transformers.node.mjs');
  return pathToFileURL(fs.existsSync(esm) ? esm : cjs).href;
}

export interface EmbedBatch {
  /** One L2-normalised vector per text, in order. */
  vectors: Float32Array[];
  dims: number;
  /** Real tokens, and tokens including padding (to see what sorting by length saves). */
  tokens: number;
  padded: number;
}

export interface EmbedderOptions {
  /** ONNX Runtime intra-op threads; default: the machine's cores. */
  threads?: number;
  /** The worker stops after this long without a request (it starts again on the next one). */
  idleMs?: number;
}

interface Pending {
  resolve: (b: EmbedBatch) => void;
  reject: (e: Error) => void;
}

/**
 * Sentence embeddings with transformers.js in a worker thread, from a local folder only: the pooling and
 * normalisation of the folder's distillery_embedding.json (mean and normalised without one). Texts are cut at the
 * token limit keeping the final special token, as sentence-transformers does.
 */
export class Embedder {
  private worker: Worker | null = null;
  private ready: Promise<number> | null = null;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private idle: NodeJS.Timeout | null = null;
  private readonly threads: number;
  private readonly idleMs: number;
  dims: number | null = null;

  constructor(
    readonly model: EmbedModel,
    opts: EmbedderOptions = {},
  ) {
    this.threads = Math.max(1, Math.floor(opts.threads ?? os.availableParallelism()));
    this.idleMs = opts.idleMs ?? 30_000;
  }

  /** Starts the worker and loads the model; rejects with a sentence when the folder cannot be loaded. */
  start(): Promise<number> {
    if (this.ready) return this.ready;
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { transformers: transformersUrl() } });
    this.worker = w;
    this.ready = new Promise<number>((resolve, reject) => {
      const fail = (message: string) => {
        const err = new UserError(
          `The embedding model in ${this.model.dir} could not be loaded (${message}); choose the folder of a sentence-embedding model exported for transformers.js (config.json, tokenizer.json and onnx/${path.basename(this.model.onnxFile)}).`,
          'embed_load_failed',
        );
        reject(err);
        this.failAll(err);
        void this.close();
      };
      w.on('message', (m: { type: string; id?: number; dims?: number; data?: Float32Array; tokens?: number; padded?: number; message?: string }) => {
        if (m.type === 'ready') {
          this.dims = m.dims ?? null;
          if (this.pending.size === 0) w.unref();
          resolve(m.dims ?? 0);
        } else if (m.type === 'failed') fail(m.message ?? 'unknown error');
        else if (m.type === 'result' || m.type === 'error') {
          const p = this.pending.get(m.id as number);
          if (!p) return;
          this.pending.delete(m.id as number);
          this.arm();
          if (m.type === 'error') {
            p.reject(new Error(`The embedding model in ${this.model.dir} failed on a batch: ${m.message ?? 'unknown error'}.`));
            return;
          }
          const dims = m.dims as number;
          const data = m.data as Float32Array;
          const vectors: Float32Array[] = [];
          for (let i = 0; i < data.length / dims; i++) vectors.push(data.subarray(i * dims, (i + 1) * dims));
          this.dims = dims;
          p.resolve({ vectors, dims, tokens: m.tokens ?? 0, padded: m.padded ?? 0 });
        }
      });
      w.on('error', (e) => fail(e.message));
      w.on('exit', (code) => {
        if (this.worker === w) this.worker = null;
        this.failAll(new Error(`The embedding worker stopped (exit code ${code}).`));
        if (code !== 0) fail(`the worker exited with code ${code}`);
      });
    });
    this.ready.catch(() => undefined);
    w.postMessage({ type: 'init', dir: this.model.dir, dtype: this.model.dtype, threads: this.threads, spec: this.model.spec });
    return this.ready;
  }

  /** Embeds a batch; an aborted signal rejects at once (the worker finishes the batch and its result is dropped). */
  async embed(texts: readonly string[], signal?: AbortSignal): Promise<EmbedBatch> {
    if (texts.length === 0) return { vectors: [], dims: this.dims ?? 0, tokens: 0, padded: 0 };
    if (this.idle) clearTimeout(this.idle);
    if (!this.worker) this.ready = null;
    await this.start();
    const w = this.worker;
    if (!w) throw new Error('The embedding worker is not running.');
    w.ref();
    const id = ++this.seq;
    return new Promise<EmbedBatch>((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        this.arm();
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (b) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(b);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      w.postMessage({ type: 'embed', id, texts: texts.map((t) => t ?? ''), maxLength: this.model.maxLength });
    });
  }

  /** Stops the worker (the next `embed` starts it again). */
  async close(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (w) await w.terminate();
  }

  private arm(): void {
    if (this.pending.size > 0) return;
    this.worker?.unref();
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => void this.close(), this.idleMs);
    this.idle.unref();
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

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
// Mean over the tokens the mask keeps, then L2 normalisation: what transformers.js's mean_pooling().normalize()
// computes, in one pass over typed arrays (its generic version took about an eighth of each batch's time).
function meanPool(h, mask, b, s, d) {
  const out = new Float32Array(b * d);
  let tokens = 0;
  for (let i = 0; i < b; i++) {
    const o = i * d;
    let n = 0;
    for (let j = 0; j < s; j++) {
      if (!mask[i * s + j]) continue;
      n++;
      const r = (i * s + j) * d;
      for (let k = 0; k < d; k++) out[o + k] += h[r + k];
    }
    tokens += n;
    let norm = 0;
    for (let k = 0; k < d; k++) {
      out[o + k] /= Math.max(n, 1);
      norm += out[o + k] * out[o + k];
    }
    const inv = 1 / Math.max(Math.sqrt(norm), 1e-12);
    for (let k = 0; k < d; k++) out[o + k] *= inv;
  }
  return { data: out, tokens };
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
  return { t, ex };
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
      const { ex } = await ready;
      const inputs = ex.tokenizer(m.texts, { padding: true, truncation: true, max_length: m.maxLength });
      const out = await ex.model(inputs);
      const h = out.last_hidden_state ?? out.token_embeddings ?? out.logits;
      const { data, tokens } = meanPool(h.data, inputs.attention_mask.data, h.dims[0], h.dims[1], h.dims[2]);
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
 * Sentence embeddings with transformers.js (feature-extraction: mean pooling over the attention mask,
 * L2-normalised) in a worker thread, from a local folder only. Texts are cut at the model's token limit.
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
    w.postMessage({ type: 'init', dir: this.model.dir, dtype: this.model.dtype, threads: this.threads });
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

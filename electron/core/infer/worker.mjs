// @ts-check
/**
 * The in-app engine's worker (a child process by default, or a worker thread; see host.ts): one causal LM
 * exported to ONNX (onnx/model.onnx), run by transformers.js over onnxruntime-node, from a local folder only.
 * Plain JavaScript so that it runs the same under tsx, vitest and a bundled app (engine.ts finds this file).
 *
 * One generation at a time. Each step feeds the new token with the KV cache (present.* -> past_key_values.*);
 * the cache of the last sequence is kept, so a prompt that extends the previous one (budget forcing appends the
 * thinking and a forced delimiter) only feeds its new tokens. Sampling, stop strings and the exact token limit
 * are handled here, between two steps, so the limit is never passed and nothing runs ahead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { Detokenizer, StopMatcher, makeSampler } from './decode.mjs';

/**
 * Where the engine's messages come from: a worker thread's port, or the IPC channel of a child process (the
 * default host: engine.ts starts this file with `fork` so that it runs with its own allocator settings).
 * In a child, the settings come in a first `init` message and a cancel arrives as an `abort` message, read
 * between two steps (each forward pass yields to the event loop).
 * @type {{ postMessage(m: any): void, on(ev: 'message', fn: (m: any) => void): void, close(): void }}
 */
const port = parentPort ?? childPort();
function childPort() {
  if (typeof process.send !== 'function') throw new Error('worker.mjs must run as a worker thread or a forked child process');
  const send = /** @type {(m: any) => boolean} */ (process.send.bind(process));
  return {
    postMessage: (/** @type {any} */ m) => void send(m),
    on: (/** @type {'message'} */ ev, /** @type {(m: any) => void} */ fn) => void process.on(ev, fn),
    close: () => process.disconnect?.(),
  };
}

/** @typedef {{ dir: string, device: string, threads: number, transformersUrl: string, tokenizersUrl: string, abort?: SharedArrayBuffer }} Settings */
/** @type {Settings} */
const settings = parentPort
  ? workerData
  : await new Promise((resolve) => process.once('message', (/** @type {any} */ m) => resolve(m.settings)));
const { dir, device, threads, transformersUrl, tokenizersUrl } = settings;
/** The id of the request to cancel: shared memory in a thread, set by an `abort` message in a child. */
const abortFlag = new Int32Array(settings.abort ?? new ArrayBuffer(4));
/** @typedef {{ dims: number[], data: any, type: string }} AnyTensor */

const errText = (/** @type {unknown} */ e) => ((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '').slice(0, 500);
const readJson = (/** @type {string} */ f) => (fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null);

/** @type {any} */ let T;
/** @type {any} */ let model;
/** @type {any} */ let tokenizer;
/** @type {Set<number>} */ let eos = new Set();
/** @type {Record<string, any>} */ let genCfg = {};
let maxContext = Infinity;
/** @type {string[]} */ let pastNames = [];
let keepInput = false;
/** onnxruntime's session, when its inputs are the ones forward() makes (then it is run directly). */
/** @type {any} */ let session = null;
/** The shape of an empty cache tensor ([1, kv heads, 0, head dim]) for the first step of a direct run. */
/** @type {number[] | null} */ let emptyPast = null;
/**
 * The token ids whose keys and values are in `cache` (prompt and fed tokens of the last generation), the text
 * they stand for, and for each id the length of that text once the id is read (-1 where the id does not end on
 * a character boundary we know). Budget forcing sends back the model's own output as text; its ids are reused
 * by text, since re-tokenizing generated text seldom gives the ids the model generated.
 */
/** @type {{ ids: number[], past: Record<string, any> | null, text: string, ends: number[] }} */
let cache = { ids: [], past: null, text: '', ends: [] };

async function load() {
  T = await import(transformersUrl);
  T.env.allowRemoteModels = false;
  T.env.allowLocalModels = true;
  T.env.localModelPath = path.dirname(dir);
  T.env.useFSCache = false;
  T.env.useBrowserCache = false;
  const { Tokenizer } = await import(tokenizersUrl);
  tokenizer = new Tokenizer(readJson(path.join(dir, 'tokenizer.json')), readJson(path.join(dir, 'tokenizer_config.json')) ?? {});
  const sessionOptions = { interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', logSeverityLevel: 3 };
  if (threads) Object.assign(sessionOptions, { intraOpNumThreads: threads });
  model = await T.AutoModelForCausalLM.from_pretrained(dir, {
    local_files_only: true,
    dtype: 'fp32',
    device,
    session_options: sessionOptions,
  });
  const sess = model.sessions.model ?? Object.values(model.sessions)[0];
  const inputs = /** @type {string[]} */ (sess.inputNames);
  pastNames = inputs.filter((n) => n.startsWith('past_key_values.'));
  keepInput = inputs.includes('num_logits_to_keep');
  const cfg = readJson(path.join(dir, 'config.json')) ?? {};
  // Running onnxruntime's session directly skips transformers.js's per-call input checks and tensor wrapping
  // (about 5% of a step on small models); folders with other inputs go through model.forward.
  const own = new Set(['input_ids', 'attention_mask', 'position_ids', 'num_logits_to_keep']);
  const heads = cfg.num_attention_heads;
  const kvHeads = cfg.num_key_value_heads ?? heads;
  const headDim = cfg.head_dim ?? (heads ? cfg.hidden_size / heads : undefined);
  if (inputs.every((n) => own.has(n) || pastNames.includes(n)) && Number.isInteger(kvHeads) && Number.isInteger(headDim)) {
    session = sess;
    emptyPast = [1, kvHeads, 0, headDim];
  }
  genCfg = readJson(path.join(dir, 'generation_config.json')) ?? {};
  const ids = [genCfg.eos_token_id, cfg.eos_token_id].flat().filter((x) => typeof x === 'number');
  eos = new Set(ids);
  if (typeof cfg.max_position_embeddings === 'number') maxContext = cfg.max_position_embeddings;
  return { cache: pastNames.length > 0, logitsToKeep: keepInput, eos: [...eos], maxContext: Number.isFinite(maxContext) ? maxContext : null };
}

const i64 = (/** @type {number[]} */ xs) => BigInt64Array.from(xs, (x) => BigInt(x));

/** A tensor for the session: onnxruntime's own when it is run directly, transformers.js's otherwise. */
function tensor(/** @type {string} */ type, /** @type {any} */ data, /** @type {number[]} */ dims) {
  const t = new T.Tensor(type, data, dims);
  return session ? t.ort_tensor : t;
}

/** One forward pass: `ids` after `start` positions whose keys and values are in `past`. */
async function forward(/** @type {number[]} */ ids, /** @type {number} */ start, /** @type {Record<string, any> | null} */ past) {
  const n = ids.length;
  const total = start + n;
  /** @type {Record<string, any>} */
  const feeds = {
    input_ids: tensor('int64', i64(ids), [1, n]),
    attention_mask: tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
    position_ids: tensor('int64', i64(Array.from({ length: n }, (_, i) => start + i)), [1, n]),
  };
  if (keepInput) feeds.num_logits_to_keep = tensor('int64', BigInt64Array.of(1n), []);
  /** @type {Record<string, any>} */
  let out;
  if (session) {
    for (const name of pastNames) feeds[name] = past?.[name] ?? tensor('float32', new Float32Array(0), /** @type {number[]} */ (emptyPast));
    out = await session.run(feeds);
  } else {
    feeds.past_key_values = past;
    out = await model.forward(feeds);
  }
  /** @type {Record<string, any>} */
  const next = {};
  for (const name of Object.keys(out)) if (name.startsWith('present')) next[name.replace('present', 'past_key_values')] = out[name];
  const logits = out.logits;
  const vocab = logits.dims[logits.dims.length - 1];
  const rows = logits.data.length / vocab;
  return { logits: /** @type {Float32Array} */ (logits.data.subarray((rows - 1) * vocab, rows * vocab)), past: next };
}

/** The first `keep` positions of a cache ([batch, heads, positions, dim] tensors). */
function cropPast(/** @type {Record<string, any>} */ past, /** @type {number} */ keep) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const [name, t] of Object.entries(past)) {
    const [b, h, len, d] = t.dims;
    if (len === keep) {
      out[name] = t;
      continue;
    }
    const data = new t.data.constructor(b * h * keep * d);
    for (let i = 0; i < b * h; i++) data.set(t.data.subarray(i * len * d, i * len * d + keep * d), i * keep * d);
    out[name] = tensor(t.type, data, [b, h, keep, d]);
  }
  return out;
}

/** How many leading ids of `ids` can reuse the kept cache (at least one id is always fed). */
function reusable(/** @type {number[]} */ ids) {
  if (!cache.past || pastNames.length === 0) return 0;
  const max = Math.min(cache.ids.length, ids.length - 1);
  let c = 0;
  while (c < max && cache.ids[c] === ids[c]) c++;
  return c;
}

/**
 * The prompt's ids when its text extends text already in the cache: the cached ids up to the longest clean
 * boundary inside the shared text, then the rest of the prompt tokenized. Null when that reuses no more than
 * `canonical` ids would.
 */
function reuseByText(/** @type {string} */ prompt, /** @type {number} */ canonical) {
  if (!cache.past || pastNames.length === 0 || !cache.text) return null;
  const max = Math.min(prompt.length, cache.text.length);
  let common = 0;
  while (common < max && prompt.charCodeAt(common) === cache.text.charCodeAt(common)) common++;
  for (let i = cache.ids.length - 1; i >= canonical; i--) {
    const end = cache.ends[i];
    if (end === undefined || end < 0 || end > common) continue;
    const rest = /** @type {number[]} */ (tokenizer.encode(prompt.slice(end), { add_special_tokens: false }).ids);
    if (rest.length === 0) continue; // at least one id is fed
    const ends = cache.ends.slice(0, i + 1);
    for (let k = 0; k < rest.length - 1; k++) ends.push(-1);
    ends.push(prompt.length);
    return { ids: cache.ids.slice(0, i + 1).concat(rest), reused: i + 1, ends };
  }
  return null;
}

class Aborted extends Error {}

/**
 * @param {{ id: number, prompt: string, maxTokens: number, stop?: string[], temperature?: number, topP?: number, topK?: number, seed?: number, reuse?: boolean, ignoreEos?: boolean }} req
 */
async function generate(req) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let promptIds = /** @type {number[]} */ (tokenizer.encode(req.prompt, { add_special_tokens: false }).ids);
  /** @type {number[]} */
  let ends = promptIds.map((_, i) => (i === promptIds.length - 1 ? req.prompt.length : -1));
  let reused = req.reuse === false ? 0 : reusable(promptIds);
  const byText = req.reuse === false ? null : reuseByText(req.prompt, reused);
  if (byText && byText.reused > reused) {
    promptIds = byText.ids;
    ends = byText.ends;
    reused = byText.reused;
  }
  if (promptIds.length === 0) throw new Error('The prompt is empty; the in-app engine needs at least one prompt token.');
  if (promptIds.length >= maxContext) {
    throw new Error(`The prompt has ${promptIds.length} tokens, which fills the model's context of ${maxContext} tokens; shorten it.`);
  }
  const limit = Math.max(0, Math.min(Math.floor(req.maxTokens), maxContext - promptIds.length));
  const sample = makeSampler(req, genCfg);
  const stops = new StopMatcher(req.stop ?? []);
  const detok = new Detokenizer(tokenizer, promptIds);
  /** @type {number[]} */
  const generated = [];
  let text = '';
  let sent = 0;
  let finish = 'length';
  let matched = false;
  /** @type {number | null} */
  let firstMs = null;
  let past = reused > 0 && cache.past ? cropPast(cache.past, reused) : null;
  let fed = promptIds.slice(0, reused);
  let feed = promptIds.slice(reused);
  if (pastNames.length === 0) {
    reused = 0;
    feed = promptIds.slice();
    fed = [];
  }
  cache = { ids: [], past: null, text: '', ends: [] };
  /** The prompt and everything generated, before any stop string is cut (what the fed ids stand for). */
  let full = req.prompt;
  try {
    for (let step = 0; step < limit; step++) {
      if (Atomics.load(abortFlag, 0) === req.id) throw new Aborted();
      const out = await forward(feed, fed.length, past);
      if (pastNames.length > 0) {
        for (const x of feed) fed.push(x);
        past = out.past;
      }
      const next = sample(out.logits);
      generated.push(next);
      if (firstMs === null) firstMs = performance.now() - t0;
      if (!req.ignoreEos && eos.has(next)) {
        finish = 'stop';
        break;
      }
      const piece = detok.push(next);
      text += piece;
      full += piece;
      ends.push(piece ? full.length : -1);
      const hit = stops.find(text);
      if (hit >= 0) {
        text = text.slice(0, hit);
        finish = 'stop';
        matched = true;
        break;
      }
      const show = text.length - stops.held(text);
      if (show > sent) {
        port.postMessage({ type: 'text', id: req.id, text: text.slice(sent, show) });
        sent = show;
      }
      feed = pastNames.length > 0 ? [next] : promptIds.concat(generated);
    }
    if (!matched) {
      // Bytes of a character that the generation ended inside of.
      text += detok.flush();
      const hit = stops.find(text);
      if (hit >= 0) {
        text = text.slice(0, hit);
        finish = 'stop';
      }
    }
  } finally {
    if (pastNames.length > 0 && past) cache = { ids: fed, past, text: full, ends: ends.slice(0, fed.length) };
  }
  const cpu = process.cpuUsage(c0);
  return {
    text,
    finishReason: finish,
    completionTokens: generated.length,
    firstTextMs: firstMs,
    totalMs: performance.now() - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    tokenIds: generated,
    promptTokens: promptIds.length,
    reusedTokens: reused,
  };
}

let chain = Promise.resolve();
const ready = load();
ready.then(
  (info) => port.postMessage({ type: 'ready', ...info }),
  (e) => port.postMessage({ type: 'failed', message: errText(e) }),
);

port.on('message', (/** @type {any} */ m) => {
  if (m.type === 'abort') Atomics.store(abortFlag, 0, m.id);
  else if (m.type === 'generate') {
    chain = chain.then(async () => {
      try {
        await ready;
        const r = await generate(m.req);
        port.postMessage({ type: 'done', id: m.req.id, result: r });
      } catch (e) {
        if (e instanceof Aborted) port.postMessage({ type: 'aborted', id: m.req.id });
        else port.postMessage({ type: 'error', id: m.req.id, message: errText(e) });
      }
    });
  } else if (m.type === 'close') {
    chain = chain.then(async () => {
      try {
        await ready.catch(() => null);
        await model?.dispose?.();
      } finally {
        port.postMessage({ type: 'closed' });
        port.close();
      }
    });
  }
});

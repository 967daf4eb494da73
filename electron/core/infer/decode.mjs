// @ts-check
/**
 * Pieces of the in-app engine's decoding loop that do not touch the model: incremental detokenization,
 * stop strings, and sampling (greedy, temperature, top-k, top-p) with a seeded generator.
 * Plain JavaScript: the worker thread imports it as it is (see worker.mjs).
 */

/**
 * Streams the text of generated ids. Each new id is decoded together with a few ids before it and only the
 * difference is returned (decoders that drop a leading space, or byte-level pieces of one character, then
 * still give the right text); text that ends inside a character (U+FFFD) waits for the next id.
 */
export class Detokenizer {
  /** @param {{ decode(ids: number[], o?: object): string }} tok @param {number[]} context */
  constructor(tok, context) {
    this.tok = tok;
    /** @type {number[]} */
    this.ids = context.slice(-4);
    this.prefix = 0;
    this.read = this.ids.length;
  }

  /** @param {number[]} ids */
  decode(ids) {
    return this.tok.decode(ids, { skip_special_tokens: true });
  }

  /** The new text that `id` completes ('' while a character is incomplete). @param {number} id */
  push(id) {
    this.ids.push(id);
    const before = this.decode(this.ids.slice(this.prefix, this.read));
    const after = this.decode(this.ids.slice(this.prefix));
    if (after.length > before.length && !after.endsWith('\uFFFD')) {
      this.prefix = this.read;
      this.read = this.ids.length;
      return after.slice(before.length);
    }
    return '';
  }

  /** Whatever is still pending at the end of the generation (an incomplete character decodes to U+FFFD). */
  flush() {
    if (this.read >= this.ids.length) return '';
    const before = this.decode(this.ids.slice(this.prefix, this.read));
    const after = this.decode(this.ids.slice(this.prefix));
    this.prefix = this.read;
    this.read = this.ids.length;
    return after.length > before.length ? after.slice(before.length) : '';
  }
}

/** Finds stop strings in growing text, and how much of its end could still become one (held back from streaming). */
export class StopMatcher {
  /** @param {readonly string[]} stops */
  constructor(stops) {
    this.stops = stops.filter((s) => typeof s === 'string' && s.length > 0);
    this.maxLen = Math.max(0, ...this.stops.map((s) => s.length));
    this.scanned = 0;
  }

  /** Index of the earliest stop string in `text`, or -1. @param {string} text */
  find(text) {
    if (this.stops.length === 0) return -1;
    const from = Math.max(0, this.scanned - this.maxLen + 1);
    let best = -1;
    for (const s of this.stops) {
      const i = text.indexOf(s, from);
      if (i >= 0 && (best < 0 || i < best)) best = i;
    }
    this.scanned = text.length;
    return best;
  }

  /** Length of the longest end of `text` that begins a stop string. @param {string} text */
  held(text) {
    let h = 0;
    for (const s of this.stops) {
      for (let k = Math.min(s.length - 1, text.length); k > h; k--) {
        if (text.endsWith(s.slice(0, k))) {
          h = k;
          break;
        }
      }
    }
    return h;
  }
}

/** mulberry32: a small, fast, seeded 32-bit generator; returns floats in [0, 1). @param {number} seed */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index of the largest logit (the first one on ties, like numpy's argmax). @param {Float32Array} logits */
export function argmax(logits) {
  let best = 0;
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i] ?? -Infinity;
    if (v > max) {
      max = v;
      best = i;
    }
  }
  return best;
}

/**
 * The token picker of one request. An explicit temperature of 0 is greedy; no temperature at all follows the
 * model's generation_config.json (do_sample, temperature, top_p, top_k), as vLLM and transformers serve do.
 * @param {{ temperature?: number | null, topP?: number | null, topK?: number | null, seed?: number | null }} req
 * @param {{ do_sample?: boolean, temperature?: number, top_p?: number, top_k?: number }} gen
 * @returns {(logits: Float32Array) => number}
 */
export function makeSampler(req, gen) {
  const explicit = typeof req.temperature === 'number';
  const temp = explicit ? /** @type {number} */ (req.temperature) : gen.do_sample ? (gen.temperature ?? 1) : 0;
  if (!(temp > 0)) return argmax;
  const topP = req.topP ?? (explicit ? 1 : (gen.top_p ?? 1));
  const topK = Math.max(0, Math.floor(req.topK ?? (explicit ? 0 : (gen.top_k ?? 0))));
  const rand = seededRandom(typeof req.seed === 'number' ? req.seed : Math.floor(Math.random() * 2 ** 32));
  /** @type {Float64Array} */
  let w = new Float64Array(0);
  return (logits) => {
    const n = logits.length;
    if (w.length !== n) w = new Float64Array(n);
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const l = logits[i] ?? -Infinity;
      if (l > max) max = l;
    }
    let total = 0;
    let wmax = 0;
    for (let i = 0; i < n; i++) {
      const v = Math.exp(((logits[i] ?? -Infinity) - max) / temp);
      w[i] = v;
      total += v;
      if (v > wmax) wmax = v;
    }
    const cutK = topK > 0 && topK < n;
    const cutP = topP < 1;
    if (!cutK && !cutP) return pick(w, null, total, rand());
    // Candidates: every token above a small threshold, unless the nucleus or the top-k could reach below it.
    const tau = wmax * 1e-6;
    /** @type {number[]} */
    let cand = [];
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const wi = w[i] ?? 0;
      if (wi >= tau) {
        cand.push(i);
        kept += wi;
      }
    }
    if ((cutK && cand.length < topK) || (!cutK && kept < topP * total)) cand = Array.from({ length: n }, (_, i) => i);
    cand.sort((a, b) => (w[b] ?? 0) - (w[a] ?? 0) || a - b);
    if (cutK) cand = cand.slice(0, topK);
    let mass = cutK ? cand.reduce((s, i) => s + (w[i] ?? 0), 0) : total;
    if (cutP) {
      const goal = topP * mass;
      let cum = 0;
      let end = 0;
      while (end < cand.length) {
        cum += w[cand[end++] ?? 0] ?? 0;
        if (cum >= goal) break;
      }
      cand = cand.slice(0, Math.max(1, end));
      mass = cum;
    }
    return pick(w, cand, mass, rand());
  };
}

/** @param {Float64Array} w @param {number[] | null} cand @param {number} mass @param {number} u */
function pick(w, cand, mass, u) {
  let r = u * mass;
  if (cand === null) {
    let last = 0;
    for (let i = 0; i < w.length; i++) {
      const wi = w[i] ?? 0;
      if (wi <= 0) continue;
      last = i;
      r -= wi;
      if (r < 0) return i;
    }
    return last;
  }
  for (const i of cand) {
    r -= w[i] ?? 0;
    if (r < 0) return i;
  }
  return cand[cand.length - 1] ?? 0;
}

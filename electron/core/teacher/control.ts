/** Exponential backoff with full jitter: a random wait in [0, min(cap, base·2^attempt)). */
export function backoffMs(attempt: number, baseMs: number, capMs: number, rnd: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(rnd() * ceiling);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface Endpoint {
  url: string;
  outstanding: number;
  failures: number;
  downUntil: number;
  cooldownMs: number;
}

/**
 * Several base URLs for one teacher. Each request goes to the live endpoint with the fewest requests
 * outstanding; an endpoint that refuses connections or keeps failing is set aside for a cool-down that
 * doubles each time, then tried again.
 */
export class EndpointPool {
  private readonly eps: Endpoint[];
  constructor(
    urls: string[],
    private readonly opts: { failuresToDown?: number; cooldownMs?: number; maxCooldownMs?: number; now?: () => number } = {},
  ) {
    this.eps = urls.map((url) => ({ url, outstanding: 0, failures: 0, downUntil: 0, cooldownMs: opts.cooldownMs ?? 5_000 }));
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** Picks an endpoint and counts the request as outstanding; call release() when it ends. */
  acquire(): string {
    const t = this.now();
    let best: Endpoint | undefined;
    for (const e of this.eps) {
      if (e.downUntil > t) continue;
      if (!best || e.outstanding < best.outstanding) best = e;
    }
    // All set aside: use the one that comes back first rather than stall the job.
    if (!best) for (const e of this.eps) if (!best || e.downUntil < best.downUntil) best = e;
    const chosen = best as Endpoint;
    chosen.outstanding++;
    return chosen.url;
  }

  release(url: string, outcome: 'ok' | 'error' | 'down' | 'neutral'): void {
    const e = this.eps.find((x) => x.url === url);
    if (!e) return;
    e.outstanding = Math.max(0, e.outstanding - 1);
    if (outcome === 'ok') {
      e.failures = 0;
      e.cooldownMs = this.opts.cooldownMs ?? 5_000;
      e.downUntil = 0;
    } else if (outcome === 'error' || outcome === 'down') {
      e.failures++;
      if (outcome === 'down' || e.failures >= (this.opts.failuresToDown ?? 3)) {
        if (e.downUntil <= this.now()) {
          e.downUntil = this.now() + e.cooldownMs;
          e.cooldownMs = Math.min(e.cooldownMs * 2, this.opts.maxCooldownMs ?? 120_000);
        }
        e.failures = 0;
      }
    }
  }

  snapshot(): { url: string; outstanding: number; down: boolean }[] {
    const t = this.now();
    return this.eps.map((e) => ({ url: e.url, outstanding: e.outstanding, down: e.downUntil > t }));
  }

  get inFlight(): number {
    return this.eps.reduce((n, e) => n + e.outstanding, 0);
  }
}

/** Why the automatic limit last moved; the UI and the CLI show it in words. */
export type LimitReason =
  | { code: 'start'; limit: number; cap: number }
  | { code: 'grew'; from: number; to: number; gain: number }
  | { code: 'no_gain'; from: number; to: number; gain: number }
  | { code: 'throughput_fell'; from: number; to: number; drop: number }
  | { code: 'overloaded'; from: number; to: number };

export interface ControllerOptions {
  initial?: number;
  min?: number;
  /** The highest limit ever tried; a single-process local server gets a low one (see `concurrencyCap`). */
  max?: number;
  windowMs?: number;
  /** A step up is kept only when throughput grows by more than this fraction (noise is a few percent). */
  minGain?: number;
  /** Windows to wait at a limit that a step up did not beat before probing again. */
  holdWindows?: number;
  now?: () => number;
}

/**
 * `auto` concurrency: hill climbing on measured throughput, with memory.
 *
 * The first controller (AIMD on window-to-window noise, backing off only on 429/503) ran away against
 * `transformers serve` on a CPU: 8 -> 44 streams while tokens/s fell from ~25 to 0-1, because a local
 * server that is past its capacity does not refuse, it just gets slower for everyone. So:
 * - a window right after a change is skipped (new streams are still in prefill), and each limit's
 *   throughput is an EWMA over its own windows, not one noisy window;
 * - a step up (+25%) is kept only if it beat the limit below it by `minGain`; otherwise the controller
 *   goes back down and holds there for `holdWindows` before probing again (the plateau costs nothing
 *   to stay below, and per-token latency is lower there);
 * - if throughput at the current limit falls well below the best seen at a lower or equal limit (the
 *   server got slower, or is thrashing), it halves toward that best limit;
 * - 429/503 halve at once (at most once per window).
 */
export class AimdController {
  limit: number;
  reason: LimitReason;
  private cap: number;
  private readonly floor: number;
  private windowStart: number;
  private tokens = 0;
  private inFlightSum = 0;
  private inFlightSamples = 0;
  private settling = true;
  private lastCut = 0;
  private holdUntil = 0;
  /** The limit a step up came from, to compare against; null after a cut. */
  private previous: number | null = null;
  /** EWMA of tokens/s per limit, from settled windows only. */
  private readonly rates = new Map<number, number>();

  constructor(private readonly opts: ControllerOptions = {}) {
    this.cap = Math.max(1, opts.max ?? 1024);
    this.floor = Math.max(1, Math.min(this.cap, opts.min ?? 1));
    this.limit = Math.min(this.cap, Math.max(this.floor, opts.initial ?? 8));
    this.reason = { code: 'start', limit: this.limit, cap: this.cap };
    this.windowStart = this.now();
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  private get windowMs(): number {
    return this.opts.windowMs ?? 2_000;
  }

  private move(to: number, reason: LimitReason): void {
    this.limit = Math.min(this.cap, Math.max(this.floor, to));
    this.reason = reason;
    this.settling = true;
  }

  /** Lowers the ceiling once the teacher is known (see `concurrencyCap`). */
  capAt(max: number): void {
    this.cap = Math.max(this.floor, Math.min(this.cap, max));
    if (this.limit > this.cap) this.limit = this.cap;
    if (this.reason.code === 'start') this.reason = { code: 'start', limit: this.limit, cap: this.cap };
  }

  /** Counts streamed tokens; may move the limit when a window closes. */
  onTokens(n: number, inFlight: number): void {
    this.tokens += n;
    this.inFlightSum += inFlight;
    this.inFlightSamples++;
    const t = this.now();
    const span = t - this.windowStart;
    if (span < this.windowMs) return;
    const rate = (this.tokens / span) * 1000;
    const used = this.inFlightSum / Math.max(1, this.inFlightSamples);
    this.tokens = 0;
    this.inFlightSum = 0;
    this.inFlightSamples = 0;
    this.windowStart = t;
    if (this.settling) {
      this.settling = false;
      return;
    }
    this.decide(rate, used, t);
  }

  private decide(rate: number, used: number, t: number): void {
    const L = this.limit;
    const before = this.rates.get(L);
    const smoothed = before === undefined ? rate : 0.5 * before + 0.5 * rate;
    this.rates.set(L, smoothed);

    let best = 0;
    let bestLimit = L;
    for (const [limit, r] of this.rates) {
      if (limit <= L && r > best) {
        best = r;
        bestLimit = limit;
      }
    }
    if (bestLimit < L && smoothed < best * 0.8) {
      const to = Math.max(bestLimit, Math.floor(L / 2));
      this.rates.delete(L);
      this.previous = null;
      this.holdUntil = t + (this.opts.holdWindows ?? 5) * this.windowMs;
      return this.move(to, { code: 'throughput_fell', from: L, to: Math.max(this.floor, to), drop: 1 - smoothed / best });
    }
    const prev = this.previous;
    if (prev !== null) {
      const base = this.rates.get(prev) ?? 0;
      const gain = base > 0 ? smoothed / base - 1 : 1;
      if (gain <= (this.opts.minGain ?? 0.1)) {
        this.previous = null;
        this.holdUntil = t + (this.opts.holdWindows ?? 5) * this.windowMs;
        return this.move(prev, { code: 'no_gain', from: L, to: prev, gain });
      }
    }
    // Grow only when the limit is in use (otherwise the rate says nothing about it) and not holding.
    if (t < this.holdUntil || used < L * 0.9 || L >= this.cap) return;
    const to = Math.min(this.cap, L + Math.max(1, Math.ceil(L * 0.25)));
    const base = prev !== null ? this.rates.get(prev) : undefined;
    this.previous = L;
    this.move(to, { code: 'grew', from: L, to, gain: base ? smoothed / base - 1 : 0 });
  }

  onOverload(): void {
    const t = this.now();
    if (t - this.lastCut < this.windowMs) return;
    this.lastCut = t;
    const from = this.limit;
    this.previous = null;
    this.rates.delete(from);
    this.holdUntil = t + (this.opts.holdWindows ?? 5) * this.windowMs;
    this.move(Math.floor(from / 2), { code: 'overloaded', from, to: Math.max(this.floor, Math.floor(from / 2)) });
  }
}

/** The reason as flat progress fields (`concurrency_reason` is the code; the numbers beside it). */
export function limitReasonFields(r: LimitReason): Record<string, number | string> {
  const out: Record<string, number | string> = { concurrency_reason: r.code };
  for (const [k, v] of Object.entries(r)) if (k !== 'code' && typeof v === 'number') out[`concurrency_${k}`] = v;
  return out;
}

/**
 * The highest automatic limit for a teacher. Servers that run one model in one process on this machine
 * (transformers serve, llama.cpp with its default slots, LM Studio, Ollama) gain nothing from dozens of
 * streams and stop answering anything else when flooded; batching servers (vLLM, SGLang) and remote APIs
 * get the wide range.
 */
export function concurrencyCap(preset: string | null, urls: readonly string[]): number {
  const local = urls.length > 0 && urls.every((u) => isLoopbackUrl(u));
  if (!local) return 1024;
  if (preset === 'vllm' || preset === 'sglang') return 1024;
  if (preset === 'transformers') return 4;
  return 8;
}

function isLoopbackUrl(u: string): boolean {
  try {
    const h = new URL(u).hostname.replace(/^\[|\]$/g, '');
    return h === 'localhost' || h === '::1' || /^127\./.test(h);
  } catch {
    return false;
  }
}

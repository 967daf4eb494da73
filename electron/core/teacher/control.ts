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

/**
 * `auto` concurrency (AIMD): every window, if throughput grew, add more streams; if it fell flat, hold;
 * on 429/503 halve at once (at most once per window so one burst of refusals is one signal).
 */
export class AimdController {
  limit: number;
  private windowStart: number;
  private tokens = 0;
  private lastRate = 0;
  private lastCut = 0;
  constructor(
    private readonly opts: { initial?: number; min?: number; max?: number; windowMs?: number; now?: () => number } = {},
  ) {
    this.limit = opts.initial ?? 8;
    this.windowStart = this.now();
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** Counts streamed tokens; may move the limit when a window closes. */
  onTokens(n: number, inFlight: number): void {
    this.tokens += n;
    const t = this.now();
    const span = t - this.windowStart;
    if (span < (this.opts.windowMs ?? 2_000)) return;
    const rate = (this.tokens / span) * 1000;
    // Only grow when the limit is actually in use, otherwise the rate says nothing about it.
    if (rate > this.lastRate * 1.05 && inFlight >= this.limit * 0.9) {
      this.limit = Math.min(this.opts.max ?? 1024, this.limit + Math.max(1, Math.ceil(this.limit * 0.25)));
    }
    this.lastRate = rate;
    this.tokens = 0;
    this.windowStart = t;
  }

  onOverload(): void {
    const t = this.now();
    if (t - this.lastCut < (this.opts.windowMs ?? 2_000)) return;
    this.lastCut = t;
    this.limit = Math.max(this.opts.min ?? 1, Math.floor(this.limit / 2));
    this.lastRate = 0;
  }
}

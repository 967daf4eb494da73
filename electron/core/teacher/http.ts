import http from 'node:http';
import https from 'node:https';
import { ChatStream, StreamError } from './stream';
import { egressRefusal } from '../egress/policy';
import { redactUrl, redactUrls, scrub, urlSecretValues } from './credentials';

// One keep-alive agent per protocol, without a socket cap: hundreds of concurrent streams are normal.
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024, scheduling: 'lifo' }),
  https: new https.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024, scheduling: 'lifo' }),
};

/** A failed attempt: `retryable` says whether another attempt may succeed; `endpointDown` marks the endpoint. */
export class AttemptError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly opts: { status?: number; retryAfterMs?: number; endpointDown?: boolean; overload?: boolean } = {},
  ) {
    super(message);
    this.name = 'AttemptError';
  }
}

/** Retry-After as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(v: string | string[] | undefined, now = Date.now()): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (!s) return undefined;
  const t = s.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const d = Date.parse(t);
  if (Number.isNaN(d)) return undefined;
  return Math.max(0, d - now);
}

export interface RequestSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Socket idle timeout: no byte for this long fails the attempt. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Who connects, for the egress log and a refusal's sentence (default: teacher). */
  who?: string;
}

/**
 * `base` + `path` with the path appended to the URL's pathname: a query string (?api_key=...) or a fragment
 * stays at the end, where a plain string concatenation would have put the path inside it.
 */
export function joinUrl(base: string, path: string): string {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  }
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return u.href;
}

/**
 * For fetch(), which refuses URLs with credentials: the URL without user:password, and those sent as Basic
 * authentication instead (unless the headers already carry an Authorization).
 */
export function fetchTarget(url: string, headers: Record<string, string>): { url: string; headers: Record<string, string> } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, headers };
  }
  if (!u.username && !u.password) return { url, headers };
  const basic = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
  u.username = '';
  u.password = '';
  const has = Object.keys(headers).some((k) => k.toLowerCase() === 'authorization');
  return { url: u.href, headers: has ? headers : { ...headers, authorization: `Basic ${basic}` } };
}

// Header values that are never credentials; every other value a request carries is scrubbed from messages.
const PLAIN_HEADERS = new Set(['content-type', 'accept', 'content-length', 'user-agent', 'accept-encoding', 'connection']);

/**
 * The request's URL as it may appear in an error (stored with a failed trace, printed, logged): its
 * credentials replaced by ***. `text` (a server's answer) is also scrubbed of every secret the request sent,
 * since servers like to echo an invalid key back.
 */
function safe(spec: Pick<RequestSpec, 'url' | 'headers'>, text?: string): string {
  if (text === undefined) return redactUrl(spec.url);
  const secrets = urlSecretValues(spec.url);
  for (const [k, v] of Object.entries(spec.headers)) {
    if (PLAIN_HEADERS.has(k.toLowerCase())) continue;
    secrets.push(v, v.replace(/^\S+\s+/, ''));
  }
  return scrub(redactUrls(text), secrets);
}

const NET_DOWN = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

function netError(e: NodeJS.ErrnoException, spec: RequestSpec): AttemptError {
  const url = safe(spec);
  const code = e.code ?? '';
  if (NET_DOWN.has(code)) return new AttemptError(`could not connect to ${url} (${code})`, true, { endpointDown: true });
  return new AttemptError(`the connection to ${url} failed (${code || e.message})`, true);
}

function statusError(status: number, body: string, retryAfter: string | string[] | undefined, spec: RequestSpec): AttemptError {
  const url = safe(spec);
  const detail = safe(spec, body.replace(/\s+/g, ' ').trim().slice(0, 300));
  const msg = `${url} answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
  const retryAfterMs = parseRetryAfter(retryAfter);
  if (status === 429) return new AttemptError(msg, true, { status, retryAfterMs, overload: true });
  if (status === 503) return new AttemptError(msg, true, { status, retryAfterMs, overload: true, endpointDown: false });
  if (status >= 500 || status === 408 || status === 409) return new AttemptError(msg, true, { status, retryAfterMs });
  return new AttemptError(msg, false, { status });
}

type OnHeaders = (res: http.IncomingMessage) => void;

interface Target {
  mod: typeof http | typeof https;
  agent: http.Agent;
  host: string;
  port: number;
  path: string;
  /** `user:password` from the URL, sent as Basic authentication (as curl does) unless an Authorization header is set. */
  auth?: string;
}

// Parsed once per URL: a job sends thousands of requests to the same few endpoints.
const targets = new Map<string, Target>();

function targetOf(url: string): Target {
  let t = targets.get(url);
  if (!t) {
    const u = new URL(url);
    const tls = u.protocol === 'https:';
    t = {
      mod: tls ? https : http,
      agent: tls ? agents.https : agents.http,
      host: u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname,
      port: u.port ? Number(u.port) : tls ? 443 : 80,
      path: `${u.pathname}${u.search}`,
      auth: u.username || u.password ? `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}` : undefined,
    };
    if (targets.size > 256) targets.clear();
    targets.set(url, t);
  }
  return t;
}

/**
 * One abort listener per signal (a job's signal is shared by hundreds of in-flight requests; an
 * EventTarget listener each would make every add and remove walk the whole list).
 */
const aborters = new WeakMap<AbortSignal, Set<(reason: Error) => void>>();

function onAbort(signal: AbortSignal, fn: (reason: Error) => void): () => void {
  let set = aborters.get(signal);
  if (!set) {
    const fns = new Set<(reason: Error) => void>();
    set = fns;
    aborters.set(signal, fns);
    signal.addEventListener(
      'abort',
      () => {
        const reason = signal.reason instanceof Error ? signal.reason : new Error('aborted');
        for (const f of [...fns]) f(reason);
        fns.clear();
      },
      { once: true },
    );
  }
  set.add(fn);
  const s = set;
  return () => s.delete(fn);
}

/**
 * Idle timeouts for every open request, swept by one shared interval instead of a timer per socket that
 * is re-armed on every chunk. A request that has seen no byte for its timeoutMs is destroyed.
 */
interface Watch {
  last: number;
  timeoutMs: number;
  fire: () => void;
}
const watched = new Set<Watch>();
let sweeper: NodeJS.Timeout | null = null;
const SWEEP_MS = 100;

function sweep(): void {
  const t = Date.now();
  for (const w of watched) {
    if (t - w.last >= w.timeoutMs) {
      watched.delete(w);
      w.fire();
    }
  }
  if (watched.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = null;
  }
}

function watch(w: Watch): void {
  watched.add(w);
  if (!sweeper) {
    sweeper = setInterval(sweep, SWEEP_MS);
    sweeper.unref();
  }
}

interface Opened {
  req: http.ClientRequest;
  /** Marks activity (a byte arrived): pushes the idle deadline back. */
  watch: Watch;
}

function open(spec: RequestSpec, onOk: OnHeaders, reject: (e: Error) => void): Opened {
  const t = targetOf(spec.url);
  // The egress policy before any socket: thrown inside the callers' Promise executors, so it rejects them.
  const refused = egressRefusal(t.host, t.port, spec.who ?? 'teacher');
  if (refused) throw new AttemptError(refused, false);
  const w: Watch = { last: Date.now(), timeoutMs: spec.timeoutMs, fire: () => undefined };
  let unabort: (() => void) | null = null;
  const cleanup = () => {
    watched.delete(w);
    if (unabort) {
      unabort();
      unabort = null;
    }
  };
  const req = t.mod.request({ host: t.host, port: t.port, path: t.path, auth: t.auth, method: spec.method, headers: spec.headers, agent: t.agent }, (res) => {
    w.last = Date.now();
    res.once('close', cleanup);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      const parts: Buffer[] = [];
      let n = 0;
      res.on('data', (b: Buffer) => {
        if (n < 65536) parts.push(b);
        n += b.length;
      });
      res.on('end', () => reject(statusError(status, Buffer.concat(parts).toString('utf8'), res.headers['retry-after'], spec)));
      res.on('error', () => reject(statusError(status, '', res.headers['retry-after'], spec)));
      return;
    }
    onOk(res);
  });
  w.fire = () => req.destroy(new AttemptError(`${safe(spec)} sent nothing for ${Math.round(spec.timeoutMs / 1000)} s (timeout)`, true));
  req.once('close', cleanup);
  req.on('error', (e: NodeJS.ErrnoException) => {
    cleanup();
    if (spec.signal?.aborted) reject(spec.signal.reason instanceof Error ? spec.signal.reason : new Error('aborted'));
    else reject(e instanceof AttemptError ? e : netError(e, spec));
  });
  if (spec.signal) {
    if (spec.signal.aborted) {
      req.destroy(spec.signal.reason instanceof Error ? spec.signal.reason : new Error('aborted'));
      return { req, watch: w };
    }
    unabort = onAbort(spec.signal, (reason) => req.destroy(reason));
  }
  watch(w);
  req.end(spec.body);
  return { req, watch: w };
}

/** A plain JSON request (models list, probes). */
export function requestJson(spec: RequestSpec): Promise<unknown> {
  return new Promise((resolve, reject) => {
    open(
      spec,
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (b: Buffer) => parts.push(b));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(parts).toString('utf8')));
          } catch {
            reject(new AttemptError(`${safe(spec)} did not answer with JSON`, false));
          }
        });
        res.on('error', (e: NodeJS.ErrnoException) => reject(netError(e, spec)));
      },
      reject,
    );
  });
}

/**
 * Streams one chat completion. Resolves only with a complete response (a finish reason seen and the body
 * ended cleanly); a cut connection, a bad chunk or a missing finish rejects, and the partial text is dropped.
 * `onDeltas` is called once per network buffer with the number of deltas it carried.
 */
export function streamChat(spec: RequestSpec, onDeltas?: (n: number, stream: ChatStream) => void, opts: { logprobs?: boolean } = {}): Promise<ChatStream> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      reject(e);
    };
    const { req, watch: w } = open(
      spec,
      (res) => {
        const s = new ChatStream(opts);
        if (String(res.headers['content-type'] ?? '').includes('application/json')) return wholeBody(res, s, spec, fail, resolve);
        res.on('data', (b: Buffer) => {
          if (settled) return;
          w.last = Date.now();
          try {
            const n = s.push(b);
            if (n && onDeltas) onDeltas(n, s);
          } catch (e) {
            fail(e instanceof StreamError ? new AttemptError(safe(spec, e.message), true) : (e as Error));
            req.destroy();
          }
        });
        res.on('aborted', () => fail(new AttemptError(`the stream from ${safe(spec)} was cut part-way`, true)));
        res.on('error', (e: NodeJS.ErrnoException) =>
          fail(spec.signal?.aborted ? (spec.signal.reason as Error) : e instanceof AttemptError ? e : new AttemptError(`the stream from ${safe(spec)} was cut part-way (${e.code ?? e.message})`, true)),
        );
        res.on('end', () => {
          if (settled) return;
          if (!res.complete) return fail(new AttemptError(`the stream from ${safe(spec)} was cut part-way`, true));
          try {
            s.end();
          } catch (e) {
            return fail(new AttemptError(safe(spec, (e as Error).message), true));
          }
          if (!s.complete()) return fail(new AttemptError(`the stream from ${safe(spec)} ended without a finish reason (incomplete response)`, true));
          settled = true;
          resolve(s);
        });
      },
      fail,
    );
  });
}

/** A server that answered with one JSON object instead of a stream (non-streamed chat or completions). */
function wholeBody(res: http.IncomingMessage, s: ChatStream, spec: RequestSpec, fail: (e: Error) => void, resolve: (s: ChatStream) => void): void {
  const parts: Buffer[] = [];
  res.on('data', (b: Buffer) => parts.push(b));
  res.on('error', (e: NodeJS.ErrnoException) => fail(new AttemptError(`the answer from ${safe(spec)} was cut part-way (${e.code ?? e.message})`, true)));
  res.on('end', () => {
    if (!res.complete) return fail(new AttemptError(`the answer from ${safe(spec)} was cut part-way`, true));
    try {
      s.whole(Buffer.concat(parts).toString('utf8'));
    } catch (e) {
      return fail(new AttemptError(safe(spec, (e as Error).message), true));
    }
    if (!s.complete()) return fail(new AttemptError(`the answer from ${safe(spec)} has no finish reason (incomplete response)`, true));
    resolve(s);
  });
}

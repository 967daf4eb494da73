import http from 'node:http';
import https from 'node:https';
import { ChatStream, StreamError } from './stream';

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
}

const NET_DOWN = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

function netError(e: NodeJS.ErrnoException, url: string): AttemptError {
  const code = e.code ?? '';
  if (NET_DOWN.has(code)) return new AttemptError(`could not connect to ${url} (${code})`, true, { endpointDown: true });
  return new AttemptError(`the connection to ${url} failed (${code || e.message})`, true);
}

function statusError(status: number, body: string, retryAfter: string | string[] | undefined, url: string): AttemptError {
  const detail = body.replace(/\s+/g, ' ').trim().slice(0, 300);
  const msg = `${url} answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
  const retryAfterMs = parseRetryAfter(retryAfter);
  if (status === 429) return new AttemptError(msg, true, { status, retryAfterMs, overload: true });
  if (status === 503) return new AttemptError(msg, true, { status, retryAfterMs, overload: true, endpointDown: false });
  if (status >= 500 || status === 408 || status === 409) return new AttemptError(msg, true, { status, retryAfterMs });
  return new AttemptError(msg, false, { status });
}

type OnHeaders = (res: http.IncomingMessage) => void;

function open(spec: RequestSpec, onOk: OnHeaders, reject: (e: Error) => void): http.ClientRequest {
  const u = new URL(spec.url);
  const mod = u.protocol === 'https:' ? https : http;
  const req = mod.request(
    u,
    { method: spec.method, headers: spec.headers, agent: u.protocol === 'https:' ? agents.https : agents.http, signal: spec.signal },
    (res) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        const parts: Buffer[] = [];
        let n = 0;
        res.on('data', (b: Buffer) => {
          if (n < 65536) parts.push(b);
          n += b.length;
        });
        res.on('end', () => reject(statusError(status, Buffer.concat(parts).toString('utf8'), res.headers['retry-after'], spec.url)));
        res.on('error', () => reject(statusError(status, '', res.headers['retry-after'], spec.url)));
        return;
      }
      onOk(res);
    },
  );
  req.setTimeout(spec.timeoutMs, () => req.destroy(new AttemptError(`${spec.url} sent nothing for ${Math.round(spec.timeoutMs / 1000)} s (timeout)`, true)));
  req.on('error', (e: NodeJS.ErrnoException) => {
    if (spec.signal?.aborted) reject(spec.signal.reason instanceof Error ? spec.signal.reason : new Error('aborted'));
    else reject(e instanceof AttemptError ? e : netError(e, spec.url));
  });
  req.end(spec.body);
  return req;
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
            reject(new AttemptError(`${spec.url} did not answer with JSON`, false));
          }
        });
        res.on('error', (e: NodeJS.ErrnoException) => reject(netError(e, spec.url)));
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
export function streamChat(spec: RequestSpec, onDeltas?: (n: number) => void): Promise<ChatStream> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      reject(e);
    };
    const req = open(
      spec,
      (res) => {
        const s = new ChatStream();
        res.on('data', (b: Buffer) => {
          if (settled) return;
          try {
            const n = s.push(b);
            if (n && onDeltas) onDeltas(n);
          } catch (e) {
            fail(e instanceof StreamError ? new AttemptError(e.message, true) : (e as Error));
            req.destroy();
          }
        });
        res.on('aborted', () => fail(new AttemptError(`the stream from ${spec.url} was cut part-way`, true)));
        res.on('error', (e: NodeJS.ErrnoException) =>
          fail(spec.signal?.aborted ? (spec.signal.reason as Error) : e instanceof AttemptError ? e : new AttemptError(`the stream from ${spec.url} was cut part-way (${e.code ?? e.message})`, true)),
        );
        res.on('end', () => {
          if (settled) return;
          if (!res.complete) return fail(new AttemptError(`the stream from ${spec.url} was cut part-way`, true));
          try {
            s.end();
          } catch (e) {
            return fail(new AttemptError((e as Error).message, true));
          }
          if (!s.complete()) return fail(new AttemptError(`the stream from ${spec.url} ended without a finish reason (incomplete response)`, true));
          settled = true;
          resolve(s);
        });
      },
      fail,
    );
  });
}

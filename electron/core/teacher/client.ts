/**
 * The one OpenAI-compatible client of the engine (issue 16 §4): the headers every request to a teacher carries
 * (the API key header is built here and nowhere else; client.test.ts greps the engine for another), and the
 * small non-streaming chat call used by the domain labeller and the judge. Streaming generation goes through
 * `streamChat` and JSON GETs through `requestJson` (http.ts, node:http with keep-alive); this is the fetch()
 * path for one-off calls, with the same credential handling and the egress policy asked first.
 */
import { assertEgress } from '../egress/policy';
import { fetchTarget } from './http';

/** What a request needs of a teacher's connection (teacherConnection() in credentials.ts). */
export interface ConnectionAuth {
  headers: Record<string, string>;
  apiKey?: string | null;
}

/**
 * The headers of a request to an OpenAI-compatible server: `base` (content type, accept), then the teacher's
 * own headers, then its key as `Authorization: Bearer` when it has one. The key wins over a stored
 * Authorization header of any case, so exactly one is sent.
 */
export function authHeaders(conn: ConnectionAuth, base: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = { ...base, ...conn.headers };
  if (!conn.apiKey) return out;
  for (const k of Object.keys(out)) if (k.toLowerCase() === 'authorization') delete out[k];
  out.authorization = `Bearer ${conn.apiKey}`;
  return out;
}

export interface ChatOnceOptions {
  /** Who asks, for the egress policy's refusal sentence and log ("judge", "domain labeller"). */
  who: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Tests inject a fetch that answers without a server. */
  fetchImpl?: typeof fetch;
}

export interface ChatOnceReply {
  ok: boolean;
  status: number;
  /** The body as text (the server's error when !ok). */
  body: string;
  /** The first choice's message content when the answer was a chat completion; '' otherwise. */
  content: string;
}

interface ChatAnswer {
  choices?: { message?: { content?: string | null; reasoning_content?: string | null } }[];
}

/**
 * One non-streaming POST of `body` (a chat completion request) to `url`, the full /chat/completions URL.
 * `user:password` in the URL goes as Basic authentication; the policy refuses with EgressRefused before any
 * connection. Resolves with the status and text of any HTTP answer; rejects on a network failure, a timeout,
 * an abort, or a 2xx answer that is not JSON.
 */
export async function chatOnce(url: string, headers: Record<string, string>, body: unknown, o: ChatOnceOptions): Promise<ChatOnceReply> {
  const target = fetchTarget(url, { 'content-type': 'application/json', ...headers });
  assertEgress(target.url, o.who);
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const res = await (o.fetchImpl ?? fetch)(target.url, {
    method: 'POST',
    headers: target.headers,
    body: JSON.stringify(body),
    signal: o.signal ? AbortSignal.any([o.signal, timeout]) : timeout,
  });
  const text = await res.text();
  if (!res.ok) return { ok: false, status: res.status, body: text, content: '' };
  const j = JSON.parse(text) as ChatAnswer;
  return { ok: true, status: res.status, body: text, content: j.choices?.[0]?.message?.content ?? '' };
}

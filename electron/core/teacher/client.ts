/**
 * The one OpenAI-compatible client of the engine (issue 16 §4): the headers every request to a teacher carries
 * (the API key header is built here and nowhere else; client.test.ts greps the engine for another), and the
 * small non-streaming chat call used by the domain labeller and the judge; the streamed chat and completion
 * calls of generation, the probe, synth, augment, regenerate and evaluation (over `streamChat` in http.ts,
 * node:http with keep-alive). Every path handles credentials in the URL the same way and asks the egress
 * policy before it connects. A local teacher's endpoint (live.ts localEndpoint) becomes the URL of its server,
 * started on demand, before each request, so every caller reaches a running local teacher.
 */
import { assertEgress } from '../egress/policy';
import { fetchTarget, joinUrl, streamChat } from './http';
import { resolveEndpoint } from './live';
import type { ChatStream } from './stream';

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

/** Where a chat completion request to `endpoint` (a base URL such as http://host:8000/v1) goes. */
export function chatUrl(endpoint: string): string {
  return joinUrl(endpoint, 'chat/completions');
}

/**
 * One non-streaming POST of `body` (a chat completion request) to <endpoint>/chat/completions.
 * `user:password` in the URL goes as Basic authentication; the policy refuses with EgressRefused before any
 * connection. Resolves with the status and text of any HTTP answer; rejects on a network failure, a timeout,
 * an abort, or a 2xx answer that is not JSON.
 */
export async function chatOnce(endpoint: string, headers: Record<string, string>, body: unknown, o: ChatOnceOptions): Promise<ChatOnceReply> {
  const target = fetchTarget(chatUrl(await resolveEndpoint(endpoint)), { 'content-type': 'application/json', ...headers });
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

export interface StreamOptions {
  /** Socket idle timeout: no byte for this long fails the attempt. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Keep the per-token logprobs of the chunks (generate --logprobs). */
  logprobs?: boolean;
}

/**
 * Streams one chat completion from `endpoint` (a base URL such as http://host:8000/v1, so the request goes
 * to <endpoint>/chat/completions). `body` is the JSON text. Resolves only with a complete stream; rejects
 * with an AttemptError (retryable or not) otherwise.
 */
export async function chatStream(endpoint: string, headers: Record<string, string>, body: string, o: StreamOptions, onDeltas?: (n: number, s: ChatStream) => void): Promise<ChatStream> {
  return streamChat({ url: chatUrl(await resolveEndpoint(endpoint)), method: 'POST', headers, body, timeoutMs: o.timeoutMs, signal: o.signal }, onDeltas, { logprobs: o.logprobs ?? false });
}

/** Streams one raw-text completion from <endpoint>/completions (regenerate, evaluation): as chatStream. */
export async function completionStream(endpoint: string, headers: Record<string, string>, body: string, o: StreamOptions, onDeltas?: (n: number, s: ChatStream) => void): Promise<ChatStream> {
  return streamChat({ url: joinUrl(await resolveEndpoint(endpoint), 'completions'), method: 'POST', headers, body, timeoutMs: o.timeoutMs, signal: o.signal }, onDeltas, { logprobs: o.logprobs ?? false });
}

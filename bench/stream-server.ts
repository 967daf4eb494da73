// A local OpenAI-compatible streaming server for bench/generate.ts: every stream emits tokens at a set
// rate (from the model name "rate-N", tokens per second per stream) until max_tokens, first as
// reasoning_content and then as content. Runs as its own process so that it does not share the client's core.
import type http from 'node:http';
import { lastChunk, serveStreams } from './sse-server';

const TICK_MS = 50;
const THINK = 'data: {"id":"b","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"reasoning_content":"think "},"finish_reason":null}]}\n\n';
const ANSWER = 'data: {"id":"b","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"word "},"finish_reason":null}]}\n\n';

/** A chunk as vLLM sends it with `logprobs: true, top_logprobs: k`: the token and k alternatives (numbers vary by token). */
const memo = new Map<string, string>();
function withLogprobs(field: string, text: string, k: number, n: number): string {
  // 64 variants per field and k, made once: the server must not be what limits the client under test
  const key = `${field}|${k}|${n % 64}`;
  let c = memo.get(key);
  if (!c) {
    c = makeChunk(field, text, k, n % 64);
    memo.set(key, c);
  }
  return c;
}

function makeChunk(field: string, text: string, k: number, n: number): string {
  const lp = (i: number) => -((n * 7 + i * 13) % 997) / 97;
  const top = Array.from({ length: k }, (_, i) => {
    const t = i === 0 ? text : `${text.trim()}${i} `;
    return { token: t, logprob: lp(i), bytes: [...Buffer.from(t)] };
  });
  const chunk = { id: 'b', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { [field]: text }, logprobs: { content: [{ token: text, logprob: lp(0), bytes: [...Buffer.from(text)], top_logprobs: top }] }, finish_reason: null }] };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

interface Stream {
  res: http.ServerResponse;
  rate: number;
  total: number;
  sent: number;
  due: number;
  max: number;
  /** top_logprobs asked for (0: none) */
  k: number;
}

const streams = new Set<Stream>();

let last = performance.now();
setInterval(() => {
  // Timers drift under load: pay out by the time that really passed, so the offered rate holds.
  const now = performance.now();
  const elapsed = now - last;
  last = now;
  for (const s of streams) {
    s.due += (s.rate * elapsed) / 1000;
    const n = Math.min(Math.floor(s.due), s.total - s.sent);
    if (n <= 0) continue;
    s.due -= n;
    let out = '';
    for (let i = 0; i < n; i++, s.sent++) {
      const think = s.sent < s.total / 2;
      out += s.k ? withLogprobs(think ? 'reasoning_content' : 'content', think ? 'think ' : 'word ', s.k, s.sent) : think ? THINK : ANSWER;
    }
    if (s.sent >= s.total) {
      out += lastChunk('b', s.total < s.max ? 'stop' : 'length', 40, s.total);
      streams.delete(s);
      s.res.end(out);
    } else s.res.write(out);
  }
}, TICK_MS);

type Body = { model?: string; max_tokens?: number; logprobs?: boolean; top_logprobs?: number };
serveStreams<Body>(
  (body, res) => {
    const rate = Number(/rate-(\d+)/.exec(body.model ?? '')?.[1] ?? 50);
    // Answers end at different lengths, as real ones do; equal lengths would march every stream in lockstep.
    const max = body.max_tokens ?? 256;
    const s: Stream = { res, rate, total: Math.max(2, Math.round(max * (0.5 + 0.5 * Math.random()))), sent: 0, due: 0, max, k: body.logprobs ? (body.top_logprobs ?? 1) : 0 };
    res.on('close', () => streams.delete(s));
    streams.add(s);
  },
  {},
  Number(process.env.PORT ?? 0),
);

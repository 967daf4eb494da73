// A scripted OpenAI-compatible streaming server whose capacity saturates at a known concurrency, the way a
// single-process server on a CPU does: up to CAPACITY streams each get PER_STREAM tokens/s; past it the
// total throughput does not just stay flat, it falls (CAPACITY·PER_STREAM·(CAPACITY/n)^THRASH), and every
// stream slows down. Used by bench/concurrency.ts to check that `--concurrency auto` finds the knee.
//   env: CAPACITY (default 12), PER_STREAM (default 20), THRASH (default 0.7)
import type http from 'node:http';
import { lastChunk, serveStreams } from './sse-server';

const CAPACITY = Number(process.env.CAPACITY ?? 12);
const PER_STREAM = Number(process.env.PER_STREAM ?? 20);
const THRASH = Number(process.env.THRASH ?? 0.7);
const TICK_MS = 25;

/** Total tokens/s the server produces with n streams open. */
function capacity(n: number): number {
  if (n <= 0) return 0;
  return n <= CAPACITY ? n * PER_STREAM : CAPACITY * PER_STREAM * (CAPACITY / n) ** THRASH;
}

const chunk = (delta: string) => `data: {"id":"s","object":"chat.completion.chunk","choices":[{"index":0,"delta":${delta},"finish_reason":null}]}\n\n`;
const THINK = chunk('{"reasoning_content":"think "}');
const ANSWER = chunk('{"content":"word "}');

interface Stream {
  res: http.ServerResponse;
  total: number;
  sent: number;
  due: number;
}

const streams = new Set<Stream>();
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const elapsed = now - last;
  last = now;
  const perStream = capacity(streams.size) / Math.max(1, streams.size);
  for (const s of streams) {
    s.due += (perStream * elapsed) / 1000;
    const n = Math.min(Math.floor(s.due), s.total - s.sent);
    if (n <= 0) continue;
    s.due -= n;
    let out = '';
    for (let i = 0; i < n; i++, s.sent++) out += s.sent < s.total / 2 ? THINK : ANSWER;
    if (s.sent >= s.total) {
      out += lastChunk('s', 'stop', 20, s.total);
      streams.delete(s);
      s.res.end(out);
    } else s.res.write(out);
  }
}, TICK_MS);

serveStreams<{ max_tokens?: number }>(
  (body, res) => {
    const max = body.max_tokens ?? 120;
    const s: Stream = { res, total: Math.max(2, Math.round(max * (0.5 + 0.5 * Math.random()))), sent: 0, due: 0 };
    res.on('close', () => streams.delete(s));
    streams.add(s);
  },
  { capacity: CAPACITY, perStream: PER_STREAM },
);

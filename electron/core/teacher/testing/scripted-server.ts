import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the scripted server does with one request. */
export type Behaviour =
  | {
      kind: 'ok';
      tokens?: number;
      reasoning?: 'reasoning' | 'reasoning_content' | 'think' | 'unterminated' | 'none';
      delayPerTokenMs?: number;
      done?: boolean;
      usage?: boolean;
      finish?: string;
      /** Answer with one JSON object (a non-streamed chat completion) instead of a stream. */
      whole?: boolean;
      /** Leave out the logprobs a request asks for (a server that does not support them). */
      noLogprobs?: boolean;
    }
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  | { kind: 'drop'; afterTokens: number }
  | { kind: 'invalid'; afterTokens: number }
  | { kind: 'stall'; afterTokens: number; ms: number }
  | { kind: 'nofinish'; tokens: number };

export interface ScriptedRequest {
  /** 1-based count of requests carrying this same prompt. */
  attempt: number;
  prompt: string;
  body: { model?: string; messages?: { role: string; content: string }[]; max_tokens?: number; logprobs?: boolean; top_logprobs?: number };
}

export interface ScriptedServer {
  url: string;
  port: number;
  requests: ScriptedRequest[];
  /** Responses that finished completely (every token and the finish chunk written). */
  completed: Map<string, number>;
  close(): Promise<void>;
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null, usage?: unknown, logprobs?: unknown) =>
  `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', model: 'scripted', choices: [{ index: 0, delta, finish_reason: finish, ...(logprobs ? { logprobs } : {}) }], ...(usage ? { usage } : {}) })}\n\n`;

/**
 * OpenAI-style logprobs for one delta, one entry per piece of it (a word and its space are two tokens): the
 * piece at −0.25 and k − 1 made-up alternatives below it.
 */
export function scriptedLogprobs(text: string, k: number): { content: unknown[] } {
  const pieces = text.match(/\s+|[^\s]+/g) ?? [text];
  return {
    content: pieces.map((t) => {
      const alts = [t, t.toUpperCase() === t ? t.toLowerCase() : t.toUpperCase(), ' the', 'x', '0', '\n', ' and', ' is', 'y', 'z'];
      const top = [...new Set(alts)].slice(0, k).map((a, i) => ({ token: a, logprob: i === 0 ? -0.25 : -1.5 - i, bytes: [...Buffer.from(a, 'utf8')] }));
      return { token: t, logprob: -0.25, bytes: [...Buffer.from(t, 'utf8')], top_logprobs: top };
    }),
  };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An OpenAI-compatible streaming server whose every answer is scripted, for fault-injection tests. */
export async function startScriptedServer(script: (r: ScriptedRequest) => Behaviour, port = 0): Promise<ScriptedServer> {
  const requests: ScriptedRequest[] = [];
  const counts = new Map<string, number>();
  const completed = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      if (req.url?.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'scripted', object: 'model', max_model_len: 4096 }] }));
        return;
      }
      const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as ScriptedRequest['body'];
      const prompt = body.messages?.at(-1)?.content ?? '';
      const attempt = (counts.get(prompt) ?? 0) + 1;
      counts.set(prompt, attempt);
      const r = { attempt, prompt, body };
      requests.push(r);
      void respond(script(r), r, res).catch(() => res.destroy());
    });
  });
  const respond = async (b: Behaviour, r: ScriptedRequest, res: http.ServerResponse) => {
    if (b.kind === 'status') {
      const h: Record<string, string> = { 'content-type': 'application/json' };
      if (b.retryAfter !== undefined) h['retry-after'] = b.retryAfter;
      res.writeHead(b.status, h);
      res.end(b.body ?? JSON.stringify({ error: { message: `scripted ${b.status}` } }));
      return;
    }
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i} `);
    const k = r.body.logprobs && !(b.kind === 'ok' && b.noLogprobs) ? Math.max(1, r.body.top_logprobs ?? 1) : 0;
    if (b.kind === 'ok' && b.whole) {
      const n = b.tokens ?? 8;
      const answer = [...words(Math.floor(n / 2) - 1), `The answer is \\boxed{${r.attempt}}`];
      wholeAnswer(res, b.reasoning ?? 'reasoning_content', words(Math.ceil(n / 2)), answer, k, n);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(chunk({ role: 'assistant' }));
    switch (b.kind) {
      case 'drop':
        for (const w of words(b.afterTokens)) res.write(chunk({ content: w }));
        await wait(20);
        res.socket?.destroy();
        return;
      case 'invalid':
        for (const w of words(b.afterTokens)) res.write(chunk({ content: w }));
        res.write('data: {"choices": [ {broken\n\n');
        await wait(50);
        res.end();
        return;
      case 'stall':
        for (const w of words(b.afterTokens)) res.write(chunk({ content: w }));
        await wait(b.ms);
        res.end();
        return;
      case 'nofinish':
        for (const w of words(b.tokens)) res.write(chunk({ content: w }));
        res.end();
        return;
      case 'ok': {
        const n = b.tokens ?? 8;
        const think = words(Math.ceil(n / 2));
        const answer = [...words(Math.floor(n / 2) - 1), `The answer is \\boxed{${r.attempt}}`];
        const mode = b.reasoning ?? 'reasoning_content';
        const emit = async (d: Record<string, unknown>) => {
          res.write(chunk(d, null, undefined, k ? scriptedLogprobs(String(Object.values(d)[0]), k) : undefined));
          if (b.delayPerTokenMs) await wait(b.delayPerTokenMs);
        };
        if (mode === 'reasoning' || mode === 'reasoning_content') for (const w of think) await emit({ [mode]: w });
        if (mode === 'think' || mode === 'unterminated') {
          await emit({ content: '<think>' });
          for (const w of think) await emit({ content: w });
          if (mode === 'think') await emit({ content: '</think>' });
        }
        if (mode !== 'unterminated') for (const w of answer) await emit({ content: w });
        const usage = b.usage === false ? undefined : { prompt_tokens: 20, completion_tokens: n, total_tokens: 20 + n };
        res.write(chunk({}, b.finish ?? 'stop', usage));
        if (b.done !== false) res.write('data: [DONE]\n\n');
        res.end();
        completed.set(r.prompt, (completed.get(r.prompt) ?? 0) + 1);
        return;
      }
    }
  };
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const p = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${p}/v1`,
    port: p,
    requests,
    completed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A non-streamed chat completion (`message` instead of deltas; logprobs.content covers every token). */
function wholeAnswer(res: http.ServerResponse, mode: string, think: string[], answer: string[], k: number, n: number): void {
  const reasoning = mode === 'reasoning' || mode === 'reasoning_content' ? think.join('') : '';
  const content = `${mode === 'think' ? `<think>${think.join('')}</think>` : ''}${answer.join('')}`;
  const message: Record<string, unknown> = { role: 'assistant', content };
  if (reasoning) message[mode] = reasoning;
  const logprobs = k ? { content: [...(reasoning ? scriptedLogprobs(reasoning, k).content : []), ...scriptedLogprobs(content, k).content] } : null;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: 'x', object: 'chat.completion', model: 'scripted',
      choices: [{ index: 0, message, finish_reason: 'stop', logprobs }],
      usage: { prompt_tokens: 20, completion_tokens: n, total_tokens: 20 + n },
    }),
  );
}

/**
 * A scripted /v1/completions server for tests that need a model to behave a certain way (close its thinking
 * early, answer a chosen value). It behaves like a real server in what budget forcing relies on: the
 * scripted continuation is split into tokens with the model's real tokenizer, streamed one token per
 * chunk, cut at `max_tokens` (finish "length") or at a stop string (finish "stop", the stop string left
 * out), and the usage is reported. `overrun` makes it ignore max_tokens by that many tokens, like a server
 * whose count differs from ours.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoadedTokenizer } from '../../tokens';

export interface CompletionCall {
  prompt: string;
  maxTokens: number;
  stop: string[];
  seed: number | undefined;
  temperature: number | undefined;
}

export interface CompletionsServer {
  url: string;
  calls: CompletionCall[];
  close(): Promise<void>;
}

export async function startCompletionsServer(
  tok: LoadedTokenizer,
  script: (call: CompletionCall) => string,
  opts: { overrun?: number; delayMs?: number } = {},
): Promise<CompletionsServer> {
  const calls: CompletionCall[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      if (req.url?.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'scripted', object: 'model' }] }));
        return;
      }
      if (!req.url?.endsWith('/completions')) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as { prompt: string; max_tokens: number; stop?: string[] | string; seed?: number; temperature?: number };
      const call: CompletionCall = {
        prompt: body.prompt,
        maxTokens: body.max_tokens,
        stop: body.stop === undefined ? [] : Array.isArray(body.stop) ? body.stop : [body.stop],
        seed: body.seed,
        temperature: body.temperature,
      };
      calls.push(call);
      void stream(call, script(call), res).catch(() => res.destroy());
    });
  });
  /**
   * The text of ids[0..i] and from where it is new. Incremental (as servers detokenize): what token i adds to a short
   * window before it, appended to what was sent; decoding the whole prefix at every token took 31 s for a 20,000-token
   * answer, all of it blocking the test's process. Falls back to the whole prefix where the window disagrees (a
   * character split across tokens).
   */
  const decodeUpTo = (ids: number[], i: number, sent: string): { next: string; from: number } => {
    const a = Math.max(0, i - 8);
    const before = tok.decode(ids.slice(a, i));
    const withI = tok.decode(ids.slice(a, i + 1));
    if (withI.startsWith(before) && !withI.includes('\uFFFD')) return { next: sent + withI.slice(before.length), from: sent.length };
    return { next: tok.decode(ids.slice(0, i + 1)), from: 0 };
  };
  const stream = async (call: CompletionCall, text: string, res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const ids = tok.encode(text);
    const limit = call.maxTokens + (opts.overrun ?? 0);
    let sent = '';
    let n = 0;
    let finish = 'stop';
    for (let i = 0; i < ids.length; i++) {
      if (n >= limit) {
        finish = 'length';
        break;
      }
      const { next, from } = decodeUpTo(ids, i, sent);
      const stopAt = call.stop.map((s) => next.indexOf(s, Math.max(0, from - s.length + 1))).filter((x) => x >= 0);
      if (stopAt.length) {
        const cut = next.slice(0, Math.min(...stopAt));
        if (cut.length > sent.length) res.write(`data: ${JSON.stringify({ choices: [{ index: 0, text: cut.slice(sent.length), finish_reason: null }] })}\n\n`);
        n++;
        finish = 'stop';
        break;
      }
      const delta = next.slice(sent.length);
      sent = next;
      n++;
      if (delta) res.write(`data: ${JSON.stringify({ choices: [{ index: 0, text: delta, finish_reason: null }] })}\n\n`);
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      // Let the writes go out and the test's own process breathe during a long answer (20,000 tokens in one test).
      else if (i % 256 === 255) await new Promise((r) => setImmediate(r));
    }
    if (n >= limit && finish !== 'stop') finish = 'length';
    res.write(`data: ${JSON.stringify({ choices: [{ index: 0, text: '', finish_reason: finish }], usage: { prompt_tokens: tok.count(call.prompt), completion_tokens: n, total_tokens: n } })}\n\n`);
    res.write('data: [DONE]\n\n');
    res.end();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the test server answers to one prompt: the assistant's text, or an HTTP status (fault injection). */
export type Scripted = string | { status: number };

export interface ChatServer {
  url: string;
  prompts: string[];
  close(): Promise<void>;
}

/**
 * A tiny OpenAI-compatible chat server for tests: streams `reply(prompt)` as SSE chunks (split in two, so the
 * client really reassembles a stream) with a finish reason, as vLLM does.
 */
export async function startChatServer(reply: (prompt: string, n: number, model: string) => Scripted): Promise<ChatServer> {
  const prompts: string[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') as { model?: string; messages?: { content: string }[]; stream?: boolean };
      const prompt = body.messages?.at(-1)?.content ?? '';
      prompts.push(prompt);
      const r = reply(prompt, prompts.length, body.model ?? '');
      if (typeof r !== 'string') {
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `scripted ${r.status}` } }));
        return;
      }
      if (body.stream === false) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: r }, finish_reason: 'stop' }] }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const half = Math.ceil(r.length / 2);
      for (const piece of [r.slice(0, half), r.slice(half)]) {
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
      }
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    prompts,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

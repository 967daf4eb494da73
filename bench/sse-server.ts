// What bench/stream-server.ts and bench/saturating-server.ts share: a stream's last chunk, and an HTTP server that
// reads each request's JSON body, answers it as an event stream, and prints its port as one JSON line.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The final chunk (finish reason and usage) and `[DONE]`. */
export function lastChunk(id: string, finish: 'stop' | 'length', promptTokens: number, completionTokens: number): string {
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  const chunk = { id, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }], usage };
  return `data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`;
}

/** Serves every POST as an event stream that `open` takes over; prints `{"port":…, ...info}` once listening. */
export function serveStreams<B>(open: (body: B, res: http.ServerResponse) => void, info: Record<string, unknown> = {}, port = 0): http.Server {
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as B;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      open(body, res);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port, ...info })}\n`);
  });
  return server;
}

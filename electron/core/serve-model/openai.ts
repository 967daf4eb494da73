import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TextGenerator } from '../chat/generator';
import type { ChatMessage } from '../chat/template';

/** What the in-app engine adds to a completion result (token counts), when the generator is one. */
interface Counted {
  promptTokens?: number;
  completionTokens: number | null;
}

export interface OpenAiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function fail(res: http.ServerResponse, status: number, message: string, type = 'invalid_request_error'): void {
  send(res, status, { error: { message, type } });
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new Error('The request body is larger than 4 MiB.');
    chunks.push(c as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

interface ChatBody {
  messages: ChatMessage[];
  stream: boolean;
  maxTokens: number;
  temperature?: number;
  topP?: number;
  seed?: number;
  stop?: string[];
  includeUsage: boolean;
}

/** Checks a chat request; returns a sentence naming the field that is wrong, or the parsed request. */
export function parseChat(raw: unknown): ChatBody | string {
  if (!raw || typeof raw !== 'object') return 'The body must be a JSON object with "messages".';
  const b = raw as Record<string, unknown>;
  if (!Array.isArray(b.messages) || b.messages.length === 0) return '"messages" must be a non-empty array of {role, content}.';
  const messages: ChatMessage[] = [];
  for (const [i, m] of (b.messages as unknown[]).entries()) {
    const r = m as Record<string, unknown> | null;
    if (!r || typeof r.role !== 'string' || typeof r.content !== 'string') return `messages[${i}] must have a string "role" and a string "content".`;
    messages.push({ role: r.role, content: r.content } as ChatMessage);
  }
  const num = (k: string) => (typeof b[k] === 'number' && Number.isFinite(b[k]) ? (b[k]) : undefined);
  const maxTokens = num('max_completion_tokens') ?? num('max_tokens') ?? 256;
  if (!Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > 32_768) return '"max_tokens" must be a whole number from 1 to 32768.';
  const stop = typeof b.stop === 'string' ? [b.stop] : Array.isArray(b.stop) ? (b.stop as unknown[]).filter((s): s is string => typeof s === 'string') : undefined;
  const opts = b.stream_options as { include_usage?: boolean } | undefined;
  return { messages, stream: b.stream === true, maxTokens, temperature: num('temperature'), topP: num('top_p'), seed: num('seed'), stop, includeUsage: opts?.include_usage === true };
}

/**
 * A small OpenAI-compatible server over a TextGenerator (the in-app ONNX engine): GET /v1/models and
 * POST /v1/chat/completions, streamed as server-sent events or not, with usage. Requests run one at a
 * time in the engine; the server listens on the loopback address it is given and nowhere else.
 */
export async function startOpenAiServer(gen: TextGenerator, opts: { host: string; port: number; modelId: string }): Promise<OpenAiServer> {
  const created = Math.floor(Date.now() / 1000);
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: Error) => {
      if (!res.headersSent) fail(res, 500, `The model failed on this request: ${e.message}`, 'server_error');
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && (url.pathname === '/v1/models' || url.pathname === '/models')) {
      return send(res, 200, { object: 'list', data: [{ id: opts.modelId, object: 'model', created, owned_by: 'distillery' }] });
    }
    if (req.method !== 'POST' || !/^(\/v1)?\/chat\/completions$/.test(url.pathname)) {
      return fail(res, 404, `${req.method} ${url.pathname} is not served here; use GET /v1/models or POST /v1/chat/completions.`, 'not_found');
    }
    let raw: unknown;
    try {
      raw = await readJson(req);
    } catch (e) {
      return fail(res, 400, `The body is not valid JSON: ${(e as Error).message}`);
    }
    const body = parseChat(raw);
    if (typeof body === 'string') return fail(res, 400, body);
    const prompt = gen.template.render(body.messages, { addGenerationPrompt: true });
    const id = `chatcmpl-${randomUUID()}`;
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const chunk = (delta: Record<string, unknown>, finish: string | null) => ({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: opts.modelId, choices: [{ index: 0, delta, finish_reason: finish }] });
    let sent = 0;
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(`data: ${JSON.stringify(chunk({ role: 'assistant', content: '' }, null))}\n\n`);
    }
    const result = (await gen.continue({
      prompt,
      maxTokens: body.maxTokens,
      temperature: body.temperature,
      topP: body.topP,
      seed: body.seed,
      stop: body.stop,
      signal: abort.signal,
      onText: body.stream
        ? (text) => {
            if (text.length <= sent) return;
            res.write(`data: ${JSON.stringify(chunk({ content: text.slice(sent) }, null))}\n\n`);
            sent = text.length;
          }
        : undefined,
    })) as Awaited<ReturnType<TextGenerator['continue']>> & Counted;
    const promptTokens = result.promptTokens ?? gen.tokenizer.count(prompt);
    const completionTokens = result.completionTokens ?? gen.tokenizer.count(result.text);
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    const finish = result.finishReason ?? 'stop';
    if (!body.stream) {
      return send(res, 200, {
        id,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: opts.modelId,
        choices: [{ index: 0, message: { role: 'assistant', content: result.text }, finish_reason: finish }],
        usage,
      });
    }
    if (result.text.length > sent) res.write(`data: ${JSON.stringify(chunk({ content: result.text.slice(sent) }, null))}\n\n`);
    res.write(`data: ${JSON.stringify(chunk({}, finish))}\n\n`);
    if (body.includeUsage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: opts.modelId, choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${hostPart}:${port}/v1`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { appRouter } from '../core/api/router';
import { Engine } from '../core/engine';
import { registerJobKinds } from '../core/kinds';
import { allowedHosts, newToken, originAllowed, requestToken, tokenMatches } from './security';
import { securityHeaders, serveStatic } from './static';

export interface HostOptions {
  port?: number;
  host?: string;
  projectDir?: string;
  rendererDir: string;
  token?: string;
}

export interface RunningHost {
  url: string;
  port: number;
  token: string;
  engine: Engine;
  close(): Promise<void>;
}

/** The longest request address answered; a longer one gets 414 and a sentence (inputs travel in a POST body). */
export const MAX_URL = 8_192;
const TOO_LONG = 'The request address is too long (over 8,192 characters): send long text in the body of a POST, as the Distillery page does; reload the page if it keeps happening.';

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
};

/** Browser mode: the renderer and the same API as the desktop app, over HTTP on loopback, behind a token. */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const bind = opts.host ?? '127.0.0.1';
  const token = opts.token ?? newToken();
  const engine = new Engine({ mode: 'browser' });
  registerJobKinds(engine);
  if (opts.projectDir) await engine.open(opts.projectDir);

  let hosts = new Set<string>();
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/api/trpc/',
    // The renderer sends queries as POST too: a query's input (a long question, a filter) never lands in the URL.
    allowMethodOverride: true,
    createContext: () => ({ engine }),
  });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if ((req.url ?? '').length > MAX_URL) return json(res, 414, { error: TOO_LONG });
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://placeholder');
    } catch {
      return json(res, 400, { error: 'The request address is not a valid path; open the URL Distillery printed at start-up.' });
    }
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) return json(res, 403, { error: 'This host name is not served here (DNS rebinding protection).' });
    if (!originAllowed(req, hosts)) return json(res, 403, { error: 'Cross-origin requests are refused.' });
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      securityHeaders(res);
      if (!tokenMatches(requestToken(req, url), token)) {
        return json(res, 401, { error: 'A valid token is required: open the URL Distillery printed at start-up.' });
      }
      if (url.pathname === '/api/health') return json(res, 200, { ok: true });
      if (url.pathname.startsWith('/api/trpc/')) {
        // tRPC answers other methods with an internal error (500); they are the client's mistake.
        if (req.method !== 'GET' && req.method !== 'POST') return json(res.setHeader('Allow', 'GET, POST'), 405, { error: 'The API takes GET and POST only.' });
        return trpc(req, res);
      }
      return json(res, 404, { error: `No API at ${url.pathname}.` });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'Method not allowed.' });
    serveStatic(opts.rendererDir, url.pathname, res, (e) => fault(req, res, e));
  };

  // Any web page can make the browser send a request here (an <img> needs no token and no Origin), so no
  // request, however malformed, may end the process and the jobs it runs: every failure is logged and
  // answered, never thrown out of the handler.
  const server = http.createServer((req, res) => {
    req.on('error', (e) => fault(req, res, e));
    res.on('error', (e) => fault(req, res, e));
    handle(req, res).catch((e: unknown) => fault(req, res, e));
  });
  server.on('clientError', answerClientError);

  const port = await listen(server, bind, opts.port ?? 0);
  // After listening, a server error (too many open files on accept…) is logged, not thrown.
  server.on('error', (e) => console.error(`Distillery host: server error: ${describe(e)}`));
  hosts = allowedHosts(bind, port);
  const shown = bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind.includes(':') ? `[${bind}]` : bind;
  return {
    url: `http://${shown}:${port}/?token=${token}`,
    port,
    token,
    engine,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await engine.close();
    },
  };
}

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** A failed request: the full error goes to the log, the client gets one sentence and no stack. */
function fault(req: http.IncomingMessage, res: http.ServerResponse, e: unknown): void {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  // A client that hangs up mid-request is not a fault of the server.
  if (code !== 'ECONNRESET' && code !== 'EPIPE' && code !== 'ERR_STREAM_PREMATURE_CLOSE') {
    console.error(`Distillery host: ${JSON.stringify(req.method)} ${JSON.stringify((req.url ?? '').slice(0, 200))} failed: ${describe(e)}`);
  }
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  try {
    json(res, 500, { error: 'Something went wrong in Distillery while answering this request; it keeps running — see its log.' });
  } catch {
    res.destroy();
  }
}

/** Malformed HTTP never reaches the handler: answer it with a status and a sentence, then close. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? (requestLineTooLong(err) ? 414 : 431) : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify({
    error:
      status === 414 ? TOO_LONG : status === 431 ? 'The request headers are too large.' : status === 408 ? 'The request took too long to arrive.' : 'The request is not valid HTTP.',
  });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Headers overflowed because of the address itself: the request line has not ended within MAX_URL bytes. */
function requestLineTooLong(err: NodeJS.ErrnoException & { rawPacket?: Buffer }): boolean {
  const raw = err.rawPacket;
  if (!raw) return false;
  const end = raw.indexOf('\r\n');
  return end < 0 ? raw.length > MAX_URL : end > MAX_URL;
}

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

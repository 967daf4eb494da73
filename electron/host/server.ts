import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
    createContext: () => ({ engine }),
  });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) return json(res, 403, { error: 'This host name is not served here (DNS rebinding protection).' });
    if (!originAllowed(req, hosts)) return json(res, 403, { error: 'Cross-origin requests are refused.' });
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      securityHeaders(res);
      if (!tokenMatches(requestToken(req, url), token)) {
        return json(res, 401, { error: 'A valid token is required: open the URL Distillery printed at start-up.' });
      }
      if (url.pathname === '/api/health') return json(res, 200, { ok: true });
      if (url.pathname.startsWith('/api/trpc/')) return void trpc(req, res);
      return json(res, 404, { error: `No API at ${url.pathname}.` });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'Method not allowed.' });
    serveStatic(opts.rendererDir, url.pathname, res);
  });

  const port = await listen(server, bind, opts.port ?? 0);
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

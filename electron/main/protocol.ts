import fs from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME, appResponseHeaders, isSpaRoute, resolveAppPath } from './policy';

/**
 * app:// is registered as a standard, secure scheme so that the renderer gets a real origin
 * (app://distillery) instead of file://, which would grant it every file on the disk as "same origin".
 * Must run before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
  ]);
}

const text = (status: number, body: string) =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });

async function readFileOrNull(file: string): Promise<Buffer | null> {
  try {
    const stat = await fs.stat(file);
    return stat.isFile() ? await fs.readFile(file) : null;
  } catch {
    return null;
  }
}

/** Serves files from `rendererDir` only, with the CSP on every response; anything else is refused. */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed.');
    const file = resolveAppPath(rendererDir, request.url);
    if (!file) return text(403, `Refused: ${APP_SCHEME}://${APP_HOST} serves only the bundled interface.`);
    let served = file;
    let body = await readFileOrNull(file);
    if (!body && isSpaRoute(file)) {
      served = resolveAppPath(rendererDir, `${APP_SCHEME}://${APP_HOST}/index.html`) ?? file;
      body = await readFileOrNull(served);
    }
    if (!body) return text(404, 'Not found.');
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: appResponseHeaders(served) });
  });
}

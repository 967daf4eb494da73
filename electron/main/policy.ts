// Pure security policy of the desktop shell. No `electron` import here, so that vitest can test every rule
// without Electron's binary (which cannot be downloaded on every machine).
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../core/util/csp';

export const APP_SCHEME = 'app';
export const APP_HOST = 'distillery';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

// One policy for both hosts: defined in core so browser mode serves exactly the same one.
export { CSP_DIRECTIVES, CONTENT_SECURITY_POLICY } from '../core/util/csp';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a URL of the app's own origin (app://distillery/...), the only origin the window may show. */
export function isAppUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/** will-navigate: only navigation inside the app's own origin is allowed. */
export function navigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/** The URL to hand to the OS browser, or null: only http(s), never file:, javascript:, custom schemes or credentials. */
export function externalUrl(url: string): string | null {
  const u = parse(url);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return null;
  if (u.username !== '' || u.password !== '' || u.hostname === '') return null;
  return u.href;
}

/** Window-open dispositions that come from the user clicking a link (target=_blank, middle/ctrl-click). */
export function isLinkClickDisposition(disposition: string): boolean {
  return disposition === 'foreground-tab' || disposition === 'background-tab';
}

/**
 * The file under `root` that an app:// request names, or null when it must be refused: another scheme or
 * host, a malformed escape, a NUL byte, or a path that leaves `root` (`..`, encoded `%2e%2e`, `%2f`, `%5c`).
 */
export function resolveAppPath(root: string, requestUrl: string): string | null {
  const u = parse(requestUrl);
  if (!u || u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const segments = pathname.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, ...(segments.length ? segments : ['index.html']));
  const rel = path.relative(base, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return file;
}

/** A client-side route (no file extension) that is not a file falls back to index.html. */
export function isSpaRoute(file: string): boolean {
  return path.extname(file) === '';
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers every app:// response carries. */
export function appResponseHeaders(file: string): Record<string, string> {
  return {
    'Content-Type': mimeType(file),
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}

/** Response headers with any CSP from the response replaced by ours (case-insensitively). */
export function withCsp(headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === 'content-security-policy') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}

/** What the IPC check knows about the frame that sent a message. */
export interface SenderInfo {
  /** The sender is the main window's webContents (not another window or a destroyed one). */
  isMainWindow: boolean;
  /** The frame is that window's top frame, not an iframe. */
  isMainFrame: boolean;
  /** The frame's current URL; null when the frame is gone. */
  url: string | null;
}

/** Why an IPC message must be refused, or null when it comes from the app's own top frame. */
export function senderProblem(s: SenderInfo): string | null {
  if (!s.isMainWindow) return 'IPC refused: the message did not come from the Distillery window.';
  if (!s.isMainFrame) return 'IPC refused: the message came from a sub-frame, not the app itself.';
  if (!isAppUrl(s.url)) return `IPC refused: the sending page (${s.url ?? 'gone'}) is not the app's own ${APP_ORIGIN} page.`;
  return null;
}

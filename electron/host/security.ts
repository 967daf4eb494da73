import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import os from 'node:os';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison: hashing first gives equal lengths, so the length leaks nothing either. */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function requestToken(req: IncomingMessage, url: URL): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  return url.searchParams.get('token');
}

/**
 * The Host header values this server answers to. Checking them defeats DNS rebinding: a page on
 * evil.example that rebinds its name to 127.0.0.1 still sends `Host: evil.example`.
 */
export function allowedHosts(bind: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (bind !== '127.0.0.1' && bind !== 'localhost') {
    names.add(bind.includes(':') ? `[${bind}]` : bind);
    names.add(os.hostname());
    for (const addrs of Object.values(os.networkInterfaces())) {
      for (const a of addrs ?? []) names.add(a.family === 'IPv6' ? `[${a.address}]` : a.address);
    }
  }
  const out = new Set<string>();
  for (const n of names) out.add(`${n}:${port}`.toLowerCase());
  return out;
}

/** A request is same-origin when it has no Origin (navigation, curl) or its Origin is this very host. */
export function originAllowed(req: IncomingMessage, hosts: Set<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' && hosts.has(u.host.toLowerCase()) && u.host.toLowerCase() === (req.headers.host ?? '').toLowerCase();
  } catch {
    return false;
  }
}

export { CONTENT_SECURITY_POLICY as CSP } from '../core/util/csp';

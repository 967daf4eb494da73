/**
 * Random raw HTTP requests for the browser-mode fuzz test (fuzz.test.ts). Each case is the exact bytes a
 * client writes to the socket, so that it can be what no well-behaved client sends: malformed percent
 * escapes, NUL bytes, non-UTF-8, huge headers, odd methods, broken chunked bodies, bad tRPC batches.
 * Everything comes from one seeded generator, so a seed reproduces the same sequence of requests.
 */

import { rng } from '../../core/util/rng';

export interface FuzzCase {
  /** One line for the failure report (the seed and this line reproduce it). */
  label: string;
  bytes: Buffer;
}

export interface Target {
  port: number;
  token: string;
}

// Procedures that read, fail on bad input, or subscribe. Nothing that creates folders: the fuzz input
// is random and the child runs as whoever runs the tests.
const PROCEDURES = [
  'health', 'app.info', 'env.nope', 'project.current', 'project.info', 'project.open', 'project.recent',
  'fs.list', 'jobs.list', 'jobs.get', 'jobs.pause', 'jobs.cancel', 'jobs.progress', 'nope', 'project', 'project.',
  '.', '..', 'constructor', '__proto__', 'project.info.x', 'toString',
];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'PROPFIND', 'get', 'FOO', 'G\0T', 'X'.repeat(300), ''];
const NASTY = [
  '%ZZ', '%', '%%', '%2', '%E0%A4%A', '%C0%AF', '%FF%FE', '%00', '%2e%2e%2f', '..%2f', '..%5c', '..', '../..', '%uD800',
  '\0', '\u00e9', '\ud83d\ude00', '\\', '//', '?', '#', ';', '*', '~', ' ', '\t', '\r', '%0d%0aX-Injected: 1', 'index.html',
  'assets', 'favicon.ico', 'etc/passwd', 'api', 'trpc',
];

export function makeCases(seed: number, count: number, target: Target): FuzzCase[] {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const chance = (p: number) => r() < p;

  const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const randomText = (n: number) => Array.from({ length: n }, () => (chance(0.7) ? String.fromCharCode(32 + int(95)) : pick(NASTY))).join('');

  function segment(): string {
    if (chance(0.4)) return pick(NASTY);
    if (chance(0.2)) return `%${int(256).toString(16).padStart(2, '0')}`;
    return randomText(1 + int(8)).replace(/[ \r\n]/g, '');
  }

  function trpcInput(): string {
    return pick([
      '{}', '{"0":{}}', '{"0":{"json":null}}', 'null', '[]', '{"dir":42}', '{"id":-1}', '{"id":"x"}', '{"0":{"id":1}}',
      '{"path":"\\u0000"}', '{"path":"/nonexistent/\\u0000x"}', '{"json":', 'not json', '%ZZ', '{"__proto__":{"x":1}}',
      `{"0":${'['.repeat(2000)}}`, '"' + 'a'.repeat(5000) + '"', '{"0":{"dir":"/"}}', '{"path":"/proc/self/fd/0"}',
    ]);
  }

  function path(): string {
    const kind = int(10);
    if (kind === 0) return '/' + Array.from({ length: 1 + int(4) }, segment).join('/');
    if (kind === 1) return pick(['/%ZZ', '//', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/%ZZ.js', '*', 'http://127.0.0.1/x', '/\0', '']);
    if (kind === 2) return pick(['/', '/index.html', '/api', '/api/', '/api/health', '/api/nope', '/api/%ZZ', '/api//health', '/API/health']);
    const procs = Array.from({ length: chance(0.25) ? 1 + int(4) : 1 }, () => (chance(0.85) ? pick(PROCEDURES) : segment()));
    let p = `/api/trpc/${procs.join(',')}`;
    const q: string[] = [];
    if (chance(0.3)) q.push(`batch=${pick(['1', '0', 'true', '%ZZ', ''])}`);
    if (chance(0.15)) q.push(`token=${chance(0.8) ? target.token : '%ZZ'}`);
    if (chance(0.5)) q.push(`input=${chance(0.5) ? encodeURIComponent(trpcInput()) : trpcInput()}`);
    if (q.length) p += `?${q.join('&')}`;
    return p;
  }

  function headers(): string[] {
    const h: string[] = [];
    const hostOk = `127.0.0.1:${target.port}`;
    if (chance(0.9)) h.push(`Host: ${chance(0.85) ? hostOk : pick([`localhost:${target.port}`, `evil.example:${target.port}`, '', 'a'.repeat(5000), `${hostOk}\0`, '[::1'])}`);
    if (chance(0.05)) h.push(`Host: ${hostOk}`);
    const tok = chance(0.7);
    if (tok && chance(0.6)) h.push(`Authorization: Bearer ${chance(0.9) ? target.token : target.token + 'x'}`);
    else if (tok) h.push(`Authorization: ${pick(['Bearer', 'Bearer ', 'Basic abc', `bearer ${target.token}`, 'Bearer \0'])}`);
    if (chance(0.15)) h.push(`Origin: ${pick([`http://${hostOk}`, 'http://evil.example', 'null', '%ZZ', '::', 'file://', `https://${hostOk}`])}`);
    if (chance(0.5)) h.push(`Content-Type: ${pick(['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream', '', 'application/json; charset=latin1'])}`);
    if (chance(0.05)) h.push(`X-Huge: ${'a'.repeat(pick([9_000, 17_000, 70_000]))}`);
    if (chance(0.05)) h.push(...Array.from({ length: 200 + int(2000) }, (_, i) => `X-Many-${i}: ${i}`));
    if (chance(0.05)) h.push('Bad Header Name: x', 'X-Nul: a\0b', ':colon: x', 'X-Fold: a\r\n folded');
    if (chance(0.1)) h.push(`Accept: ${pick(['text/event-stream', '*/*', 'application/json'])}`);
    if (chance(0.7)) h.push('Connection: close');
    return h;
  }

  function body(): { head: string[]; raw: Buffer } {
    const kind = int(7);
    const text = chance(0.6) ? trpcInput() : randomText(int(200));
    if (kind === 0) return { head: [], raw: Buffer.alloc(0) };
    if (kind === 1) return { head: [`Content-Length: ${Buffer.byteLength(text)}`], raw: Buffer.from(text) };
    if (kind === 2) return { head: [`Content-Length: ${int(3) === 0 ? 'abc' : Buffer.byteLength(text) + int(50) - 25}`], raw: Buffer.from(text) };
    if (kind === 3) {
      const chunks = text.match(/.{1,7}/gs) ?? [];
      return { head: ['Transfer-Encoding: chunked'], raw: Buffer.from(chunks.map((c) => `${Buffer.byteLength(c).toString(16)}\r\n${c}\r\n`).join('') + '0\r\n\r\n') };
    }
    if (kind === 4) return { head: ['Transfer-Encoding: chunked'], raw: Buffer.from(pick(['zz\r\nabc\r\n0\r\n\r\n', '5\r\nab', 'ffffffffffff\r\nx\r\n', '3\r\nabcdef\r\n0\r\n\r\n'])) };
    if (kind === 5) return { head: ['Content-Length: 4', 'Transfer-Encoding: chunked', ...(chance(0.5) ? ['Content-Length: 9'] : [])], raw: Buffer.from('0\r\n\r\nGET / HTTP/1.1\r\n\r\n') };
    const raw = randomBytes(int(300));
    return { head: [`Content-Length: ${raw.length}`], raw };
  }

  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const method = pick(METHODS);
    const p = path();
    const version = chance(0.92) ? 'HTTP/1.1' : pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1 x', '', 'http/1.1']);
    const b = method === 'GET' && chance(0.8) ? { head: [], raw: Buffer.alloc(0) } : body();
    const head = [...headers(), ...b.head];
    let bytes = Buffer.concat([Buffer.from(`${method} ${p} ${version}\r\n${head.join('\r\n')}\r\n\r\n`, 'utf8'), b.raw]);
    if (chance(0.03)) bytes = Buffer.concat([randomBytes(int(200)), bytes]); // non-UTF-8 before the request line
    if (chance(0.03)) bytes = Buffer.from(bytes.toString('latin1').replace(/\u00e9/g, '\xff'), 'latin1'); // bare non-UTF-8 bytes
    if (chance(0.02)) bytes = bytes.subarray(0, int(bytes.length)); // cut short
    cases.push({ label: `#${i} ${method.slice(0, 20)} ${JSON.stringify(p.slice(0, 120))} ${version}`, bytes });
  }
  return cases;
}

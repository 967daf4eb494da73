import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import net from 'node:net';
import { createTRPCClient, httpBatchStreamLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../core/api/router';
import { createSampleProject } from '../core/sample';
import { publicFault } from '../core/api/trpc';
import { startHost, type RunningHost } from './server';

let host: RunningHost;
let tmp: string;

interface Res {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** Raw HTTP, so that Host and Origin headers are exactly what a browser or an attacker would send. */
function request(pathname: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: pathname, method, headers }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}
const auth = () => ({ Authorization: `Bearer ${host.token}` });

/** Bytes no HTTP client library would send, straight onto a socket; resolves with the whole reply. */
function raw(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = net.connect({ host: '127.0.0.1', port: host.port }, () => socket.end(bytes));
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (data += c));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-host-'));
  process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
  const renderer = path.join(tmp, 'renderer');
  fs.mkdirSync(renderer);
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Distillery</title>');
  createSampleProject(path.join(tmp, 'sample')).close();
  host = await startHost({ port: 0, rendererDir: renderer, projectDir: path.join(tmp, 'sample') });
});
afterAll(async () => {
  await host.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('browser-mode host', () => {
  it('prints a loopback URL with the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers /api/health with the token and 401 without it or with a wrong one', async () => {
    expect(await request('/api/health')).toMatchObject({ status: 401 });
    expect(await request('/api/health', { Authorization: 'Bearer wrong' })).toMatchObject({ status: 401 });
    expect(await request(`/api/health?token=${host.token}x`)).toMatchObject({ status: 401 });
    const ok = await request('/api/health', auth());
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ok: true });
    expect((await request(`/api/health?token=${host.token}`)).status).toBe(200);
  });

  it('refuses a foreign Origin with 403, even with the token', async () => {
    const r = await request('/api/health', { ...auth(), Origin: 'http://evil.example' });
    expect(r.status).toBe(403);
    const same = await request('/api/health', { ...auth(), Origin: `http://127.0.0.1:${host.port}` });
    expect(same.status).toBe(200);
  });

  it('refuses a rebound Host name with 403 (DNS rebinding)', async () => {
    expect((await request('/api/health', { ...auth(), Host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await request('/', { Host: `evil.example:${host.port}` })).status).toBe(403);
  });

  it('serves the API over tRPC: the open project and its counts', async () => {
    const r = await request('/api/trpc/project.info', auth());
    expect(r.status).toBe(200);
    const data = JSON.parse(r.body).result.data;
    expect(data.questions).toBe(320);
    expect(Object.keys(data.domains)).toHaveLength(8);
  });

  it('rejects malformed input with a validation error naming the field', async () => {
    const body = JSON.stringify({ dir: 42 });
    const r = await request('/api/trpc/project.open', { ...auth(), 'Content-Type': 'application/json' }, 'POST', body);
    expect(r.status).toBe(400);
    const err = JSON.parse(r.body).error;
    expect(err.message).toMatch(/field "dir"/);
    const r2 = await request('/api/trpc/jobs.pause', { ...auth(), 'Content-Type': 'application/json' }, 'POST', JSON.stringify({ id: 'x' }));
    expect(r2.status).toBe(400);
    expect(JSON.parse(r2.body).error.message).toMatch(/field "id"/);
  });

  it('turns a user error into a sentence, not a crash', async () => {
    const body = JSON.stringify({ dir: path.join(tmp, 'not-there') });
    const r = await request('/api/trpc/project.open', { ...auth(), 'Content-Type': 'application/json' }, 'POST', body);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.message).toMatch(/does not exist/);
  });

  it('serves the renderer with a strict CSP and no token needed for static files', async () => {
    const r = await request('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).not.toContain('unsafe-eval');
    expect((await request('/../../etc/passwd')).body).not.toContain('root:');
  });

  it('answers a malformed percent escape or path with 400 and keeps serving', async () => {
    const bad = await request('/%ZZ');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/malformed percent escape/);
    expect((await request('/assets/%E0%A4%A.js')).status).toBe(400);
    expect((await request('/%00')).status).toBe(400);
    expect((await request('//')).status).toBe(400);
    expect((await request('/api/health', auth())).status).toBe(200);
  });

  it('answers malformed HTTP with a status and a sentence, not a crash', async () => {
    expect(await raw('GET / HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 [^]*not valid HTTP/);
    expect(await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nX-Huge: ${'a'.repeat(20_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431 [^]*too large/);
    expect((await request('/api/health', auth())).status).toBe(200);
  });

  it('answers methods the API does not take with 405, not an internal error', async () => {
    const r = await request('/api/trpc/health', auth(), 'PUT', '{}');
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, POST');
  });

  it('answers an internal error with a sentence and a code: no stack, no source or file path', async () => {
    // A symlink loop makes Node's fs throw ELOOP, which the folder browser does not expect.
    fs.symlinkSync(path.join(tmp, 'loop-b'), path.join(tmp, 'loop-a'));
    fs.symlinkSync(path.join(tmp, 'loop-a'), path.join(tmp, 'loop-b'));
    const input = encodeURIComponent(JSON.stringify({ path: path.join(tmp, 'loop-a') }));
    const r = await request(`/api/trpc/fs.list?input=${input}`, auth());
    expect(r.status).toBe(500);
    const err = JSON.parse(r.body).error;
    expect(err.message).toMatch(/^Something went wrong in the engine: .+ — see the log\.$/);
    expect(err.data).toEqual({ code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, userCode: null, issues: null });
    expect(r.body).not.toMatch(/stack|node_modules|\.ts:\d+/);
    expect(r.body).not.toContain(tmp);
    expect(r.body).not.toContain(path.resolve(import.meta.dirname, '..', '..'));
    // User errors keep their sentence (with the user's own path) and their code for the renderer.
    const user = await request(`/api/trpc/fs.list?input=${encodeURIComponent(JSON.stringify({ path: path.join(tmp, 'gone') }))}`, auth());
    expect(user.status).toBe(400);
    expect(JSON.parse(user.body).error).toMatchObject({ message: expect.stringMatching(/does not exist/), data: { userCode: 'not_found' } });
    expect(user.body).not.toMatch(/stack/);
  });
});

describe('publicFault', () => {
  it('keeps one short line and drops absolute paths of every kind', () => {
    const m = publicFault("ENOENT: no such file or directory, open '/work/main/electron/x.ts'\n    at foo (/work/main/y.ts:1:2)");
    expect(m).toBe("Something went wrong in the engine: ENOENT: no such file or directory, open '…' — see the log.");
    expect(publicFault('failed at C:\\Users\\me\\app\\x.js and file:///opt/app/y.js')).not.toMatch(/Users|opt/);
    expect(publicFault('')).toMatch(/an unexpected error/);
    expect(publicFault('x'.repeat(500)).length).toBeLessThan(240);
    expect(publicFault('a/b ratio is 3')).toContain('a/b ratio');
  });
});

/**
 * A long input (a 20,000-character Playground question) used to travel in a URL and fail with "Unknown
 * error". Queries now go as POST, the Playground question by POST with a short key for its stream, and an
 * over-long address is answered 414 with a sentence.
 */
const LONG = 'q7'.repeat(10_000);

/** A GET that also reads a stream (SSE) up to its first event, then hangs up. */
function getStream(pathname: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: pathname, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
        // A stream (SSE) stays open: its first data line is all this test needs.
        if (res.headers['content-type']?.includes('event-stream') && /\ndata: .*"type"/.test(body)) req.destroy();
      });
      res.on('close', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser mode: long inputs', () => {
  it('answers an address over 8,192 characters with 414 and a sentence', async () => {
    const input = encodeURIComponent(JSON.stringify({ 0: { dir: LONG.slice(0, 9_000) } }));
    const r = await getStream(`/api/trpc/project.forget?batch=1&input=${input}`, auth());
    expect(r.status).toBe(414);
    expect(JSON.parse(r.body).error).toMatch(/request address is too long/);
  });

  it('answers an address too long for the HTTP parser with 414 too, not 431', async () => {
    const reply = await raw(`GET /api/trpc/project.info?input=${LONG} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 414 /);
    expect(reply).toContain('request address is too long');
  });

  it('takes queries as POST, and a 20,000-character Playground question by POST with a key for its stream', async () => {
    const client = createTRPCClient<AppRouter>({
      links: [httpBatchStreamLink({ url: `http://127.0.0.1:${host.port}/api/trpc`, methodOverride: 'POST', headers: auth })],
    });
    const info = await client.project.info.query();
    expect(info.name).toBeTruthy();
    const { key } = await client.evaluate.playground.prepare.mutate({
      model: { label: 'x', kind: 'local', dir: tmp },
      messages: [{ role: 'user', content: LONG }],
      maxThinking: 8,
    });
    expect(key).toMatch(/^[0-9a-f]{24}$/);
    // The stream finds the question by its key: the engine got as far as the model (a folder with no tokenizer).
    const stream = await getStream(`/api/trpc/evaluate.playground.generate?input=${encodeURIComponent(JSON.stringify({ key }))}`, auth());
    expect(stream.status).toBe(200);
    expect(stream.body).toContain('has no tokenizer.json');
    // A key is taken once.
    const again = await getStream(`/api/trpc/evaluate.playground.generate?input=${encodeURIComponent(JSON.stringify({ key }))}`, auth());
    expect(again.body).toContain('no longer waiting');
  });
});

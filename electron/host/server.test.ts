import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleProject } from '../core/sample';
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
});

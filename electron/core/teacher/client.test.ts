import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EgressRefused, setSetting } from '../egress';
import { engineSources } from '../egress/testing';
import { authHeaders, chatOnce } from './client';

let server: http.Server;
let base: string;
const seen: { url: string | undefined; headers: http.IncomingHttpHeaders; body: string }[] = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (b: Buffer) => (body += b.toString('utf8')));
    req.on('end', () => {
      seen.push({ url: req.url, headers: req.headers, body });
      const { model } = JSON.parse(body) as { model: string };
      if (model === 'missing') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":"no such model"}');
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: `hello from ${model}` } }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
  process.env = { ...savedEnv, DISTILLERY_CONFIG_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-client-')) };
  delete process.env.DISTILLERY_OFFLINE;
});

describe('authHeaders', () => {
  it('sends base headers, then the teacher headers, then the key as the one Authorization header', () => {
    expect(authHeaders({ headers: { 'X-Org': 'o' }, apiKey: 'k1' }, { accept: 'text/event-stream' })).toEqual({ accept: 'text/event-stream', 'X-Org': 'o', authorization: 'Bearer k1' });
    expect(authHeaders({ headers: { Authorization: 'Token t' }, apiKey: 'k1' })).toEqual({ authorization: 'Bearer k1' });
    expect(authHeaders({ headers: { Authorization: 'Token t' }, apiKey: undefined })).toEqual({ Authorization: 'Token t' });
  });
});

describe('chatOnce against a real HTTP server', () => {
  it('posts the JSON body with the key, and returns the first choice', async () => {
    const r = await chatOnce(`${base}/v1`, authHeaders({ headers: {}, apiKey: 'sk-test' }), { model: 'm1', messages: [] }, { who: 'test', timeoutMs: 10_000 });
    expect(r).toMatchObject({ ok: true, status: 200, content: 'hello from m1' });
    expect(seen[0]?.url).toBe('/v1/chat/completions');
    expect(seen[0]?.headers.authorization).toBe('Bearer sk-test');
    expect(seen[0]?.headers['content-type']).toBe('application/json');
  });

  it('sends user:password of the URL as Basic authentication, and returns an HTTP error with its body', async () => {
    const url = `${base.replace('http://', 'http://ann:pw@')}/v1`;
    const r = await chatOnce(url, {}, { model: 'missing' }, { who: 'test', timeoutMs: 10_000 });
    expect(r).toMatchObject({ ok: false, status: 404, content: '' });
    expect(r.body).toContain('no such model');
    expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('ann:pw').toString('base64')}`);
  });

  it('asks the egress policy first: offline, a remote URL is refused before any connection', async () => {
    setSetting('offline', true);
    await expect(chatOnce('http://teacher.example.invalid/v1', {}, {}, { who: 'test', timeoutMs: 10_000 })).rejects.toBeInstanceOf(EgressRefused);
    expect(seen).toEqual([]);
  });
});

// The API key header is built in one place (issue 16 §4): client.ts. Comments are skipped; http.ts's Basic
// authentication from a URL's user:password is not an API key header.
const KEY_HEADER = /\bBearer\b|['"`]?\b(x-)?api-key['"`]?\s*:|(^|[\s{,.])['"`]?authorization['"`]?\s*[:=](?!=)/i;

function keyHeaderLines(text: string): string[] {
  return text.split('\n').filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l) && KEY_HEADER.test(l) && !/\bBasic\b/.test(l));
}

describe('the API key header', () => {
  it('the check fires on the header as callers used to build it', () => {
    expect(keyHeaderLines("  if (conn.apiKey) headers.authorization = `Bearer ${conn.apiKey}`;")).toHaveLength(1);
    expect(keyHeaderLines("const headers = { ...conn.headers, ...(conn.apiKey ? { Authorization: 'x' } : {}) };")).toHaveLength(1);
    expect(keyHeaderLines("  headers: { 'x-api-key': key },")).toHaveLength(1);
  });

  it('is built only in teacher/client.ts (the engine and the CLI)', () => {
    const cliDir = path.resolve(import.meta.dirname, '../../cli');
    const cli = (fs.readdirSync(cliDir, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && !/\.test\.ts$|testing/.test(f))
      .map((f) => ({ rel: `cli/${f}`, text: fs.readFileSync(path.join(cliDir, f), 'utf8') }));
    expect(cli.length).toBeGreaterThan(0);
    const offenders = [...engineSources(), ...cli]
      .filter(({ rel }) => rel !== 'teacher/client.ts')
      .flatMap(({ rel, text }) => keyHeaderLines(text).map((l) => `${rel}: ${l.trim()}`));
    expect(offenders).toEqual([]);
  });
});

describe('the chat and completion requests', () => {
  it('go through teacher/client.ts: no other engine file calls streamChat or joins a /completions path itself', () => {
    const offenders = engineSources()
      .filter(({ rel }) => rel !== 'teacher/client.ts' && rel !== 'teacher/http.ts')
      .filter(({ text }) => /\bstreamChat\(|joinUrl\([^)]*completions/.test(text))
      .map(({ rel }) => rel);
    expect(offenders).toEqual([]);
  });
});

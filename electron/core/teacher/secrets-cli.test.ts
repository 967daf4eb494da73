import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleProject } from '../sample';

// Item: keys in headers and URLs. A teacher is added through the real CLI with a key in a header, a password
// in the URL and a key in the query string; a real local server records what it receives. The requests must
// carry all three, and none of them may appear in the project file, an export, a bundle or anything printed.
const root = path.resolve(import.meta.dirname, '../../..');
const HEADER_KEY = 'HDRSECRET-4f1c9a';
const SUB_KEY = 'SUBSECRET-77b2e0';
const PASSWORD = 'PWSECRET-0d93ce';
const QUERY_KEY = 'QSSECRET-a61f27';
const SECRETS = [HEADER_KEY, SUB_KEY, PASSWORD, QUERY_KEY];

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

let dir: string;
let server: http.Server;
let port: number;
const seen: Seen[] = [];
let chats = 0;

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-leak-'));
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      const p = (req.url ?? '').split('?')[0] ?? '';
      if (p.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'm', object: 'model' }] }));
        return;
      }
      chats++;
      if (chats === 2) {
        // Servers like to echo a wrong key back: that text must not reach the project or the terminal.
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `invalid key ${HEADER_KEY} for ${req.url ?? ''}` }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(chunk({ reasoning_content: 'Seven plus five.' }) + chunk({ content: 'The answer is \\boxed{12}.' }, 'stop') + 'data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  createSampleProject(path.join(dir, 'p')).close();
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

const printed: string[] = [];
async function cli(...args: string[]) {
  const r = await execa('node', ['--import', 'tsx', 'electron/cli/index.ts', ...args], { cwd: root, env: { DISTILLERY_CONFIG_DIR: path.join(dir, 'config') }, reject: false });
  printed.push(String(r.stdout), String(r.stderr));
  return r;
}

function filesUnder(d: string): string[] {
  return fs.readdirSync(d, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('secrets in teacher headers and URLs', () => {
  it('reach the server and nothing else: not the project file, exports, bundles or output', async () => {
    const project = path.join(dir, 'p');
    const url = `http://alice:${PASSWORD}@127.0.0.1:${port}/v1?api_key=${QUERY_KEY}`;
    const add = await cli('teacher', 'add', project, '--name', 'g', '--model', 'm', '--url', url, '--header', `X-Goog-Api-Key=${HEADER_KEY}`, '--header', `Ocp-Apim-Subscription-Key: ${SUB_KEY}`, '--json');
    expect(add.exitCode, String(add.stderr)).toBe(0);
    expect(JSON.parse(String(add.stdout))).toMatchObject({ baseUrls: [`http://***:***@127.0.0.1:${port}/v1?api_key=***`], headers: { 'X-Goog-Api-Key': '***', 'Ocp-Apim-Subscription-Key': '***' } });

    const test = await cli('teacher', 'test', project, '--name', 'g', '--json');
    expect(test.exitCode, String(test.stdout) + String(test.stderr)).toBe(0);
    const gen = await cli('generate', project, '--teacher', 'g', '--limit', '3', '--concurrency', '1', '--json');
    expect(JSON.parse(String(gen.stdout).trim().split('\n').at(-1) ?? '')).toMatchObject({ done: 2, failed: 1, remaining: 0 });
    expect((await cli('teacher', 'list', project, '--json')).exitCode).toBe(0);
    expect((await cli('traces', project, '--json')).exitCode).toBe(0);
    const out = path.join(dir, 'export');
    const exp = await cli('export', project, '--format', 'trl', '--out', out, '--include', 'all', '--scope', 'pool', '--json');
    expect(exp.exitCode, String(exp.stderr)).toBe(0);
    const bundle = path.join(dir, 'review.bundle.jsonl');
    const bun = await cli('bundle', 'export', project, '--out', bundle, '--scope', 'pool', '--json');
    expect(bun.exitCode, String(bun.stderr)).toBe(0);

    // The server got every credential: header values, Basic auth from the URL, and the query at the end of the path.
    const chat = seen.filter((s) => s.method === 'POST');
    expect(chat.length).toBeGreaterThanOrEqual(4);
    for (const s of chat) {
      expect(s.url).toBe(`/v1/chat/completions?api_key=${QUERY_KEY}`);
      expect(s.headers['x-goog-api-key']).toBe(HEADER_KEY);
      expect(s.headers['ocp-apim-subscription-key']).toBe(SUB_KEY);
      expect(s.headers.authorization).toBe(`Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`);
    }
    expect(seen.some((s) => s.method === 'GET' && s.url === `/v1/models?api_key=${QUERY_KEY}`)).toBe(true);

    // ... and nobody else did.
    const places: [string, string][] = [['printed output', printed.join('\n')]];
    for (const f of ['project.sqlite', 'project.sqlite-wal']) {
      const file = path.join(project, f);
      if (fs.existsSync(file)) places.push([f, fs.readFileSync(file).toString('latin1')]);
    }
    for (const f of [...filesUnder(out), bundle, ...filesUnder(path.join(project, 'artifacts'))]) places.push([f, fs.readFileSync(f).toString('latin1')]);
    expect(places.length).toBeGreaterThan(3);
    for (const [where, bytes] of places) for (const s of SECRETS) expect(bytes.includes(s), `${s} found in ${where}`).toBe(false);
    // The failed question's error names the redacted URL and the server's message with the key scrubbed.
    expect(printed.join('\n') + fs.readFileSync(path.join(project, 'project.sqlite')).toString('latin1')).toContain('invalid key ***');

    // They are in the key store, readable only by the user.
    const secretsFile = path.join(dir, 'config', 'secrets.json');
    const kept = fs.readFileSync(secretsFile, 'utf8');
    for (const s of SECRETS) expect(kept).toContain(s);
    expect(fs.statSync(secretsFile).mode & 0o777).toBe(0o600);
  }, 240_000);
});

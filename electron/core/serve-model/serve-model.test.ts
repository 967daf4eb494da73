import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonExecutable } from '../env/python';
import { onnxModel } from '../infer/testing';

const root = path.resolve(import.meta.dirname, '../../..');
const hasPython = fs.existsSync(pythonExecutable());
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-serve-model-'));
const env = { DISTILLERY_CONFIG_DIR: path.join(tmp, 'config'), HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' };
const bin = path.join(root, 'bin', 'distillery.mjs');
const cli = (...args: string[]) => execa(process.execPath, [bin, ...args], { reject: false, env, cwd: tmp });

/** Starts `distillery serve-model` as a real child process; resolves once it printed its URL. */
async function serve(dir: string): Promise<{ proc: ResultPromise; url: string; model: string }> {
  const proc = execa(process.execPath, [bin, 'serve-model', dir, '--port', '0', '--json'], { reject: false, env, cwd: tmp, buffer: false, forceKillAfterDelay: false });
  const first = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0] as string);
    });
    void proc.then((r) => reject(new Error(`serve-model exited (${r.exitCode}) before printing its URL`)));
  });
  const j = JSON.parse(first) as { url: string; model: string };
  return { proc, ...j };
}

async function chat(url: string, model: string, stream: boolean) {
  return fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'What is 7 * 6?' }], max_tokens: 6, temperature: 0, stream, stream_options: { include_usage: true } }),
  });
}

/** The answer of a chat completion, plain or streamed (server-sent events), with its usage. */
async function answerOf(r: Response, stream: boolean): Promise<{ text: string; usage: { completion_tokens: number; prompt_tokens: number } | undefined; events: number; done: boolean }> {
  if (!stream) {
    const j = (await r.json()) as { choices: { message: { content: string } }[]; usage: { completion_tokens: number; prompt_tokens: number } };
    return { text: j.choices[0]?.message.content ?? '', usage: j.usage, events: 0, done: true };
  }
  expect(r.headers.get('content-type')).toContain('text/event-stream');
  const body = await r.text();
  const data = body.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
  // The in-app server ends with [DONE] as OpenAI does; transformers serve ends with the usage chunk.
  const chunks = data.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d) as { choices: { delta: { content?: string } }[]; usage?: { completion_tokens: number; prompt_tokens: number } });
  return { text: chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), usage: chunks.find((c) => c.usage)?.usage, events: chunks.length, done: data.at(-1) === '[DONE]' };
}

async function leftover(dir: string): Promise<string[]> {
  const r = await execa('ps', ['-eo', 'pid,args'], { reject: false });
  return r.stdout.split('\n').filter((l) => l.includes(dir) && /serve/.test(l));
}

async function exercise(dir: string, inApp: boolean) {
  const s = await serve(dir);
  try {
    const models = (await (await fetch(`${s.url}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toContain(s.model);
    const plain = await answerOf(await chat(s.url, s.model, false), false);
    expect(plain.usage?.completion_tokens).toBeGreaterThan(0);
    expect(plain.usage?.prompt_tokens).toBeGreaterThan(0);
    const streamed = await answerOf(await chat(s.url, s.model, true), true);
    expect(streamed.events).toBeGreaterThan(1);
    if (inApp) expect(streamed.done).toBe(true);
    expect(streamed.usage?.completion_tokens).toBeGreaterThan(0);
    // Greedy decoding: the streamed answer is the plain one, piece by piece (transformers serve drops
    // whitespace-only deltas, which is all the random tiny model writes, so this holds for the in-app server).
    if (inApp) expect(streamed.text).toBe(plain.text);
  } finally {
    s.proc.kill('SIGTERM');
    const r = await s.proc;
    expect(r.exitCode, `${r.signal ?? ""} ${String(r.stderr ?? "")}`).toBe(0);
  }
  expect(await leftover(dir)).toEqual([]);
}

describe.skipIf(!hasPython)('distillery serve-model: an OpenAI-compatible endpoint for the student (issue 17 item 9)', { timeout: 900_000 }, () => {
  let hfDir: string;
  beforeAll(async () => {
    hfDir = path.join(tmp, 'hf');
    await execa(pythonExecutable(), ['-m', 'distillery_worker', 'tiny-model', '--out', hfDir], { env, cwd: root });
  }, 600_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('serves an ONNX folder from the in-app engine, streamed and not, and stops on SIGTERM', async () => {
    await exercise(onnxModel('tiny'), true);
  });

  it('serves a model folder through transformers serve and stops its process group on SIGTERM', async () => {
    await exercise(hfDir, false);
  });

  it('a busy port is one line and exit 2; a non-loopback host is refused with the reason', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as net.AddressInfo).port;
    try {
      const r = await cli('serve-model', hfDir, '--port', String(port));
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      s.close();
    }
    const h = await cli('serve-model', hfDir, '--host', '0.0.0.0');
    expect(h.exitCode).toBe(2);
    expect(h.stderr).toMatch(/loopback only .* no authentication/);
  });
});

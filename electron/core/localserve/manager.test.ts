import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { pythonExecutable } from '../env/python';
import { judgeWithServer } from '../verify';
import { checkModelFolder, LocalServers } from './manager';

const hasPython = fs.existsSync(pythonExecutable());
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-localserve-'));
const model = path.join(tmp, 'tiny');
const servers = new LocalServers();

beforeAll(async () => {
  if (hasPython) await execa(pythonExecutable(), ['-m', 'distillery_worker', 'tiny-model', '--out', model], { env: { HF_HUB_OFFLINE: '1' } });
}, 600_000);
afterAll(async () => {
  await servers.stopAll();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('model folder checks', () => {
  it('names what is missing', () => {
    expect(() => checkModelFolder(path.join(tmp, 'nope'))).toThrow(/does not exist/);
    fs.mkdirSync(path.join(tmp, 'empty'));
    expect(() => checkModelFolder(path.join(tmp, 'empty'))).toThrow(/no config\.json/);
    fs.writeFileSync(path.join(tmp, 'empty', 'config.json'), '{}');
    expect(() => checkModelFolder(path.join(tmp, 'empty'))).toThrow(/no weights/);
  });
});

describe.skipIf(!hasPython)('local teacher from a model folder (real transformers serve)', () => {
  it('starts on a free loopback port, answers a chat request, and stops leaving no process', async () => {
    const info = await servers.start(model, { device: 'cpu', readyTimeoutMs: 600_000 });
    expect(info).toMatchObject({ kind: 'transformers', status: 'ready', model });
    expect(info.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const r = await fetch(`${info.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: info.model, messages: [{ role: 'user', content: 'What is 2+2?' }], max_tokens: 8 }),
    });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { choices: { message: { content: string } }[] };
    expect(typeof body.choices[0]?.message.content).toBe('string');
    expect(servers.log(info.id).length).toBeGreaterThan(0);
    // The LLM judge's request and reply format against the same real server (a tiny model's Yes/No means nothing).
    const j = await judgeWithServer(info.baseUrl, info.model);
    expect(j.verdict.method).toBe('judge');
    expect(j.verdict.reason).not.toMatch(/HTTP \d{3}/);
    await servers.stop(info.id);
    expect(servers.info(info.id).status).toBe('stopped');
    expect(() => process.kill(info.pid as number, 0)).toThrow();
    await expect(fetch(`${info.baseUrl}/models`)).rejects.toThrow();
  }, 900_000);
});

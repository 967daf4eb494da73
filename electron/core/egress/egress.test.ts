import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requestJson, streamChat } from '../teacher/http';
import { judge } from '../verify/judge';
import { childEnv, egressLogFile, egressSummary, isLoopbackHost, offlineState, readEgressLog, setSetting } from '.';
import { engineSources, modelsServer, ownAddress } from './testing';

let dir: string;
let server: http.Server;
let port: number;
const savedEnv = { ...process.env };

beforeAll(async () => {
  ({ server, port } = await modelsServer());
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-egress-'));
  process.env.DISTILLERY_CONFIG_DIR = dir;
  delete process.env.DISTILLERY_OFFLINE;
});
afterEach(() => {
  process.env = { ...savedEnv };
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('loopback', () => {
  it('knows the names and addresses that stay on this machine', () => {
    for (const h of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.8.9.10', '::1', '[::1]', '::ffff:127.0.0.1', '0.0.0.0']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['10.0.0.1', '192.0.2.2', 'api.deepseek.com', 'localhost.example.com', '128.0.0.1', '::2', 'fd00::2']) expect(isLoopbackHost(h), h).toBe(false);
  });
});

describe('the offline setting', () => {
  it('is read from settings.json in the config folder, and DISTILLERY_OFFLINE wins over it', () => {
    expect(offlineState()).toMatchObject({ offline: false, source: 'default' });
    setSetting('offline', 'true');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'))).toEqual({ offline: true, allowRemoteTeachers: true });
    expect((fs.statSync(path.join(dir, 'settings.json')).mode & 0o777).toString(8)).toBe('600');
    expect(offlineState()).toMatchObject({ offline: true, source: 'settings' });
    process.env.DISTILLERY_OFFLINE = '0';
    expect(offlineState()).toMatchObject({ offline: false, source: 'env' });
    process.env.DISTILLERY_OFFLINE = '1';
    setSetting('offline', false);
    expect(offlineState()).toMatchObject({ offline: true, source: 'env' });
  });

  it('refuses unknown keys and values with a sentence', () => {
    expect(() => setSetting('proxy', 'x')).toThrow(/Unknown setting "proxy": the settings are offline and allowRemoteTeachers/);
    expect(() => setSetting('offline', 'maybe')).toThrow(/takes true or false, not "maybe"/);
  });
});

describe('the teacher HTTP client under the policy', () => {
  it('reaches loopback while offline and logs nothing (loopback is not egress)', async () => {
    setSetting('offline', true);
    const a = (await requestJson({ url: `http://127.0.0.1:${port}/v1/models`, method: 'GET', headers: {}, timeoutMs: 5_000 })) as { data: unknown[] };
    expect(a.data).toHaveLength(1);
    expect(fs.existsSync(egressLogFile())).toBe(false);
  });

  it('refuses a non-loopback host while offline, before any socket, with one sentence naming the host and the setting; the log records it', async () => {
    setSetting('offline', true);
    let hits = 0;
    server.once('request', () => hits++);
    const target = ownAddress ?? '10.255.255.1';
    const err = await requestJson({ url: `http://${target}:${port}/v1/models`, method: 'GET', headers: {}, timeoutMs: 5_000 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      `Refused the teacher connection to ${target}:${port} because Distillery is offline and only this machine (loopback) may be reached; the offline setting is on (${path.join(dir, 'settings.json')}): turn it off with "distillery config set offline false" or on the Project step, or use a server on 127.0.0.1.`,
    );
    const s = await streamChat({ url: `http://${target}:${port}/v1/chat/completions`, method: 'POST', headers: {}, body: '{}', timeoutMs: 5_000, who: 'chat' }).catch((e: Error) => e);
    expect((s as Error).message).toMatch(/^Refused the chat connection to /);
    expect(hits).toBe(0);
    const log = readEgressLog();
    expect(log.map((e) => [e.host, e.port, e.who, e.allowed])).toEqual([
      [target, port, 'teacher', false],
      [target, port, 'chat', false],
    ]);
    expect(egressSummary().session.refused).toBeGreaterThanOrEqual(2);
    expect((fs.statSync(egressLogFile()).mode & 0o777).toString(8)).toBe('600');
  });

  it('refuses the judge (fetch) the same way, as its verdict reason', async () => {
    process.env.DISTILLERY_OFFLINE = '1';
    const v = await judge({ baseUrl: 'https://judge.example.com/v1', model: 'j', question: 'q', reference: '1', answer: '1' });
    expect(v.equivalent).toBeNull();
    expect(v.reason).toContain('Refused the judge connection to judge.example.com:443 because Distillery is offline');
    expect(v.reason).toContain('DISTILLERY_OFFLINE is set in the environment: unset it');
  });
});

describe('the egress log', () => {
  it('rotates at 1 MiB and keeps reading the rotated files', async () => {
    process.env.DISTILLERY_OFFLINE = '1';
    const line = JSON.stringify({ t: 'x', host: 'old.example', port: 1, who: 'teacher', allowed: true, session: 's', pid: 1 });
    fs.writeFileSync(egressLogFile(), `${line}\n`.repeat(Math.ceil((1024 * 1024) / line.length)));
    await requestJson({ url: 'http://203.0.113.9:8000/v1/models', method: 'GET', headers: {}, timeoutMs: 1_000 }).catch(() => undefined);
    expect(fs.existsSync(path.join(dir, 'egress.1.jsonl'))).toBe(true);
    expect(fs.readFileSync(egressLogFile(), 'utf8').trim().split('\n')).toHaveLength(1);
    const all = readEgressLog();
    expect(all.at(-1)).toMatchObject({ host: '203.0.113.9', allowed: false });
    expect(all[0]?.host).toBe('old.example');
  });
});

describe('child processes', () => {
  it('get the Hub-offline variables always, and no proxy variables while offline (a real child)', async () => {
    process.env.HTTPS_PROXY = 'http://proxy.example:3128';
    process.env.http_proxy = 'http://proxy.example:3128';
    const dump = ['-e', 'process.stdout.write(JSON.stringify(process.env))'];
    const online = JSON.parse((await execa(process.execPath, dump, { env: childEnv() })).stdout) as Record<string, string>;
    expect(online).toMatchObject({ HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', HF_DATASETS_OFFLINE: '1', HTTPS_PROXY: 'http://proxy.example:3128' });
    expect(online.NO_PROXY?.split(',')).toEqual(expect.arrayContaining(['127.0.0.1', 'localhost', '::1']));
    setSetting('offline', true);
    const off = JSON.parse((await execa(process.execPath, dump, { env: childEnv({ EXTRA: 'x' }) })).stdout) as Record<string, string>;
    expect(off).toMatchObject({ HF_HUB_OFFLINE: '1', DISTILLERY_OFFLINE: '1', EXTRA: 'x' });
    expect(Object.keys(off).filter((k) => /proxy$/i.test(k) && !/no_?proxy$/i.test(k))).toEqual([]);
  });

  it('every place in the engine that starts a child process passes childEnv (so none escapes the policy)', () => {
    // Slurm's sbatch/squeue/sacct submit and query a job, nvidia-smi and tesseract read local state: none is a
    // Python or model server that could reach the Hub.
    const exempt = new Set(['train/multinode.ts']);
    const offenders: string[] = [];
    for (const { rel, text } of engineSources()) {
      if (!/\bexeca\(/.test(text) || exempt.has(rel)) continue;
      const calls = text.split(/\bexeca\(/).slice(1);
      for (const c of calls) if (!/^[^;]*?env: childEnv\(/s.test(c.slice(0, 1500)) && !/^'(nvidia-smi|tesseract)'/.test(c)) offenders.push(rel);
    }
    expect(offenders).toEqual([]);
  });
});

describe('outbound calls in the engine', () => {
  it('every file that opens a connection (fetch, http(s).request) asks the policy, unless its only target is loopback', () => {
    const offenders: string[] = [];
    for (const { rel, text } of engineSources()) {
      const code = text
        .split('\n')
        .filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l))
        .join('\n');
      const calls = [...code.matchAll(/(?:\bfetch|\bfetchImpl|\bmod\.request|\bhttps?\.request|\bhttps?\.get)\(([^,)]*)/g)].map((m) => m[1] ?? '');
      if (!calls.length) continue;
      const loopbackOnly = calls.every((a) => /^`http:\/\/127\.0\.0\.1[:/]/.test(a.trim()));
      if (!loopbackOnly && !/\b(assertEgress|egressRefusal)\(/.test(code)) offenders.push(rel);
    }
    expect(offenders).toEqual([]);
  });
});

import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judge, judgeCacheKey, MemoryJudgeCache, parseYesNo, renderJudgePrompt, DEFAULT_JUDGE_PROMPT } from './judge';
import { verify } from './verify';

/** A scripted OpenAI-compatible server: the reference answer picks the reply. */
let server: Server;
let baseUrl = '';
let hits = 0;
let lastBody: { model?: string; messages?: { content: string }[]; stream?: boolean } = {};
let lastAuth: string | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      hits++;
      lastAuth = req.headers.authorization;
      if (req.url !== '/v1/chat/completions' || req.method !== 'POST') {
        res.writeHead(404).end('not found');
        return;
      }
      lastBody = JSON.parse(data) as typeof lastBody;
      const prompt = lastBody.messages?.[0]?.content ?? '';
      const reply = (content: string | null): void => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
      };
      if (prompt.includes('REF-YES')) reply('The two are the same value.\n\n**Yes**');
      else if (prompt.includes('REF-NO')) reply('Yes, they look alike, but no.\nNo.');
      else if (prompt.includes('REF-CN')) reply('两者相等。\n是');
      else if (prompt.includes('REF-MALFORMED')) reply('I cannot tell.');
      else if (prompt.includes('REF-EMPTY')) reply(null);
      else if (prompt.includes('REF-GARBAGE')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{not json');
      } else {
        res.writeHead(500).end('boom');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const base = { model: 'judge-model', question: 'What is 2+2?', answer: 'four' };

describe('judge against a scripted server', () => {
  it('parses Yes and sends a non-streaming chat request', async () => {
    const v = await judge({ ...base, baseUrl, reference: 'REF-YES', apiKey: 'k1' });
    expect(v).toMatchObject({ equivalent: true, method: 'judge' });
    expect(lastBody.stream).toBe(false);
    expect(lastBody.model).toBe('judge-model');
    expect(lastBody.messages?.[0]?.content).toContain('four');
    expect(lastAuth).toBe('Bearer k1');
  });
  it('parses No from the last line, not the first yes', async () => {
    expect((await judge({ ...base, baseUrl: baseUrl + '/v1/', reference: 'REF-NO' })).equivalent).toBe(false);
  });
  it('parses Chinese 是', async () => {
    expect((await judge({ ...base, baseUrl, reference: 'REF-CN' })).equivalent).toBe(true);
  });
  it('returns null on malformed, empty, non-JSON and 500 replies', async () => {
    for (const reference of ['REF-MALFORMED', 'REF-EMPTY', 'REF-GARBAGE', 'REF-500']) {
      const v = await judge({ ...base, baseUrl, reference });
      expect(v.equivalent, reference).toBeNull();
      expect(v.method).toBe('judge');
    }
    const v = await judge({ ...base, baseUrl, reference: 'REF-500' });
    expect(v.reason).toMatch(/HTTP 500/);
  });
  it('returns null when the server is unreachable', async () => {
    const v = await judge({ ...base, baseUrl: 'http://127.0.0.1:1', reference: 'REF-YES', timeoutMs: 2000 });
    expect(v.equivalent).toBeNull();
    expect(v.reason).toMatch(/failed/);
  });
  it('caches decided verdicts: the second call does not hit the server', async () => {
    const cache = new MemoryJudgeCache();
    const before = hits;
    const a = await judge({ ...base, baseUrl, reference: 'REF-YES', cache });
    const b = await judge({ ...base, baseUrl, reference: 'REF-YES', cache });
    expect(hits - before).toBe(1);
    expect(b).toEqual(a);
    expect(cache.size).toBe(1);
  });
  it('does not cache failures', async () => {
    const cache = new MemoryJudgeCache();
    const before = hits;
    await judge({ ...base, baseUrl, reference: 'REF-500', cache });
    await judge({ ...base, baseUrl, reference: 'REF-500', cache });
    expect(hits - before).toBe(2);
    expect(cache.size).toBe(0);
  });
  it('uses an injected fetch', async () => {
    const fetchImpl = (async () => new Response(JSON.stringify({ choices: [{ message: { content: 'yes.' } }] }), { status: 200 })) as typeof fetch;
    expect((await judge({ ...base, baseUrl: 'http://127.0.0.1:9', reference: 'x', fetchImpl })).equivalent).toBe(true);
  });
});

describe('verify combines rules and judge', () => {
  const judgeConfig = { baseUrl, model: 'judge-model', question: 'q' };
  it('uses rules only when they decide (fallback)', async () => {
    const before = hits;
    const v = await verify('\\boxed{4}', '4', { judgeConfig: { ...judgeConfig, baseUrl } });
    expect(v.equivalent).toBe(true);
    expect(v.method).not.toBe('judge');
    expect(hits).toBe(before);
  });
  it('asks the judge when rules return null', async () => {
    const v = await verify('x \\le 3', 'REF-YES', { judgeConfig: { ...judgeConfig, baseUrl } });
    expect(v.method).toBe('judge');
  });
  it('always / never modes', async () => {
    const always = await verify('5', 'REF-NO', { judge: 'always', judgeConfig: { ...judgeConfig, baseUrl } });
    expect(always).toMatchObject({ equivalent: false, method: 'judge' });
    const never = await verify('x \\le 3', 'x < 3', { judge: 'never', judgeConfig: { ...judgeConfig, baseUrl } });
    expect(never.equivalent).toBeNull();
  });
});

describe('parseYesNo and keys', () => {
  it.each([
    ['Yes', true], ['yes.', true], ['**Yes**', true], ['No', false], ['**No.**', false], ['Final answer: Yes', true],
    ['否', false], ['是', true], ['答案：否', false], ['They match, so yes', true], ['I think not... no', false],
    ['Hmm', null], ['', null], ['<think>yes</think>\nNo', false],
  ] as const)('%j → %s', (text, expected) => {
    expect(parseYesNo(text)).toBe(expected);
  });
  it('cache key depends on every field', () => {
    const k = { question: 'q', reference: 'r', answer: 'a', model: 'm', prompt: 'p' };
    const base = judgeCacheKey(k);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    for (const f of Object.keys(k) as (keyof typeof k)[]) expect(judgeCacheKey({ ...k, [f]: 'z' })).not.toBe(base);
    expect(judgeCacheKey({ ...k, question: 'qr', reference: '' })).not.toBe(judgeCacheKey({ ...k, question: 'q', reference: 'r' }));
  });
  it('renders the editable template', () => {
    expect(renderJudgePrompt('{{question}}|{{ reference }}|{{answer}}', { question: 'Q', reference: 'R', answer: 'A' })).toBe('Q|R|A');
    expect(DEFAULT_JUDGE_PROMPT).toMatch(/Yes.*No/s);
  });
});

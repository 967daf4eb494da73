import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject } from '../store/project';
import { AimdController, backoffMs, EndpointPool } from './control';
import { parseRetryAfter } from './http';
import { FileSecretStore } from './secrets';
import { publicTeacher, saveTeacher } from './store';
import { ChatStream, splitReasoning } from './stream';

describe('secrets', () => {
  it('keeps an API key in a 0600 file in the config folder, never in the project', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-secrets-'));
    try {
      const store = new FileSecretStore(path.join(dir, 'config', 'secrets.json'));
      const p = createProject(path.join(dir, 'p'));
      const key = 'sk-test-0123456789abcdef-SECRET';
      const t = saveTeacher(p.db, { name: 'deepseek', baseUrls: ['https://api.deepseek.com/v1'], model: 'deepseek-reasoner', apiKey: key }, store);
      expect(t.keyRef).toMatch(/^store:/);
      expect(JSON.stringify(publicTeacher(t))).not.toContain(key);
      expect(fs.statSync(store.file).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(store.file, 'utf8')).toContain(key);
      p.db.pragma('wal_checkpoint(TRUNCATE)');
      p.close();
      for (const f of fs.readdirSync(path.join(dir, 'p'))) {
        const file = path.join(dir, 'p', f);
        if (fs.statSync(file).isFile()) expect(fs.readFileSync(file).includes(key)).toBe(false);
      }
      expect(fs.readdirSync(path.dirname(store.file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stores only the variable name for --key-env and refuses secret headers', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-secrets-'));
    try {
      const store = new FileSecretStore(path.join(dir, 'secrets.json'));
      const p = createProject(path.join(dir, 'p'));
      const t = saveTeacher(p.db, { name: 'x', baseUrls: ['http://127.0.0.1:8000/v1/'], model: 'm', keyEnv: 'MY_KEY' }, store);
      expect(t.keyRef).toBe('env:MY_KEY');
      expect(t.baseUrls).toEqual(['http://127.0.0.1:8000/v1']);
      expect(fs.existsSync(store.file)).toBe(false);
      expect(() => saveTeacher(p.db, { name: 'y', baseUrls: ['http://h/v1'], model: 'm', headers: { Authorization: 'Bearer k' } }, store)).toThrow(/carries a secret/);
      p.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('stream parsing', () => {
  it('parses events split anywhere, including inside a UTF-8 character', () => {
    const text =
      'data: {"choices":[{"delta":{"reasoning_content":"思考"}}]}\r\n\r\n: ping\n\ndata: {"choices":[{"delta":{"content":"答 42"}}]}\n\n' +
      'data: {"choices":[{"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2}}\n\ndata: [DONE]\n\n';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const s = new ChatStream();
      s.push(bytes.subarray(0, cut));
      s.push(bytes.subarray(cut));
      s.end();
      expect(s.reasoning.join('')).toBe('思考');
      expect(s.content.join('')).toBe('答 42');
      expect(s.finishReason).toBe('stop');
      expect(s.sawDone).toBe(true);
      expect(s.usage?.completion_tokens).toBe(2);
    }
  });

  it('rejects an invalid chunk', () => {
    expect(() => new ChatStream().push('data: {nope\n\n')).toThrow(/invalid stream chunk/);
  });

  it('splits inline thinking without guessing', () => {
    expect(splitReasoning('', null, '<think>a</think>b')).toMatchObject({ thinking: 'a', answer: 'b', reasoningSource: 'think_tag' });
    expect(splitReasoning('', null, 'a</think>b')).toMatchObject({ thinking: 'a', answer: 'b' });
    expect(splitReasoning('', null, '<think>a b')).toMatchObject({ thinking: null, answer: null, flags: ['unterminated_thinking'] });
    expect(splitReasoning('', null, 'just b')).toMatchObject({ thinking: null, answer: 'just b', flags: ['no_thinking'] });
    expect(splitReasoning('r', 'reasoning', 'c')).toMatchObject({ thinking: 'r', answer: 'c', reasoningSource: 'reasoning' });
  });
});

describe('fault control', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffMs(1, 100, 1000, () => 0.999)).toBe(99);
    expect(backoffMs(3, 100, 1000, () => 0.999)).toBe(399);
    expect(backoffMs(10, 100, 1000, () => 0.999)).toBe(999);
    expect(backoffMs(10, 100, 1000, () => 0)).toBe(0);
  });

  it('picks the endpoint with the fewest outstanding and sets a dead one aside for a cool-down', () => {
    let t = 0;
    const pool = new EndpointPool(['a', 'b'], { cooldownMs: 1000, now: () => t });
    expect(pool.acquire()).toBe('a');
    expect(pool.acquire()).toBe('b');
    expect(pool.acquire()).toBe('a');
    pool.release('b', 'down');
    expect(pool.acquire()).toBe('a');
    t = 1500;
    expect(pool.acquire()).toBe('b');
  });

  it('grows concurrency while throughput grows and halves on overload', () => {
    let t = 0;
    const c = new AimdController({ initial: 8, windowMs: 1000, now: () => t });
    t = 1000;
    c.onTokens(1000, 8);
    expect(c.limit).toBe(10);
    t = 2000;
    c.onTokens(1000, 10);
    expect(c.limit).toBe(10);
    c.onOverload();
    expect(c.limit).toBe(5);
  });
});

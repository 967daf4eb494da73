import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject } from '../store/project';
import { AimdController, backoffMs, concurrencyCap, EndpointPool } from './control';
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

  it('stores only the variable name for --key-env, and header values only in the key store', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-secrets-'));
    try {
      const store = new FileSecretStore(path.join(dir, 'secrets.json'));
      const p = createProject(path.join(dir, 'p'));
      const t = saveTeacher(p.db, { name: 'x', baseUrls: ['http://127.0.0.1:8000/v1/'], model: 'm', keyEnv: 'MY_KEY' }, store);
      expect(t.keyRef).toBe('env:MY_KEY');
      expect(t.baseUrls).toEqual(['http://127.0.0.1:8000/v1']);
      expect(fs.existsSync(store.file)).toBe(false);
      // Every header value is a secret: it goes to the key store, the project keeps the name (credentials.test.ts).
      const y = saveTeacher(p.db, { name: 'y', baseUrls: ['http://h/v1'], model: 'm', headers: { Authorization: 'Bearer k-123' } }, store);
      expect(y.headers).toEqual({ Authorization: '***' });
      expect(fs.readFileSync(store.file, 'utf8')).toContain('Bearer k-123');
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
    const window = (tokens: number, inFlight: number) => {
      t += 1000;
      c.onTokens(tokens, inFlight);
    };
    window(800, 8); // settling window after the start: ignored
    window(800, 8);
    expect(c.limit).toBe(10);
    expect(c.reason.code).toBe('grew');
    window(1000, 10); // settling
    window(1000, 10); // +25%: keep growing
    expect(c.limit).toBe(13);
    c.onOverload();
    expect(c.limit).toBe(6);
    expect(c.reason).toEqual({ code: 'overloaded', from: 13, to: 6 });
  });

  it('goes back down when a step up brings no throughput, and holds there', () => {
    let t = 0;
    const c = new AimdController({ initial: 8, windowMs: 1000, holdWindows: 3, now: () => t });
    const window = (tokens: number, inFlight: number) => {
      t += 1000;
      c.onTokens(tokens, inFlight);
    };
    window(800, 8);
    window(800, 8);
    expect(c.limit).toBe(10);
    window(820, 10);
    window(820, 10); // +2.5%: noise, not a gain
    expect(c.limit).toBe(8);
    expect(c.reason.code).toBe('no_gain');
    window(800, 8); // settling
    window(800, 8);
    expect(c.limit).toBe(8); // held
    window(800, 8); // the hold is over: probe again
    expect(c.limit).toBe(10);
  });

  it('backs off when throughput falls at a higher limit (a local server past its capacity slows everyone)', () => {
    let t = 0;
    const c = new AimdController({ initial: 4, windowMs: 1000, now: () => t });
    const window = (tokens: number, inFlight: number) => {
      t += 1000;
      c.onTokens(tokens, inFlight);
    };
    window(100, 4);
    window(100, 4); // 100 tok/s at 4
    window(200, 5);
    window(200, 5); // 200 at 5: grow to 7
    expect(c.limit).toBe(7);
    window(300, 7);
    window(300, 7); // grow to 9
    expect(c.limit).toBe(9);
    window(60, 9);
    window(60, 9); // the server thrashes: far below the best at a lower limit
    expect(c.reason.code).toBe('throughput_fell');
    expect(c.limit).toBeLessThanOrEqual(7);
  });

  it('caps the automatic limit low for a single-process server on this machine', () => {
    expect(concurrencyCap('transformers', ['http://127.0.0.1:8000/v1'])).toBe(4);
    expect(concurrencyCap(null, ['http://localhost:8080/v1'])).toBe(8);
    expect(concurrencyCap('vllm', ['http://127.0.0.1:8000/v1'])).toBe(1024);
    expect(concurrencyCap(null, ['https://api.example.com/v1'])).toBe(1024);
    const c = new AimdController({ initial: 8 });
    c.capAt(concurrencyCap('transformers', ['http://127.0.0.1:8000/v1']));
    expect(c.limit).toBe(4);
    expect(c.reason).toEqual({ code: 'start', limit: 4, cap: 4 });
  });
});

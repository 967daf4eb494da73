import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../util/errors';
import { loadTokenizerFile, tokenizerForModel } from './index';

// SmolLM2-135M-Instruct's real tokenizer, from the model cache (`node scripts/real-models.mjs`).
const cache = process.env.DISTILLERY_MODEL_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'distillery', 'real-models');
const smol = path.join(cache, 'SmolLM2-135M-Instruct-hf-fp16');
const hasSmol = fs.existsSync(path.join(smol, 'tokenizer.json'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-tokens-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!hasSmol)('tokenizers of model folders (SmolLM2 tokenizer.json)', () => {
  it('counts, encodes and decodes back to the same text, Chinese and LaTeX included', () => {
    const t = loadTokenizerFile(path.join(smol, 'tokenizer.json'));
    for (const text of ['Hello world', '报销单需要在 30 天内提交。', 'Let $x = \\frac{3}{4}$.\n\nSo $x^2 = 0.5625$.', '']) {
      const ids = t.encode(text);
      expect(t.count(text)).toBe(ids.length);
      expect(t.decode(ids)).toBe(text);
    }
    expect(t.count('Hello world')).toBe(2);
    // Special tokens are vocabulary entries, not text: no special tokens are added to a part of a prompt.
    expect(t.tokenId('<|im_start|>')).toBeTypeOf('number');
    expect(t.tokenId('<|no such token|>')).toBeUndefined();
    expect(t.encode('<|im_start|>user')[0]).toBe(t.tokenId('<|im_start|>'));
  });

  it('caches by file identity: the same file gives the same tokenizer, a changed file a new one', () => {
    const dir = path.join(tmp, 'copy');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'tokenizer.json');
    fs.copyFileSync(path.join(smol, 'tokenizer.json'), file);
    const a = loadTokenizerFile(file);
    expect(loadTokenizerFile(file)).toBe(a);
    fs.appendFileSync(file, '\n');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    const b = loadTokenizerFile(file);
    expect(b).not.toBe(a);
    expect(b.key).not.toBe(a.key);
    expect(b.count('Hello world')).toBe(a.count('Hello world'));
  });

  it('finds the tokenizer of a local model folder, and none for a remote model name or a folder without one', () => {
    expect(tokenizerForModel(smol)?.count('Hello world')).toBe(2);
    expect(tokenizerForModel('HuggingFaceTB/SmolLM2-135M-Instruct')).toBeNull();
    expect(tokenizerForModel(tmp)).toBeNull();
    expect(tokenizerForModel(path.join(tmp, 'missing'))).toBeNull();
  });
});

describe('a tokenizer that does not load', () => {
  it('is one sentence naming the file (a user error)', () => {
    const file = path.join(tmp, 'broken', 'tokenizer.json');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, '{"model": {"type": "BPE"');
    let err: unknown;
    try {
      loadTokenizerFile(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('bad_tokenizer');
    expect((err as UserError).message).toMatch(new RegExp(`^Could not read the tokenizer ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*Choose a model folder whose tokenizer.json loads in transformers\\.$`));
  });
});

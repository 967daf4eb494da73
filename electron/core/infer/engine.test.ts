import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPython } from '../train/testing';
import { UserError } from '../util/errors';
import { openInAppModel, type InAppModel } from './index';
import { onnxModel, ortReference } from './testing';

const cudaInstalled = fs.existsSync(path.join(process.cwd(), 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so'));

describe.skipIf(!hasPython())('in-app engine (transformers.js + onnxruntime-node) on the exported tiny model', () => {
  let dir: string;
  let m: InAppModel;
  let prompt: string;

  beforeAll(async () => {
    dir = onnxModel('tiny');
    m = await openInAppModel(dir, { threads: 1 });
    prompt = `${m.template.render([{ role: 'user', content: 'Compute 2 + 3.' }], { addGenerationPrompt: true })}<think>\n`;
  }, 1_800_000);
  afterAll(async () => {
    await m?.close();
  });

  it('generates greedily the same tokens as Python onnxruntime on the same ONNX file', async () => {
    for (const p of [prompt, 'Solve for x: 3x + 4 = 10, so x = 2.']) {
      const r = await m.continue({ prompt: p, maxTokens: 24, temperature: 0, reuseCache: false });
      const ref = ortReference(dir, p, 24, { threads: 1 });
      expect(r.promptTokens).toBe(ref.prompt_tokens);
      expect(r.tokenIds).toEqual(ref.ids);
      expect(r.text).toBe(ref.text);
    }
  }, 300_000);

  it('never generates more than maxTokens tokens, by its own count and by the tokenizer', async () => {
    for (const max of [1, 5, 17]) {
      const r = await m.continue({ prompt, maxTokens: max, temperature: 0 });
      expect(r.completionTokens).toBe(max); // greedy on this model never picks an end-of-sequence token
      expect(r.tokenIds).toHaveLength(max);
      expect(r.finishReason).toBe('length');
      expect(m.tokenizer.count(r.text)).toBeLessThanOrEqual(max);
      expect(m.tokenizer.decode(r.tokenIds)).toBe(r.text);
      expect(r.firstTextMs).toBeGreaterThan(0);
      expect(r.totalMs).toBeGreaterThanOrEqual(r.firstTextMs as number);
    }
    const sampled = await m.continue({ prompt, maxTokens: 9, temperature: 1, seed: 5 });
    expect(sampled.completionTokens).toBeLessThanOrEqual(9);
    expect(sampled.tokenIds.length).toBe(sampled.completionTokens);
    const none = await m.continue({ prompt, maxTokens: 0 });
    expect(none).toMatchObject({ text: '', completionTokens: 0, finishReason: 'length' });
  }, 120_000);

  it('stops at a stop string, which is not part of the text, and streams growing prefixes without it', async () => {
    const free = await m.continue({ prompt, maxTokens: 40, temperature: 1, seed: 11 });
    expect(free.text.length).toBeGreaterThan(8);
    const again = await m.continue({ prompt, maxTokens: 40, temperature: 1, seed: 11 });
    expect(again.tokenIds).toEqual(free.tokenIds); // a seed makes sampling repeatable
    const stop = free.text.slice(Math.floor(free.text.length / 2), Math.floor(free.text.length / 2) + 2);
    const at = free.text.indexOf(stop);
    const seen: string[] = [];
    const r = await m.continue({ prompt, maxTokens: 40, temperature: 1, seed: 11, stop: ['never-there', stop], onText: (t) => seen.push(t) });
    expect(r.finishReason).toBe('stop');
    expect(r.text).toBe(free.text.slice(0, at));
    expect(r.completionTokens).toBeLessThan(free.completionTokens + 1);
    for (let i = 1; i < seen.length; i++) expect((seen[i] as string).startsWith(seen[i - 1] as string)).toBe(true);
    for (const s of seen) expect(s.includes(stop)).toBe(false);
    if (seen.length > 0) expect(seen[seen.length - 1]).toBe(r.text);
  }, 120_000);

  it('reuses the cache of a prompt that extends the previous one and gives the same tokens as a full prefill', async () => {
    const first = await m.continue({ prompt, maxTokens: 6, temperature: 0 });
    const longer = `${prompt}${first.text}Wait`;
    const reused = await m.continue({ prompt: longer, maxTokens: 8, temperature: 0 });
    expect(reused.reusedTokens).toBeGreaterThan(first.promptTokens);
    const fresh = await m.continue({ prompt: longer, maxTokens: 8, temperature: 0, reuseCache: false });
    expect(fresh.reusedTokens).toBe(0);
    expect(reused.tokenIds).toEqual(fresh.tokenIds);
    expect(reused.tokenIds).toEqual(ortReference(dir, longer, 8, { threads: 1 }).ids);
  }, 300_000);

  it('is cancelled by its signal and keeps working afterwards', async () => {
    const ac = new AbortController();
    const p = m.continue({ prompt, maxTokens: 1000, temperature: 0, signal: ac.signal, onText: () => ac.abort() });
    await expect(p).rejects.toThrow(/cancel|abort/i);
    const r = await m.continue({ prompt, maxTokens: 3, temperature: 0 });
    expect(r.completionTokens).toBe(3);
  }, 120_000);

  it('refuses a folder it cannot run with a sentence that says what to do', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'infer-bad-'));
    try {
      await expect(openInAppModel(path.join(tmp, 'missing'))).rejects.toThrow(/does not exist; choose the folder of a model exported to ONNX/);
      fs.copyFileSync(path.join(dir, 'config.json'), path.join(tmp, 'config.json'));
      fs.copyFileSync(path.join(dir, 'tokenizer.json'), path.join(tmp, 'tokenizer.json'));
      const noOnnx = openInAppModel(tmp);
      await expect(noOnnx).rejects.toBeInstanceOf(UserError);
      await expect(noOnnx).rejects.toThrow(/has no onnx\/model\.onnx.*export-onnx --model/);
      fs.mkdirSync(path.join(tmp, 'onnx'));
      fs.writeFileSync(path.join(tmp, 'onnx', 'model.onnx'), 'not a model');
      fs.rmSync(path.join(tmp, 'tokenizer.json'));
      await expect(openInAppModel(tmp)).rejects.toThrow(/has no tokenizer\.json \(the tokenizer\)/);
      fs.copyFileSync(path.join(dir, 'tokenizer.json'), path.join(tmp, 'tokenizer.json'));
      fs.copyFileSync(path.join(dir, 'tokenizer_config.json'), path.join(tmp, 'tokenizer_config.json'));
      fs.copyFileSync(path.join(dir, 'chat_template.jinja'), path.join(tmp, 'chat_template.jinja'));
      await expect(openInAppModel(tmp, { threads: 1 })).rejects.toThrow(/could not load .*model\.onnx .*export-onnx/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);

  it.skipIf(cudaInstalled)('refuses CUDA with a sentence when onnxruntime-node has no CUDA provider', async () => {
    await expect(openInAppModel(dir, { device: 'cuda' })).rejects.toThrow(/CUDA was asked for, but onnxruntime-node has no CUDA provider .*choose the CPU device/);
  });

  it('runs in a child process with huge pages for malloc, and a crash there is a sentence, not a crash of the app', async () => {
    const pid = (m as unknown as { worker: { pid: number; kind: string } }).worker.pid;
    expect((m as unknown as { worker: { kind: string } }).worker.kind).toBe('process');
    expect(pid).not.toBe(process.pid);
    if (process.platform === 'linux') expect(fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain('GLIBC_TUNABLES=glibc.malloc.hugetlb=1');
    const r = await m.continue({ prompt, maxTokens: 4, temperature: 0 });
    expect(r.cpuMs).toBeGreaterThan(0);
    const other = await openInAppModel(dir, { threads: 1 });
    const victim = (other as unknown as { worker: { pid: number } }).worker.pid;
    const p = other.continue({ prompt, maxTokens: 1000, temperature: 0, onText: () => process.kill(victim, 'SIGKILL') });
    await expect(p).rejects.toThrow(/worker for .* exited \(signal SIGKILL\)/);
    await expect(other.continue({ prompt, maxTokens: 2 })).rejects.toThrow(/exited/);
    await other.close();
    expect((await m.continue({ prompt, maxTokens: 2, temperature: 0 })).completionTokens).toBe(2);
  }, 120_000);

  it('runs in a worker thread too, with the same greedy tokens', async () => {
    const t = await openInAppModel(dir, { threads: 1, host: 'thread' });
    try {
      expect((t as unknown as { worker: { pid: number } }).worker.pid).toBe(process.pid);
      const a = await t.continue({ prompt, maxTokens: 12, temperature: 0 });
      const b = await m.continue({ prompt, maxTokens: 12, temperature: 0, reuseCache: false });
      expect(a.tokenIds).toEqual(b.tokenIds);
      const ac = new AbortController();
      await expect(t.continue({ prompt, maxTokens: 1000, temperature: 0, signal: ac.signal, onText: () => ac.abort() })).rejects.toThrow(/cancel|abort/i);
    } finally {
      await t.close();
    }
  }, 120_000);

  it('frees its worker on close', async () => {
    const other = await openInAppModel(dir, { threads: 1 });
    expect((await other.continue({ prompt, maxTokens: 2, temperature: 0 })).completionTokens).toBe(2);
    await other.close();
    await expect(other.continue({ prompt, maxTokens: 2 })).rejects.toThrow(/closed/);
  }, 120_000);
});

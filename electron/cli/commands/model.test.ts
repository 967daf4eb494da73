import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { pythonExecutable } from '../../core/env/python';
import type { CliIO } from '../io';
import { trainedModelSentence } from '../../core/models/service';
import { main } from '../main';

function memIO(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => out.push(s), stderr: (s) => err.push(s), readFile: (p) => fs.promises.readFile(p, 'utf8') };
}

const hasPython = fs.existsSync(pythonExecutable());

// A tiny random Llama carrying SmolLM2's real tokenizer (from the real GGUF, converted once into the model cache),
// the smallest model llama.cpp's converter accepts; the converter itself is set up by scripts/llama-converter.mjs.
describe.skipIf(!hasPython)('distillery model export / import', () => {
  let root = '';
  let tiny = '';
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-model-'));
    tiny = path.join(root, 'tiny-llama');
    fs.mkdirSync(tiny);
    const script = [
      'import sys',
      'from pathlib import Path',
      'from distillery_worker.model_testing import converted_smollm, llama_converter, tiny_llama_with_tokenizer',
      'smol = converted_smollm(); conv = llama_converter()',
      'assert smol and conv, "real SmolLM2 GGUF or llama.cpp converter unavailable"',
      'tiny_llama_with_tokenizer(smol, Path(sys.argv[1]))',
    ].join('\n');
    await execa(pythonExecutable(), ['-c', script, tiny], { env: { HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' } });
  }, 600_000);

  it('exports a model folder to GGUF q8_0 with a Modelfile, and imports the GGUF back as a model folder', async () => {
    const io = memIO();
    const out = path.join(root, 'gguf');
    expect(await main(['model', 'export', tiny, '--format', 'gguf', '--quant', 'q8_0', '--out', out, '--json'], io)).toBe(0);
    const r = JSON.parse(io.out.join('')) as { out: string; format: string; quant: string; files: string[]; check: { max_abs_diff: number; tolerance: number } };
    expect(r).toMatchObject({ out, format: 'gguf', quant: 'q8_0' });
    expect(r.files.sort()).toEqual(['Modelfile', 'chat_template.jinja', 'tiny-llama-q8_0.gguf']);
    expect(r.check.max_abs_diff).toBeLessThanOrEqual(r.check.tolerance);
    expect(fs.readFileSync(path.join(out, 'Modelfile'), 'utf8')).toContain('FROM ./tiny-llama-q8_0.gguf');

    const io2 = memIO();
    const back = path.join(root, 'back');
    expect(await main(['model', 'import', path.join(out, 'tiny-llama-q8_0.gguf'), '--out', back, '--json'], io2)).toBe(0);
    const m = JSON.parse(io2.out.join('')) as { out: string; architecture: string; parameters: number; dtype: string; files: string[]; seconds: number };
    expect(m).toMatchObject({ out: back, architecture: 'llama', dtype: 'fp16' });
    expect(m.parameters).toBeGreaterThan(3_000_000);
    expect(m.files).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'chat_template.jinja', 'generation_config.json']));
    expect(fs.readFileSync(path.join(back, 'chat_template.jinja'), 'utf8')).toBe(fs.readFileSync(path.join(tiny, 'chat_template.jinja'), 'utf8'));
  }, 600_000);

  it('refuses to write into a folder that holds files, with one sentence, and keeps them', async () => {
    const mine = path.join(root, 'mine');
    fs.mkdirSync(mine);
    fs.writeFileSync(path.join(mine, 'notes.txt'), 'keep me');
    const io = memIO();
    expect(await main(['model', 'export', tiny, '--format', 'merged', '--out', mine], io)).toBe(2);
    expect(io.err.join('\n')).toMatch(/already exists and is not empty/);
    expect(io.err.join('\n')).not.toMatch(/Training failed/);
    expect(fs.readFileSync(path.join(mine, 'notes.txt'), 'utf8')).toBe('keep me');
  }, 300_000);

  it('rejects an unknown format before starting anything', async () => {
    const io = memIO();
    expect(await main(['model', 'export', tiny, '--format', 'safetensors'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/--format must be one of merged, gguf, onnx/);
  });
});

describe("a finished run's Done line", () => {
  it('calls a LoRA output an adapter and names the export command', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-run-'));
    expect(trainedModelSentence(dir)).toMatch(/^Done: the trained model is in .*distillery model export .* --format gguf\|onnx/);
    fs.writeFileSync(path.join(dir, 'adapter_config.json'), '{}');
    expect(trainedModelSentence(dir)).toMatch(/^Done: the LoRA adapter is in .*--format merged\|gguf\|onnx/);
  });
});

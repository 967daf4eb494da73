import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError } from '../util/errors';
import { convertEmbedModel } from './convert';
import { Embedder } from './embedder';
import { resolveEmbedModel, SPEC_FILE } from './model';
import { realMiniLM, stReference } from './testing';

// The real all-MiniLM-L6-v2 through the in-app engine (transformers.js in the worker thread) against
// sentence-transformers' own vectors, computed by the Python side at test time.
const LONG_EN = 'Let $ABC$ be a triangle with circumcircle $\\omega$ and incenter $I$; the line through $I$ perpendicular to $AI$ meets $BC$ at $D$. '.repeat(16);
const LONG_ZH = '设三角形ABC的外接圆为ω，内心为I，过I且垂直于AI的直线与BC交于D，与ω再交于E。求证DE平分角BDC。'.repeat(12);
const TEXTS = [
  'Find the remainder when $2^{100}$ is divided by 7.',
  'How many positive integers less than 1000 are divisible by 3 but not by 5?',
  'Hi',
  '求 $2^{100}$ 除以 7 的余数。',
  '证明存在无穷多个素数。',
  LONG_EN, // about 500 tokens: cut at 256, and the cut row must end with [SEP] as in sentence-transformers
  LONG_ZH,
  `${LONG_EN} Find the ratio $BD/DC$.`,
];

const models = realMiniLM();
let tmp: string;

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] as number) * (b[i] as number);
    aa += (a[i] as number) ** 2;
    bb += (b[i] as number) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

async function embedAll(dir: string, dtype: 'fp32' | 'q8', maxLength: number): Promise<Float32Array[]> {
  const e = new Embedder(resolveEmbedModel(dir, dtype, maxLength), { threads: 2 });
  try {
    return (await e.embed(TEXTS)).vectors;
  } finally {
    await e.close();
  }
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-embed-convert-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!models)('a converted sentence-transformers model in the app (real all-MiniLM-L6-v2)', () => {
  const { src, dir } = models ?? { src: '', dir: '' };

  it('gives sentence-transformers’ vectors: fp32 cosine ≥ 0.999 on every text, over-length ones included; int8 ≥ 0.99 on average', async () => {
    const want = stReference(src, TEXTS, tmp);
    const model = resolveEmbedModel(dir, 'fp32', 512);
    expect(model.maxLength).toBe(256); // the model's own max_seq_length caps a larger request
    expect(model.spec).toEqual({ pooling: 'mean', normalize: true, maxSeqLength: 256, lowercase: false });
    const fp32 = await embedAll(dir, 'fp32', 512);
    const c32 = fp32.map((v, i) => cosine(v, want[i] as number[]));
    expect(Math.min(...c32), `fp32 cosines ${c32.map((c) => c.toFixed(5)).join(' ')}`).toBeGreaterThanOrEqual(0.999);
    for (const v of fp32) expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    const q8 = await embedAll(dir, 'q8', 512);
    const c8 = q8.map((v, i) => cosine(v, want[i] as number[]));
    expect(c8.reduce((a, b) => a + b, 0) / c8.length).toBeGreaterThanOrEqual(0.99);
    expect(Math.min(...c8)).toBeGreaterThanOrEqual(0.98);
  }, 600_000);

  it('honours cls pooling, no normalisation and a shorter max_seq_length written by the conversion', async () => {
    const st = path.join(tmp, 'st-cls');
    fs.cpSync(src, st, { recursive: true });
    const modules = JSON.parse(fs.readFileSync(path.join(st, 'modules.json'), 'utf8')) as { type: string }[];
    fs.writeFileSync(path.join(st, 'modules.json'), JSON.stringify(modules.filter((m) => !m.type.endsWith('Normalize'))));
    const pc = JSON.parse(fs.readFileSync(path.join(st, '1_Pooling', 'config.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(st, '1_Pooling', 'config.json'), JSON.stringify({ ...pc, pooling_mode_mean_tokens: false, pooling_mode_cls_token: true }));
    fs.writeFileSync(path.join(st, 'sentence_bert_config.json'), JSON.stringify({ max_seq_length: 24, do_lower_case: false }));
    // Same weights: the converted ONNX files are reused, only the pooling file differs (what embed-convert writes for st).
    const conv = path.join(tmp, 'conv-cls');
    fs.cpSync(dir, conv, { recursive: true });
    const spec = JSON.parse(fs.readFileSync(path.join(conv, SPEC_FILE), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(conv, SPEC_FILE), JSON.stringify({ ...spec, pooling: 'cls', normalize: false, max_seq_length: 24 }));
    const want = stReference(st, TEXTS, tmp);
    const got = await embedAll(conv, 'fp32', 128);
    const c = got.map((v, i) => cosine(v, want[i] as number[]));
    expect(Math.min(...c), c.map((x) => x.toFixed(5)).join(' ')).toBeGreaterThanOrEqual(0.999);
    expect(Math.abs(Math.hypot(...(got[0] as Float32Array)) - 1)).toBeGreaterThan(0.01); // not normalised, as in sentence-transformers
    const norms = (want[0] as number[]).reduce((a, x) => a + x * x, 0) ** 0.5;
    expect(Math.hypot(...(got[0] as Float32Array))).toBeCloseTo(norms, 2);
  }, 600_000);

  it('names the conversion when given the unconverted folder, and refuses a decoder LLM folder in one sentence', async () => {
    expect(() => resolveEmbedModel(src)).toThrow(/is a sentence-transformers model without ONNX files; convert it for in-app use first/);
    const llm = path.join(tmp, 'llm');
    fs.mkdirSync(llm);
    fs.writeFileSync(path.join(llm, 'config.json'), JSON.stringify({ model_type: 'qwen2' }));
    fs.writeFileSync(path.join(llm, 'modules.json'), '[]');
    const err = await convertEmbedModel(llm, path.join(tmp, 'llm-out')).catch((e: unknown) => e);
    expect(isUserError(err)).toBe(true);
    expect((err as Error).message).toMatch(/model_type 'qwen2', which is not a sentence-embedding encoder the conversion supports; it supports BERT, RoBERTa, XLM-RoBERTa/);
    expect(fs.existsSync(path.join(tmp, 'llm-out'))).toBe(false);
    // An earlier conversion of the same source is reused, not redone.
    const again = await convertEmbedModel(src, dir);
    expect(again).toMatchObject({ cached: true, pooling: 'mean', max_seq_length: 256 });
  }, 300_000);
});

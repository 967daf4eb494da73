import { describe, expect, it } from 'vitest';
import { countParams, plan, type ModelConfig, type PlanInput } from './planner';

// config.json fields of the released models (Hugging Face Qwen/Qwen2.5-*-Instruct)
const QWEN25_05B: ModelConfig = { hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2, vocab_size: 151936, tie_word_embeddings: true, torch_dtype: 'bfloat16' };
const QWEN25_7B: ModelConfig = { hidden_size: 3584, intermediate_size: 18944, num_hidden_layers: 28, num_attention_heads: 28, num_key_value_heads: 4, vocab_size: 152064, tie_word_embeddings: false, torch_dtype: 'bfloat16' };
const QWEN25_32B: ModelConfig = { hidden_size: 5120, intermediate_size: 27648, num_hidden_layers: 64, num_attention_heads: 40, num_key_value_heads: 8, vocab_size: 152064, tie_word_embeddings: false, torch_dtype: 'bfloat16' };

const base = (config: ModelConfig, over: Partial<PlanInput> = {}): PlanInput => ({
  config, method: 'full', seqLength: 4096, microBatch: 1, gpus: 1, gpuMemoryGib: 80, gradientCheckpointing: true, sharding: 'none', ...over,
});

describe('parameter counts', () => {
  it('match the published sizes within 2%', () => {
    expect(countParams(QWEN25_05B).total / 0.494e9).toBeCloseTo(1, 1);
    expect(Math.abs(countParams(QWEN25_05B).total / 0.494e9 - 1)).toBeLessThan(0.02);
    expect(Math.abs(countParams(QWEN25_7B).total / 7.62e9 - 1)).toBeLessThan(0.02);
    expect(Math.abs(countParams(QWEN25_32B).total / 32.76e9 - 1)).toBeLessThan(0.02);
  });
});

describe('planner sanity bounds', () => {
  it('32B full SFT does not fit one 80 GB GPU, and says what to change', () => {
    const p = plan(base(QWEN25_32B, { seqLength: 32768 }));
    expect(p.fits).toBe(false);
    expect(p.per_gpu_gib).toBeGreaterThan(300);
    expect(p.suggestion).toMatch(/QLoRA|GPUs/);
  });

  it('32B full SFT at 32k on 16 GPUs with FSDP and checkpointing is plausible (s1)', () => {
    const p = plan(base(QWEN25_32B, { seqLength: 32768, gpus: 16, sharding: 'fsdp' }));
    expect(p.fits).toBe(true);
    expect(p.per_gpu_gib).toBeGreaterThan(40);
    expect(p.per_gpu_gib).toBeLessThan(80);
    expect(p.breakdown.optimizer).toBeCloseTo((countParams(QWEN25_32B).total * 8) / 16 / 1024 ** 3, 1);
  });

  it('7B QLoRA fits a 24 GB GPU at 4k; 7B full SFT does not', () => {
    const q = plan(base(QWEN25_7B, { method: 'qlora', gpuMemoryGib: 24 }));
    expect(q.fits).toBe(true);
    expect(q.breakdown.weights).toBeLessThan(8);
    expect(q.breakdown.lora).toBeGreaterThan(0);
    expect(q.breakdown.optimizer).toBe(0);
    const f = plan(base(QWEN25_7B, { gpuMemoryGib: 24 }));
    expect(f.fits).toBe(false);
    expect(f.suggestion).toMatch(/^Use (LoRA|QLoRA)/);
  });

  it('0.5B full SFT at 4k fits an 80 GB GPU; breakdown sums to the total', () => {
    const p = plan(base(QWEN25_05B));
    expect(p.fits).toBe(true);
    expect(p.suggestion).toBeNull();
    const sum = Object.values(p.breakdown).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - p.per_gpu_gib)).toBeLessThan(0.05);
  });

  it('suggests gradient checkpointing first when that is enough', () => {
    const p = plan(base(QWEN25_7B, { method: 'qlora', gpuMemoryGib: 24, gradientCheckpointing: false }));
    expect(p.fits).toBe(false);
    expect(p.suggestion).toMatch(/^Turn on gradient checkpointing\./);
  });

  it('suggests a smaller micro-batch before LoRA', () => {
    const p = plan(base(QWEN25_05B, { microBatch: 16, gpuMemoryGib: 24 }));
    expect(p.fits).toBe(false);
    expect(p.suggestion).toMatch(/micro-batch from 16 to/);
  });

  it('multi-GPU without sharding suggests FSDP', () => {
    const p = plan(base(QWEN25_7B, { gpus: 8 }));
    expect(p.fits).toBe(false);
    expect(p.suggestion).toMatch(/FSDP/);
    expect(plan(base(QWEN25_7B, { gpus: 8, sharding: 'fsdp' })).fits).toBe(true);
  });

  it('DeepSpeed ZeRO-3 is planned like FSDP, and its suggestion names it', () => {
    const f = plan(base(QWEN25_32B, { seqLength: 32768, gpus: 16, sharding: 'fsdp' }));
    const z = plan(base(QWEN25_32B, { seqLength: 32768, gpus: 16, sharding: 'zero3' }));
    expect(z.per_gpu_gib).toBe(f.per_gpu_gib);
    expect(z.breakdown).toEqual(f.breakdown);
    const small = plan(base(QWEN25_32B, { method: 'kd', teacherTopK: 64, seqLength: 4096, gpus: 2, sharding: 'zero3', gpuMemoryGib: 80 }));
    expect(small.fits).toBe(false);
    expect(small.suggestion).toMatch(/with DeepSpeed ZeRO-3/);
  });

  it('KD from precomputed top-k logits keeps no teacher in memory', () => {
    const live = plan(base(QWEN25_05B, { method: 'kd', teacherConfig: QWEN25_7B }));
    const topk = plan(base(QWEN25_05B, { method: 'kd', teacherConfig: QWEN25_7B, teacherTopK: 64 }));
    expect(topk.breakdown.teacher).toBeCloseTo((4096 * 64 * 16) / 1024 ** 3, 2);
    expect(live.per_gpu_gib - topk.per_gpu_gib).toBeGreaterThan(14);
  });

  it('KD counts the teacher', () => {
    const p = plan(base(QWEN25_05B, { method: 'kd', teacherConfig: QWEN25_7B }));
    expect(p.breakdown.teacher).toBeGreaterThan(14);
  });
});

/**
 * Memory planner: from a base model's config.json and a training plan, estimate per-GPU memory
 * (GiB) and say whether it fits, and if not, the cheapest change that makes it fit.
 *
 * Model of memory (bf16 autocast, AdamW with fp32 states, as the Python worker runs it):
 * - weights: full / KD keep fp32 master weights, 4 B/param (+2 B per linear param for autocast's bf16 copies
 *   when unsharded); LoRA: frozen bf16 base, 2 B/param; QLoRA: 4-bit NF4 + double-quant constants ≈ 0.55 B/param
 *   for the linear layers, embeddings and LM head stay bf16. Sharded by FSDP / ZeRO-3 across all GPUs.
 * - gradients: 4 B per trainable param (fp32); sharded with FSDP / ZeRO-3.
 * - optimizer: AdamW m and v in fp32, 8 B per trainable param; sharded with FSDP / ZeRO-3.
 * - lora: LoRA A/B in fp32 with their gradients and AdamW states, 16 B per LoRA param (replicated).
 * - activations: per token per layer 16h + 6·kv + 8i bytes (SDPA/flash attention, no s² term);
 *   with gradient checkpointing only each layer's input (2h bytes) plus one layer being recomputed.
 *   Plus the LM head's logits (bf16, fused/chunked loss) — fp32 and teacher logits for KD.
 * - teacher (KD): the teacher's bf16 weights (replicated) and its logits; with top-k logits precomputed to disk
 *   only the batch's k ids and log-probabilities (8 B per token per k).
 * - overhead: CUDA context, allocator fragmentation, temporary buffers: 1 GiB + 5%.
 */

export type Method = 'full' | 'lora' | 'qlora' | 'kd';
export type Sharding = 'none' | 'fsdp' | 'zero3';

export interface ModelConfig {
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads?: number;
  vocab_size: number;
  tie_word_embeddings?: boolean;
  torch_dtype?: string;
  dtype?: string;
  head_dim?: number;
}

export interface PlanInput {
  config: ModelConfig;
  method: Method;
  seqLength: number;
  microBatch: number;
  gpus: number;
  gpuMemoryGib: number;
  gradientCheckpointing: boolean;
  sharding: Sharding;
  loraRank?: number;
  /** the teacher's config for KD (defaults to the student's) */
  teacherConfig?: ModelConfig;
  /** KD from precomputed top-k teacher logits: no teacher in memory, k ids + log-probs per token */
  teacherTopK?: number;
}

export interface Breakdown {
  weights: number;
  gradients: number;
  optimizer: number;
  activations: number;
  lora: number;
  teacher: number;
  overhead: number;
}

export interface Plan {
  fits: boolean;
  per_gpu_gib: number;
  breakdown: Breakdown;
  suggestion: string | null;
  params: number;
  trainable_params: number;
}

const GIB = 1024 ** 3;

export function headDim(c: ModelConfig): number {
  return c.head_dim ?? Math.floor(c.hidden_size / c.num_attention_heads);
}

/** Parameters of a decoder-only transformer (Llama/Qwen/Mistral family), split by kind. */
export function countParams(c: ModelConfig): { total: number; linear: number; embedding: number } {
  const h = c.hidden_size;
  const hd = headDim(c);
  const q = c.num_attention_heads * hd;
  const kv = (c.num_key_value_heads ?? c.num_attention_heads) * hd;
  const attn = h * q + 2 * h * kv + q * h + q + 2 * kv; // q, k, v, o (+ q/k/v biases, Qwen-style)
  const mlp = 3 * h * c.intermediate_size;
  const perLayer = attn + mlp + 2 * h;
  const embedding = c.vocab_size * h * (c.tie_word_embeddings ? 1 : 2);
  const linear = c.num_hidden_layers * (attn + mlp);
  return { total: embedding + c.num_hidden_layers * perLayer + h, linear, embedding };
}

/** LoRA parameters for rank r on all linear layers of every block (q, k, v, o, gate, up, down). */
export function loraParams(c: ModelConfig, r: number): number {
  const h = c.hidden_size;
  const hd = headDim(c);
  const q = c.num_attention_heads * hd;
  const kv = (c.num_key_value_heads ?? c.num_attention_heads) * hd;
  const i = c.intermediate_size;
  const perLayer = r * ((h + q) + (h + kv) * 2 + (q + h) + (h + i) * 2 + (i + h));
  return perLayer * c.num_hidden_layers;
}

function round(x: number, d = 2): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

/** The estimate for one plan, without a suggestion. */
export function estimate(p: PlanInput): Omit<Plan, 'suggestion'> {
  const c = p.config;
  const { total, linear, embedding } = countParams(c);
  const world = Math.max(1, p.gpus);
  const shard = p.sharding !== 'none' && world > 1 ? world : 1;
  const h = c.hidden_size;
  const kvDim = (c.num_key_value_heads ?? c.num_attention_heads) * headDim(c);
  const tokens = p.seqLength * p.microBatch;
  const r = p.loraRank ?? 16;
  const peft = p.method === 'lora' || p.method === 'qlora';

  // full / KD: fp32 master weights (+ the bf16 copies autocast keeps during a step when unsharded);
  // LoRA: frozen bf16 base; QLoRA: 4-bit linear layers
  const weightBytes = p.method === 'qlora' ? linear * 0.55 + (total - linear) * 2 : peft ? total * 2 : total * 4;
  const trainable = peft ? loraParams(c, r) : total;
  const weights = weightBytes / shard + (!peft && shard === 1 ? linear * 2 : 0);
  const gradients = peft ? 0 : (total * 4) / shard;
  const optimizer = peft ? 0 : (total * 8) / shard;
  const lora = peft ? trainable * 16 : 0;

  const perTokenLayer = 16 * h + 6 * kvDim + 8 * c.intermediate_size;
  const layerActs = p.gradientCheckpointing
    ? c.num_hidden_layers * 2 * h * tokens + perTokenLayer * tokens
    : c.num_hidden_layers * perTokenLayer * tokens;
  const logitBytes = p.method === 'kd' ? 12 : 2; // KD: fp32 logits, log-softmax and their gradient
  const activations = layerActs + c.vocab_size * tokens * logitBytes + (peft && !p.gradientCheckpointing ? 0 : 0);

  let teacher = 0;
  if (p.method === 'kd' && p.teacherTopK) {
    teacher = tokens * p.teacherTopK * 8 * 2; // int32 ids + fp32 log-probs, and their renormalised copy
  } else if (p.method === 'kd') {
    const t = p.teacherConfig ?? c;
    const tp = countParams(t).total;
    const tPerTokenLayer = 16 * t.hidden_size + 8 * t.intermediate_size;
    teacher = tp * 2 + t.vocab_size * tokens * 8 + tPerTokenLayer * tokens; // weights, logits (bf16 + fp32 softmax), one layer
  }
  void embedding;
  const sum = weights + gradients + optimizer + activations + lora + teacher;
  const overhead = 1 * GIB + 0.05 * sum;
  const breakdown: Breakdown = {
    weights: round(weights / GIB),
    gradients: round(gradients / GIB),
    optimizer: round(optimizer / GIB),
    activations: round(activations / GIB),
    lora: round(lora / GIB),
    teacher: round(teacher / GIB),
    overhead: round(overhead / GIB),
  };
  const perGpu = (sum + overhead) / GIB;
  return { fits: perGpu <= p.gpuMemoryGib, per_gpu_gib: round(perGpu), breakdown, params: total, trainable_params: trainable };
}

interface Candidate {
  change: string[];
  input: PlanInput;
}

function candidates(p: PlanInput): Candidate[] {
  const out: Candidate[] = [];
  let cur = { ...p };
  const changes: string[] = [];
  const push = () => out.push({ change: [...changes], input: { ...cur } });
  if (!cur.gradientCheckpointing) {
    cur = { ...cur, gradientCheckpointing: true };
    changes.push('turn on gradient checkpointing');
    push();
  }
  const mb0 = cur.microBatch;
  while (cur.microBatch > 1) {
    cur = { ...cur, microBatch: Math.max(1, Math.floor(cur.microBatch / 2)) };
    const c = [...changes, `lower the micro-batch from ${mb0} to ${cur.microBatch} (gradient accumulation keeps the batch size)`];
    out.push({ change: c, input: { ...cur } });
  }
  if (cur.microBatch !== mb0) changes.push(`lower the micro-batch from ${mb0} to ${cur.microBatch} (gradient accumulation keeps the batch size)`);
  if (cur.method === 'full') {
    out.push({ change: [...changes, 'use LoRA (--recipe lora) instead of full fine-tuning'], input: { ...cur, method: 'lora' } });
  }
  if (cur.method === 'full' || cur.method === 'lora') {
    out.push({ change: [...changes, 'use QLoRA (--recipe qlora, 4-bit base weights)'], input: { ...cur, method: 'qlora' } });
  }
  // more GPUs with sharding, keeping the method the user chose
  const sharder = p.sharding === 'zero3' ? 'DeepSpeed ZeRO-3' : 'FSDP';
  for (const n of [2, 4, 8, 16, 32, 64, 128, 256]) {
    if (n <= p.gpus) continue;
    out.push({
      change: [...changes, `use ${n} GPUs of ${p.gpuMemoryGib} GiB with ${sharder} (--gpus ${n <= 8 ? n : 8} --nodes ${Math.max(1, Math.ceil(n / 8))})`],
      input: { ...cur, gpus: n, sharding: cur.sharding === 'none' ? 'fsdp' : cur.sharding },
    });
  }
  if (p.gpus > 1 && p.sharding === 'none') {
    out.unshift({ change: ['shard weights, gradients and optimizer states with FSDP across your GPUs'], input: { ...p, sharding: 'fsdp' } });
  }
  for (let len = Math.floor(cur.seqLength / 2); len >= 1024; len = Math.floor(len / 2)) {
    out.push({ change: [...changes, `lower the max length from ${p.seqLength} to ${len} tokens`], input: { ...cur, seqLength: len } });
  }
  return out;
}

function sentence(changes: string[]): string {
  const s = changes.length <= 1 ? (changes[0] ?? '') : `${changes.slice(0, -1).join(', ')} and ${changes[changes.length - 1]}`;
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
}

/** The estimate, with the cheapest change that fits when it does not. */
export function plan(p: PlanInput): Plan {
  const base = estimate(p);
  if (base.fits) return { ...base, suggestion: null };
  for (const c of candidates(p)) {
    const e = estimate(c.input);
    if (e.fits) return { ...base, suggestion: `${sentence(c.change)} That needs about ${e.per_gpu_gib} GiB per GPU.` };
  }
  return { ...base, suggestion: `It does not fit ${p.gpuMemoryGib} GiB GPUs even with QLoRA, sharding and shorter sequences; use GPUs with more memory or a smaller base model.` };
}

/** Reads the fields the planner needs from a parsed config.json (nested text_config is accepted). */
export function modelConfigFrom(json: unknown): ModelConfig {
  const o = (json ?? {}) as Record<string, unknown>;
  const src = (typeof o.hidden_size === 'number' ? o : (o.text_config as Record<string, unknown> | undefined)) ?? o;
  const need = ['hidden_size', 'intermediate_size', 'num_hidden_layers', 'num_attention_heads', 'vocab_size'] as const;
  for (const k of need) {
    if (typeof src[k] !== 'number') throw new Error(`config.json has no numeric "${k}"; is this a decoder-only causal LM folder?`);
  }
  return {
    hidden_size: src.hidden_size as number,
    intermediate_size: src.intermediate_size as number,
    num_hidden_layers: src.num_hidden_layers as number,
    num_attention_heads: src.num_attention_heads as number,
    num_key_value_heads: typeof src.num_key_value_heads === 'number' ? src.num_key_value_heads : undefined,
    vocab_size: src.vocab_size as number,
    tie_word_embeddings: Boolean(src.tie_word_embeddings ?? o.tie_word_embeddings),
    torch_dtype: typeof src.torch_dtype === 'string' ? src.torch_dtype : undefined,
    head_dim: typeof src.head_dim === 'number' ? src.head_dim : undefined,
  };
}

import { z } from 'zod';
import type { JobKind, JobRunner } from '../jobs';
import type { Project } from '../store/project';
import { UserError } from '../util/errors';
import { Embedder } from './embedder';
import { resolveEmbedModel, type EmbedModel } from './model';
import { poolQuestionsByLength } from '../pool/embed-reads';
import { questionTextLookup } from '../pool/questions';
import { embeddedIds, saveVectors, upsertModel } from './store';
import { message } from '../util/messages';

export const EMBED_KIND = 'embed';

export const embedParams = z.object({
  /** A local folder with config.json, tokenizer.json and onnx/model.onnx (nothing is downloaded). */
  modelDir: z.string().trim().min(1),
  dtype: z.enum(['fp32', 'q8']).default('fp32'),
  /** Tokens per question; longer questions are cut (MiniLM was trained on 128-token inputs). */
  maxLength: z.number().int().min(8).max(8192).default(128),
  /** Questions per forward pass; questions are sorted by length first, so a batch pads little. */
  batchSize: z.number().int().min(1).max(1024).default(64),
  /** ONNX Runtime intra-op threads; null: the machine's cores. */
  threads: z.number().int().min(1).max(256).nullable().default(null),
});
export type EmbedParams = z.infer<typeof embedParams>;
export type EmbedInput = z.input<typeof embedParams>;

interface Payload {
  /** The model identity the job was planned for. */
  m: string;
  ids: number[];
}

interface JobState {
  model?: EmbedModel;
  embedder?: Embedder;
  questions: number;
  tokens: number;
  padded: number;
  started: number;
}

const states = new WeakMap<EmbedParams, JobState>();

function stateOf(p: EmbedParams): JobState {
  let s = states.get(p);
  if (!s) {
    s = { questions: 0, tokens: 0, padded: 0, started: Date.now() };
    states.set(p, s);
  }
  return s;
}

/**
 * The durable embedding job: every pool question without a vector of this model, sorted by length and cut
 * into batches (one job item per batch, committed with its vectors). A new model (another identity) embeds
 * everything again; a paused or interrupted job resumes with the batches it has not committed.
 */
export const embedKind: JobKind<EmbedParams> = {
  kind: EMBED_KIND,
  params: embedParams,
  // Two batches in flight: the worker computes one while the main thread stores the other.
  concurrency: 2,
  labelMessage: (p) => message('job_label_embed', { model: p.modelDir, dtype: p.dtype }, `embed questions (${p.modelDir}, ${p.dtype})`),
  *plan(project, p) {
    const model = resolveEmbedModel(p.modelDir, p.dtype, p.maxLength);
    upsertModel(project.db, model);
    const embedded = embeddedIds(project.db, model.key);
    const rows = poolQuestionsByLength(project.db).filter((r) => !embedded.has(r.id));
    for (let b = 0; b * p.batchSize < rows.length; b++) {
      const ids = rows.slice(b * p.batchSize, (b + 1) * p.batchSize).map((r) => r.id);
      yield { key: `batch-${b}`, payload: { m: model.key, ids } satisfies Payload };
    }
  },
  async run(item, ctx) {
    const { m, ids } = item.payload as Payload;
    const st = stateOf(ctx.params);
    if (!st.model) {
      const model = resolveEmbedModel(ctx.params.modelDir, ctx.params.dtype, ctx.params.maxLength);
      if (model.key !== m) {
        throw new UserError(`The model in ${model.dir} changed since this embedding job started (its files differ); cancel this job and start a new one.`, 'embed_model_changed');
      }
      st.model = model;
      st.embedder = new Embedder(model, { threads: ctx.params.threads ?? undefined });
    }
    const embedder = st.embedder as Embedder;
    const db = ctx.project.db;
    const textOf = questionTextLookup(db);
    const found: { id: number; text: string }[] = [];
    for (const id of ids) {
      const text = textOf(id);
      if (text !== undefined) found.push({ id, text });
    }
    const batch = await embedder.embed(
      found.map((f) => f.text),
      ctx.signal,
    );
    ctx.complete(() => {
      saveVectors(
        db,
        m,
        found.map((f, i) => ({ questionId: f.id, vector: batch.vectors[i] as Float32Array })),
      );
    });
    st.questions += found.length;
    st.tokens += batch.tokens;
    st.padded += batch.padded;
    const secs = (Date.now() - st.started) / 1000;
    ctx.report({
      questions: st.questions,
      questions_per_s: secs > 0 ? Math.round((st.questions / secs) * 10) / 10 : null,
      dims: batch.dims,
      tokens_per_question: st.questions > 0 ? Math.round((st.tokens / st.questions) * 10) / 10 : null,
      padding: st.padded > 0 ? Math.round((1 - st.tokens / st.padded) * 1000) / 1000 : null,
    });
  },
};

/** Validates the folder (a sentence when it is not a model) and starts the job, or resumes the unfinished one with the same settings. */
export function startEmbed(runner: JobRunner, input: EmbedInput): { jobId: number; resumed: boolean; model: string } {
  const p = embedParams.parse(input);
  const model = resolveEmbedModel(p.modelDir, p.dtype, p.maxLength);
  return { ...runner.startOrResume(EMBED_KIND, { ...p, modelDir: model.dir }), model: model.key };
}

/** The model identity of a folder (used by the recipe's cluster domains). */
export function embedModelKey(project: Project, dir: string, dtype: 'fp32' | 'q8' = 'fp32', maxLength = 128): string {
  const m = resolveEmbedModel(dir, dtype, maxLength);
  upsertModel(project.db, m);
  return m.key;
}

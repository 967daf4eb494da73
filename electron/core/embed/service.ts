import { poolSize } from '../pool/questions';
import type { JobProgress, JobRunner } from '../jobs';
import { UserError } from '../util/errors';
import { ensureClusters, type ClusterLabelWriter } from './clusters';
import { embeddableDir, type ConvertReport } from './convert';
import { startEmbed } from './job';
import { readSpec } from './model';
import { missingCount } from './store';

export interface EmbedRunOptions {
  /** An ONNX embedding folder, or a sentence-transformers folder (converted into the project's artifacts/models/ first). */
  modelDir: string;
  dtype?: 'fp32' | 'q8';
  /** Tokens per question; default: the model's own max_seq_length when the folder says it, else 128. */
  maxLength?: number;
  batchSize?: number;
  threads?: number | null;
  k?: number;
  seed?: number;
}

export interface EmbedRunHooks {
  /** Called before a conversion starts (it takes a while): the CLI says so on stderr. */
  onConvert?: (src: string, out: string) => void;
  onStarted?: (jobId: number, resumed: boolean) => void;
  onProgress?: (p: JobProgress) => void;
}

export interface EmbedRunResult {
  questions: number;
  embedded: number;
  model: string;
  identity: string;
  dtype: 'fp32' | 'q8';
  maxLength: number;
  job: { id: number; status: string; resumed: boolean; questions_per_s: number | null };
  converted: ConvertReport | null;
  k: number;
  seed: number;
  clusters: { id: number; size: number }[];
}

/**
 * Embeds the pool with the durable `embed` job (the record the Curate step shows), then clusters the vectors with
 * k-means (k, seed) and stores the labels curation reads (with `writeLabels`: curate/taxonomy.ts `replaceClusterLabels`).
 * A sentence-transformers folder is converted first.
 */
export async function embedAndCluster(runner: JobRunner, o: EmbedRunOptions, writeLabels: ClusterLabelWriter, hooks: EmbedRunHooks = {}): Promise<EmbedRunResult> {
  const project = runner.project;
  const pool = poolSize(project.db);
  if (pool === 0) throw new UserError(`The project ${project.dir} has no pool questions to embed; import questions first ("distillery import").`, 'embed_empty_pool');
  const k = o.k ?? 20;
  if (k > pool) throw new UserError(`--k ${k} asks for more clusters than the ${pool} pool questions; choose a k of at most ${pool}.`, 'embed_bad_setting');
  const { converted, dir } = await embeddableDir(project, o.modelDir, {
    onStart: (src, out) => hooks.onConvert?.(src, out),
  });
  const maxLength = o.maxLength ?? readSpec(dir)?.maxSeqLength ?? 128;
  const started = startEmbed(runner, { modelDir: dir, dtype: o.dtype ?? 'fp32', maxLength, batchSize: o.batchSize, threads: o.threads ?? null });
  hooks.onStarted?.(started.jobId, started.resumed);
  let rate: number | null = null;
  const off = runner.onProgress((p) => {
    if (p.jobId !== started.jobId) return;
    if (typeof p.extra.questions_per_s === 'number') rate = p.extra.questions_per_s;
    hooks.onProgress?.(p);
  });
  const job = await runner.wait(started.jobId).finally(off);
  if (job.status !== 'done') {
    throw new UserError(`The embedding job ${started.jobId} ended ${job.status}${job.error ? `: ${job.error}` : ''}; run the same command again to resume it.`, 'embed_job_failed');
  }
  const seed = o.seed ?? 0;
  const info = await ensureClusters(project, { model: started.model, k, seed }, writeLabels);
  return {
    questions: pool,
    embedded: pool - missingCount(project.db, started.model),
    model: dir,
    identity: started.model,
    dtype: o.dtype ?? 'fp32',
    maxLength,
    job: { id: started.jobId, status: job.status, resumed: started.resumed, questions_per_s: rate },
    converted,
    k,
    seed,
    clusters: info.sizes.map((size, i) => ({ id: i + 1, size })),
  };
}

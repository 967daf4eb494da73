import type * as Transformers from '@huggingface/transformers';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner, type JobProgress } from '../jobs';
import { createSampleProject } from '../sample';
import type { Project } from '../store/project';
import { isUserError } from '../util/errors';
import { ensureClustersSync } from './clusters';
import { Embedder } from './embedder';
import { embedKind, startEmbed } from './job';
import { resolveEmbedModel } from './model';
import { listModels, loadVectors, missingCount } from './store';
import { embedTestModel, hasPython } from './testing';
import { curate } from '../curate/pipeline';
import { s1Recipe } from '../curate/recipe';
import { replaceClusterLabels } from '../curate/taxonomy';
import { explain, runAndStore } from '../curate/runs';

const POOL = 96; // questions left in the pool (the rest of the sample project is excluded, to keep CPU time small)
let tmp: string;
let project: Project;
let modelDir: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-embed-'));
  project = createSampleProject(path.join(tmp, 'p'));
  project.db.prepare("UPDATE questions SET excluded = 1, exclude_reason = 'test' WHERE id > ?").run(POOL);
  modelDir = embedTestModel();
}, 900_000);

afterAll(() => {
  project?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const sentence = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(isUserError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
};

describe.skipIf(!hasPython())('embeddings in the app (transformers.js in a worker thread)', () => {
  it('refuses a folder that is not an embedding model, in a sentence', async () => {
    expect(sentence(() => resolveEmbedModel(path.join(tmp, 'nope')))).toMatch(/nope does not exist; choose the folder of a sentence-embedding model/);
    const half = path.join(tmp, 'half');
    fs.mkdirSync(path.join(half, 'onnx'), { recursive: true });
    fs.copyFileSync(path.join(modelDir, 'config.json'), path.join(half, 'config.json'));
    expect(sentence(() => resolveEmbedModel(half))).toMatch(/has no tokenizer\.json/);
    fs.copyFileSync(path.join(modelDir, 'tokenizer.json'), path.join(half, 'tokenizer.json'));
    expect(sentence(() => resolveEmbedModel(half))).toMatch(/has no onnx\/model\.onnx \(precision "fp32"\)/);
    fs.writeFileSync(path.join(half, 'onnx', 'model_quantized.onnx'), 'not an onnx file');
    expect(sentence(() => resolveEmbedModel(half))).toMatch(/It has onnx\/model_quantized\.onnx: choose the precision "q8"/);
    const runner = new JobRunner(project).register(embedKind);
    expect(sentence(() => startEmbed(runner, { modelDir: path.join(tmp, 'nope') }))).toMatch(/does not exist/);
    // A file that is not a model fails when the worker loads it: still a sentence naming the folder.
    const e = new Embedder(resolveEmbedModel(half, 'q8'), { threads: 1 });
    await expect(e.start()).rejects.toThrow(/The embedding model in .*half could not be loaded \(.*\); choose the folder/);
    await e.close();
  }, 120_000);

  it('embeds every pool question (mean pooling, normalised), stored per model; the same vector as a direct call', async () => {
    const runner = new JobRunner(project, { emitEveryMs: 0 }).register(embedKind);
    const events: JobProgress[] = [];
    runner.onProgress((p) => events.push(p));
    const { jobId, model } = startEmbed(runner, { modelDir, batchSize: 16, threads: 2 });
    const job = await runner.wait(jobId);
    expect(job).toMatchObject({ status: 'done', total: POOL / 16, done: POOL / 16, failed: 0 });
    expect(missingCount(project.db, model)).toBe(0);
    const v = loadVectors(project.db, model);
    expect(v.ids).toHaveLength(POOL);
    expect(v.dims).toBe(384);
    for (let i = 0; i < POOL; i++) expect(Math.hypot(...v.data.subarray(i * 384, (i + 1) * 384))).toBeCloseTo(1, 4);
    const last = events.filter((e) => e.jobId === jobId && e.extra.questions_per_s !== undefined).at(-1);
    expect(last?.extra.questions).toBe(POOL);
    expect(Number(last?.extra.questions_per_s)).toBeGreaterThan(0);

    // A direct call on two of the questions (another batch, other padding) gives the same vectors.
    const texts = project.db.prepare('SELECT id, question FROM questions WHERE id IN (3, 40) ORDER BY id').all() as { id: number; question: string }[];
    const e = new Embedder(resolveEmbedModel(modelDir), { threads: 2 });
    const direct = await e.embed(texts.map((t) => t.question));
    await e.close();
    texts.forEach((t, j) => {
      const i = v.ids.indexOf(t.id);
      const stored = v.data.subarray(i * 384, (i + 1) * 384);
      let cos = 0;
      for (let d = 0; d < 384; d++) cos += (stored[d] as number) * (direct.vectors[j]![d] as number);
      expect(cos).toBeGreaterThan(0.9999);
    });
    // The same numbers as transformers.js's own feature-extraction pipeline with mean pooling and normalisation
    // (the engine pools in its worker with its own loop), texts of different lengths in one padded batch.
    const { pathToFileURL } = await import('node:url');
    const T = (await import(pathToFileURL(path.join(process.cwd(), 'node_modules/@huggingface/transformers/dist/transformers.node.mjs')).href)) as typeof Transformers;
    T.env.allowRemoteModels = false;
    T.env.localModelPath = '';
    const ref = await T.pipeline('feature-extraction', modelDir, { dtype: 'fp32', local_files_only: true });
    const mixed = ['A short one.', texts[0]!.question, `${texts[1]!.question} ${texts[1]!.question}`];
    const want = (await ref(mixed, { pooling: 'mean', normalize: true })).tolist() as number[][];
    const e2 = new Embedder(resolveEmbedModel(modelDir), { threads: 1 });
    const got = await e2.embed(mixed);
    await e2.close();
    await ref.dispose();
    want.forEach((w, j) => w.forEach((x, d) => expect(got.vectors[j]![d]).toBeCloseTo(x, 5)));
    // Different questions, different vectors.
    let cos01 = 0;
    for (let d = 0; d < 384; d++) cos01 += (v.data[d] as number) * (v.data[384 + d] as number);
    expect(cos01).toBeLessThan(0.9999);

    // Nothing left to do for the same model: the next job plans no batch.
    const again = startEmbed(runner, { modelDir, batchSize: 16, threads: 2 });
    expect((await runner.wait(again.jobId)).total).toBe(0);
  }, 600_000);

  it('a new model identity recomputes; a paused job resumes with the batches it had not committed', async () => {
    const runner = new JobRunner(project, { emitEveryMs: 0 }).register(embedKind);
    const { jobId, model } = startEmbed(runner, { modelDir, dtype: 'q8', batchSize: 8, threads: 2 });
    expect(listModels(project.db).map((m) => m.key)).toContain(model);
    expect(missingCount(project.db, model)).toBe(POOL); // the fp32 vectors do not count for the q8 model
    await new Promise<void>((resolve) => {
      const off = runner.onProgress((p) => {
        if (p.jobId === jobId && p.done >= 2) {
          off();
          runner.pause(jobId);
          resolve();
        }
      });
    });
    const paused = await runner.wait(jobId);
    expect(paused.status).toBe('paused');
    expect(paused.done).toBeLessThan(POOL / 8);
    const committed = POOL - missingCount(project.db, model);
    expect(committed).toBe(paused.done * 8);

    // Resume in a fresh runner (as after a restart): same job, remaining batches only.
    const runner2 = new JobRunner(project).register(embedKind);
    const resumed = startEmbed(runner2, { modelDir, dtype: 'q8', batchSize: 8, threads: 2 });
    expect(resumed).toMatchObject({ jobId, resumed: true });
    const done = await runner2.wait(jobId);
    expect(done).toMatchObject({ status: 'done', done: POOL / 8, failed: 0 });
    expect(missingCount(project.db, model)).toBe(0);
    const attempts = project.db.prepare("SELECT MAX(attempts) FROM job_items WHERE job_id = ? AND status = 'done'").pluck().get(jobId) as number;
    expect(attempts).toBe(1);
  }, 600_000);

  it('clusters the stored vectors deterministically and reuses them while the vectors are unchanged', () => {
    const model = resolveEmbedModel(modelDir).key;
    const a = ensureClustersSync(project, { model, k: 4, seed: 1 }, replaceClusterLabels);
    expect(a.cached).toBe(false);
    expect(a.points).toBe(POOL);
    expect(a.sizes.reduce((x, y) => x + y, 0)).toBe(POOL);
    const labels = project.db.prepare('SELECT question_id, label FROM domain_labels WHERE taxonomy = ? ORDER BY question_id').all(a.taxonomy) as { question_id: number; label: string }[];
    expect(labels).toHaveLength(POOL);
    expect(new Set(labels.map((l) => l.label))).toEqual(new Set(['cluster 1 of 4', 'cluster 2 of 4', 'cluster 3 of 4', 'cluster 4 of 4']));
    const b = ensureClustersSync(project, { model, k: 4, seed: 1 }, replaceClusterLabels);
    expect(b.cached).toBe(true);
    // Recomputed from scratch: the same labels.
    project.db.prepare('DELETE FROM embedding_clusters').run();
    const c = ensureClustersSync(project, { model, k: 4, seed: 1 }, replaceClusterLabels);
    expect(c.cached).toBe(false);
    expect(project.db.prepare('SELECT question_id, label FROM domain_labels WHERE taxonomy = ? ORDER BY question_id').all(a.taxonomy)).toEqual(labels);
    expect(() => ensureClustersSync(project, { model, k: POOL + 1, seed: 1 }, replaceClusterLabels)).toThrow(/fewer than the 97 clusters/);
  });

  it('the recipe takes its domains from the clusters ("cluster 3 of 6"), reproducibly', () => {
    const recipe = s1Recipe({ seed: 3, target: 30, quality: { enabled: false }, difficulty: { enabled: false }, diversity: { domains: 'clusters', clusters: { modelDir, k: 6, seed: 2 } } });
    const a = curate(project, recipe);
    expect(a.clusters).toMatchObject({ k: 6, seed: 2, points: POOL, missing: 0 });
    const before = Object.keys(a.domains.before);
    expect(before.every((d) => /^cluster [1-6] of 6$/.test(d))).toBe(true);
    expect(Object.values(a.domains.before).reduce((x, y) => x + y, 0)).toBe(POOL);
    expect(a.selected).toBe(30);
    expect(Object.keys(a.domains.after).length).toBeGreaterThanOrEqual(4);
    const kept = a.decisions.filter((d) => d.kept);
    expect(kept.every((d) => d.stage === 'diversity' && /^cluster [1-6] of 6$/.test(String(d.domain)) && d.detail.domain === d.domain)).toBe(true);
    expect(curate(project, recipe).selection).toEqual(a.selection);
    // Another k-means seed gives other clusters; another k, other labels.
    expect(Object.keys(curate(project, { ...recipe, diversity: { ...recipe.diversity, clusters: { ...recipe.diversity.clusters, k: 3 } } }).domains.before).sort()).toEqual(['cluster 1 of 3', 'cluster 2 of 3', 'cluster 3 of 3']);

    // Stored run: the explanation names the cluster.
    const { runId } = runAndStore(project, recipe);
    const q = a.selection[0] as number;
    expect(explain(project, q, runId).decision).toMatchObject({ kept: true, domain: a.decisions.find((d) => d.questionId === q)?.domain });

    // A question without a vector is in "not embedded", with a note; no model folder: a note, no error.
    project.db.prepare('UPDATE questions SET excluded = 0 WHERE id = ?').run(POOL + 1);
    const b = curate(project, recipe);
    expect(b.domains.before['not embedded']).toBe(1);
    expect(b.notes.join(' ')).toMatch(/1 questions have no embedding of this model yet/);
    project.db.prepare('UPDATE questions SET excluded = 1 WHERE id = ?').run(POOL + 1);
    const none = curate(project, { ...recipe, diversity: { ...recipe.diversity, clusters: { ...recipe.diversity.clusters, modelDir: null } } });
    expect(none.notes.join(' ')).toMatch(/no embedding model folder is chosen/);
    expect(none.domains.before).toEqual({ 'not embedded': POOL });
  });
});

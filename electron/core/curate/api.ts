import { z } from 'zod';
import { projectProcedure, router } from '../api/trpc';
import { LABEL_KIND, labelParams, labelsFromColumn } from './label';
import { curate } from './pipeline';
import { parseRecipe, recipeSchema } from './recipe';
import { compareRuns, explain, freezeRun, listOverrides, listRuns, runAndStore, runDecisions, runDetail, setOverride } from './runs';
import { getTaxonomy, listTaxonomies, parseTaxonomyText, replaceClusterLabels, setTaxonomy } from './taxonomy';
import { embedModelKey, embedParams, startEmbed } from '../embed/job';
import { ensureClusters } from '../embed/clusters';
import { listModels, missingCount } from '../embed/store';
import { convertForProject } from '../embed/convert';
import { isUserError } from '../util/errors';
import { poolSize } from '../pool/questions';
import type { Project } from '../store/project';
import { difficultyFilterStatus, filterParams, startDifficultyFilter } from './filter';
import type { Recipe } from './recipe';
import { PRESET_IDS } from './recipe';
import { presetRecipe } from './presets';

const runId = z.number().int().positive();
const qid = z.number().int().positive();

/** Without the per-question decisions: the preview must stay small enough to send on every knob move. */
function previewOf(r: ReturnType<typeof curate>, sample: number) {
  const { decisions, ...rest } = r;
  const rules: Record<string, number> = {};
  for (const d of decisions) if (!d.kept) rules[`${d.stage}:${d.rule}`] = (rules[`${d.stage}:${d.rule}`] ?? 0) + 1;
  return { ...rest, selection: r.selection.slice(0, sample), dropped: rules };
}

/**
 * Embedding clusters are computed here, off the request's critical path (k-means yields between iterations),
 * so that `curate()` finds them stored. No vectors yet: curate() says so in a note.
 */
async function prepareClusters(project: Project, r: Recipe): Promise<void> {
  const c = r.diversity.clusters;
  if (!r.diversity.enabled || r.diversity.domains !== 'clusters' || !c.modelDir) return;
  try {
    await ensureClusters(project, { model: embedModelKey(project, c.modelDir, c.dtype, c.maxLength), k: c.k, seed: c.seed }, replaceClusterLabels);
  } catch (e) {
    if (!isUserError(e) || e.code !== 'clusters_no_vectors') throw e;
  }
}

const embedTarget = z.object({ modelDir: z.string().trim().min(1), dtype: z.enum(['fp32', 'q8']).default('fp32'), maxLength: z.number().int().min(8).max(8192).default(128) });

export const curateRouter = router({
  /** The funnel, distributions and selection of a recipe, computed live and not stored. */
  preview: projectProcedure
    .input(z.object({ recipe: recipeSchema.optional(), sample: z.number().int().min(0).max(100_000).default(200) }))
    .query(async ({ ctx, input }) => {
      const recipe = parseRecipe(input.recipe ?? {});
      await prepareClusters(ctx.project, recipe);
      return previewOf(curate(ctx.project, recipe), input.sample);
    }),
  defaults: projectProcedure.query(() => parseRecipe({})),
  /** A published recipe (s1, LIMO, Light-R1) for the given models; the UI lays it into the knobs, still editable. */
  preset: projectProcedure
    .input(z.object({ id: z.enum(PRESET_IDS), models: z.array(z.string().trim().min(1)).max(8).default([]), keep: z.object({ teacher: z.string().nullable(), studentDir: z.string().nullable(), seed: z.number().int() }).partial().optional() }))
    .query(({ input }) => presetRecipe(input.id, input.models, input.keep ?? {})),
  /** Runs a recipe and stores it (recipe, funnel, distributions, every decision). */
  run: projectProcedure.input(z.object({ recipe: recipeSchema.optional() })).mutation(async ({ ctx, input }) => {
    await prepareClusters(ctx.project, parseRecipe(input.recipe ?? {}));
    const { runId: id, result } = runAndStore(ctx.project, input.recipe ?? {});
    return { runId: id, ...previewOf(result, 0) };
  }),
  runs: projectProcedure.query(({ ctx }) => listRuns(ctx.project)),
  detail: projectProcedure.input(z.object({ runId })).query(({ ctx, input }) => runDetail(ctx.project, input.runId)),
  decisions: projectProcedure
    .input(
      z.object({
        runId,
        kept: z.boolean().optional(),
        stage: z.string().max(40).optional(),
        rule: z.string().max(200).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      }),
    )
    .query(({ ctx, input }) => runDecisions(ctx.project, input.runId, input)),
  compare: projectProcedure.input(z.object({ a: runId, b: runId })).query(({ ctx, input }) => compareRuns(ctx.project, input.a, input.b)),
  freeze: projectProcedure.input(z.object({ runId: runId.optional() })).mutation(({ ctx, input }) => freezeRun(ctx.project, input.runId)),
  explain: projectProcedure.input(z.object({ questionId: qid, runId: runId.optional() })).query(({ ctx, input }) => explain(ctx.project, input.questionId, input.runId)),
  overrides: projectProcedure.query(({ ctx }) => listOverrides(ctx.project)),
  pin: projectProcedure.input(z.object({ questionId: qid, note: z.string().max(2000).optional() })).mutation(({ ctx, input }) => {
    setOverride(ctx.project, input.questionId, 'pin', input.note);
    return null;
  }),
  exclude: projectProcedure.input(z.object({ questionId: qid, note: z.string().max(2000).optional() })).mutation(({ ctx, input }) => {
    setOverride(ctx.project, input.questionId, 'exclude', input.note);
    return null;
  }),
  clearOverride: projectProcedure.input(z.object({ questionId: qid })).mutation(({ ctx, input }) => {
    setOverride(ctx.project, input.questionId, 'clear');
    return null;
  }),
  taxonomies: projectProcedure.query(({ ctx }) => listTaxonomies(ctx.project.db)),
  taxonomy: projectProcedure.input(z.object({ name: z.string().min(1).optional() })).query(({ ctx, input }) => getTaxonomy(ctx.project.db, input.name)),
  /** Saves a user taxonomy: entries, or the text of a file (JSON array, {code: title} object, or "code: title" lines). */
  setTaxonomy: projectProcedure
    .input(z.union([z.object({ name: z.string(), entries: z.array(z.object({ code: z.string(), title: z.string(), subjects: z.array(z.string()).optional() })) }), z.object({ name: z.string(), text: z.string().max(2_000_000) })]))
    .mutation(({ ctx, input }) => setTaxonomy(ctx.project.db, 'text' in input ? parseTaxonomyText(input.name, input.text) : input)),
  labelsFromColumn: projectProcedure.input(z.object({ taxonomy: z.string().min(1) })).mutation(({ ctx, input }) => ({ labelled: labelsFromColumn(ctx.project.db, input.taxonomy) })),
  /** Starts the durable labelling job (a teacher picks one class per question). */
  label: projectProcedure.input(labelParams).mutation(({ ctx, input }) => ({ jobId: ctx.runner.start(LABEL_KIND, input) })),

  /** Embedding models used in this project, with how many pool questions each has embedded. */
  embedModels: projectProcedure.query(({ ctx }) => listModels(ctx.project.db)),
  /** How far a model folder is: a sentence when the folder is not an embedding model. */
  embedStatus: projectProcedure.input(embedTarget).query(({ ctx, input }) => {
    const model = embedModelKey(ctx.project, input.modelDir, input.dtype, input.maxLength);
    const pool = poolSize(ctx.project.db);
    const missing = missingCount(ctx.project.db, model);
    return { model, pool, embedded: pool - missing, missing };
  }),
  /** Converts a sentence-transformers folder into the project's artifacts/models/ (ONNX, checked against sentence-transformers). */
  embedConvert: projectProcedure.input(z.object({ modelDir: z.string().trim().min(1) })).mutation(({ ctx, input }) => convertForProject(ctx.project, input.modelDir)),
  /** Starts the durable embedding job (or resumes the unfinished one with the same settings). */
  embed: projectProcedure.input(embedParams).mutation(({ ctx, input }) => startEmbed(ctx.runner, input)),
  /** Runs k-means now (k, seed) over a model's vectors and stores the labels; later previews read them. */
  cluster: projectProcedure
    .input(embedTarget.extend({ k: z.number().int().min(2).max(10_000), seed: z.number().int().min(0).max(2 ** 32 - 1).default(0) }))
    .mutation(({ ctx, input }) => ensureClusters(ctx.project, { model: embedModelKey(ctx.project, input.modelDir, input.dtype, input.maxLength), k: input.k, seed: input.seed }, replaceClusterLabels)),
  /** s1's difficulty filter in one click: generate with each filter model (k samples), then check the answers. */
  difficultyFilter: projectProcedure.input(filterParams).mutation(({ ctx, input }) => startDifficultyFilter(ctx.runner, input)),
  difficultyFilterStatus: projectProcedure.query(({ ctx }) => difficultyFilterStatus(ctx.runner)),
});

import { z } from 'zod';
import { projectProcedure, router } from '../api/trpc';
import { LABEL_KIND, labelParams, labelsFromColumn } from './label';
import { curate } from './pipeline';
import { parseRecipe, recipeSchema } from './recipe';
import { compareRuns, explain, freezeRun, listOverrides, listRuns, runAndStore, runDecisions, runDetail, setOverride } from './runs';
import { getTaxonomy, listTaxonomies, parseTaxonomyText, setTaxonomy } from './taxonomy';

const runId = z.number().int().positive();
const qid = z.number().int().positive();

/** Without the per-question decisions: the preview must stay small enough to send on every knob move. */
function previewOf(r: ReturnType<typeof curate>, sample: number) {
  const { decisions, ...rest } = r;
  const rules: Record<string, number> = {};
  for (const d of decisions) if (!d.kept) rules[`${d.stage}:${d.rule}`] = (rules[`${d.stage}:${d.rule}`] ?? 0) + 1;
  return { ...rest, selection: r.selection.slice(0, sample), dropped: rules };
}

export const curateRouter = router({
  /** The funnel, distributions and selection of a recipe, computed live and not stored. */
  preview: projectProcedure
    .input(z.object({ recipe: recipeSchema.optional(), sample: z.number().int().min(0).max(100_000).default(200) }))
    .query(({ ctx, input }) => previewOf(curate(ctx.project, parseRecipe(input.recipe ?? {})), input.sample)),
  defaults: projectProcedure.query(() => parseRecipe({})),
  /** Runs a recipe and stores it (recipe, funnel, distributions, every decision). */
  run: projectProcedure.input(z.object({ recipe: recipeSchema.optional() })).mutation(({ ctx, input }) => {
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
});

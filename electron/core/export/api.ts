import { z } from 'zod';
import { projectProcedure, router } from '../api/trpc';
import { exportDataset, exportPreview, DEFAULT_SEED, DEFAULT_VAL } from './export';
import { EXPORT_FORMATS } from './formats';

const include = z.enum(['accepted', 'all']).default('accepted');
const scope = z.enum(['selection', 'pool']).optional();
const val = z.number().min(0).lt(1).default(DEFAULT_VAL);
const seed = z.number().int().default(DEFAULT_SEED);

export const exportRouter = router({
  /** Sample counts and lengths of an export, without writing it. */
  preview: projectProcedure
    .input(z.object({ include, scope, val, seed }).default({ include: 'accepted', val: DEFAULT_VAL, seed: DEFAULT_SEED }))
    .query(({ ctx, input }) => exportPreview(ctx.project, input.include, input.scope, input.val, input.seed)),
  /** Writes the export (data files, dataset card README.md, export.json) and returns where. */
  run: projectProcedure
    .input(
      z.object({
        format: z.enum(EXPORT_FORMATS),
        out: z.string().trim().min(1).optional(),
        include,
        scope,
        val,
        seed,
        reasoningField: z.boolean().default(false),
        systemPrompt: z.string().max(20_000).nullish(),
        allowEmptyThinking: z.boolean().default(false),
      }),
    )
    .mutation(({ ctx, input }) => exportDataset(ctx.project, input)),
});

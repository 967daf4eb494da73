import { z } from 'zod';
import { projectProcedure, router } from '../api/trpc';
import { withFullSync } from '../store/project';
import { criterionSchema } from './rubric';
import { verdictSummary, verdictsFor } from './store';
import { recheckTrace, verifyParams } from './job';
import { calibration, listRubrics, markTrace, rubricVerdicts, saveRubric } from './rubrics';
import { RUBRIC_KIND, rubricJudgeParams } from './rubric-job';

const rubricName = z.string().trim().min(1).max(100);

/** Rubrics, their judge runs, the user's calibration marks and the agreement figures (Traces step, `distillery rubric`). */
const rubricRouter = router({
  list: projectProcedure.query(({ ctx }) => listRubrics(ctx.project.db)),
  save: projectProcedure
    .input(z.object({ name: rubricName, criteria: z.array(criterionSchema).max(30), threshold: z.number().min(0).max(1) }))
    .mutation(({ ctx, input }) => withFullSync(ctx.project.db, () => saveRubric(ctx.project.db, input.name, { criteria: input.criteria, threshold: input.threshold }))),
  judge: projectProcedure.input(rubricJudgeParams).mutation(({ ctx, input }) => ({ jobId: ctx.runner.start(RUBRIC_KIND, input) })),
  verdicts: projectProcedure
    .input(z.object({ name: rubricName, judge: z.string().optional(), limit: z.number().int().min(1).max(500).default(100), offset: z.number().int().min(0).default(0) }))
    .query(({ ctx, input }) => rubricVerdicts(ctx.project.db, input.name, input)),
  mark: projectProcedure
    .input(z.object({ name: rubricName, traceId: z.number().int().positive(), passed: z.boolean().nullable() }))
    .mutation(({ ctx, input }) => {
      withFullSync(ctx.project.db, () => markTrace(ctx.project.db, input.name, input.traceId, input.passed));
      return { traceId: input.traceId, passed: input.passed };
    }),
  calibration: projectProcedure.input(z.object({ name: rubricName })).query(({ ctx, input }) => calibration(ctx.project.db, input.name)),
});

export const verificationRouter = router({
  /** Starts the verification job; progress arrives on jobs.progress. */
  run: projectProcedure.input(verifyParams.partial().optional()).mutation(({ ctx, input }) => ({ jobId: ctx.runner.start('verify', input ?? {}) })),
  summary: projectProcedure.query(({ ctx }) => verdictSummary(ctx.project.db)),
  forTraces: projectProcedure
    .input(z.object({ traceIds: z.array(z.number().int().positive()).max(2000) }))
    .query(({ ctx, input }) => [...verdictsFor(ctx.project.db, input.traceIds).values()]),
  recheck: projectProcedure.input(z.object({ traceId: z.number().int().positive() })).mutation(({ ctx, input }) => recheckTrace(ctx.project, input.traceId)),
  rubric: rubricRouter,
});

import { z } from 'zod';
import { projectProcedure, router } from '../api/trpc';
import { verdictSummary, verdictsFor } from './store';
import { recheckTrace, verifyParams } from './job';

export const verificationRouter = router({
  /** Starts the verification job; progress arrives on jobs.progress. */
  run: projectProcedure.input(verifyParams.partial().optional()).mutation(({ ctx, input }) => ({ jobId: ctx.runner.start('verify', input ?? {}) })),
  summary: projectProcedure.query(({ ctx }) => verdictSummary(ctx.project.db)),
  forTraces: projectProcedure
    .input(z.object({ traceIds: z.array(z.number().int().positive()).max(2000) }))
    .query(({ ctx, input }) => [...verdictsFor(ctx.project.db, input.traceIds).values()]),
  recheck: projectProcedure.input(z.object({ traceId: z.number().int().positive() })).mutation(({ ctx, input }) => recheckTrace(ctx.project, input.traceId)),
});

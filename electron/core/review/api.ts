import { z } from 'zod';
import { projectProcedure, router } from '../api/trpc';
import { REVIEW_STATUSES, setStatus, setStatusForQuestions } from './decisions';
import { queueCounts, reviewQueue } from './queue';

const scope = z.enum(['selection', 'pool']).optional();
const status = z.enum(REVIEW_STATUSES);
const ids = z.array(z.number().int().positive()).min(1).max(100_000);
const reviewer = z.string().trim().max(200).nullish();
const comment = z.string().max(10_000).nullish();

export const reviewRouter = router({
  /** The queue over the frozen selection (or the pool), filtered, with "N / M reviewed". */
  queue: projectProcedure
    .input(
      z
        .object({
          scope,
          status: status.optional(),
          domain: z.string().max(200).optional(),
          reviewer: z.string().max(200).optional(),
          search: z.string().max(500).optional(),
          offset: z.number().int().min(0).default(0),
          limit: z.number().int().min(1).max(1000).default(100),
        })
        .default({ offset: 0, limit: 100 }),
    )
    .query(({ ctx, input }) => reviewQueue(ctx.project.db, input)),
  counts: projectProcedure.input(z.object({ scope }).optional()).query(({ ctx, input }) => queueCounts(ctx.project.db, input?.scope)),
  /** Decisions on traces (bulk actions); written with synchronous=FULL. */
  setStatus: projectProcedure
    .input(z.object({ traceIds: ids, status, reviewer, comment }))
    .mutation(({ ctx, input }) => setStatus(ctx.project.db, input.traceIds, input.status, input.reviewer, input.comment)),
  /** The same, addressed by question id (the question's representative trace). */
  setStatusForQuestions: projectProcedure
    .input(z.object({ questionIds: ids, status, reviewer, comment }))
    .mutation(({ ctx, input }) => setStatusForQuestions(ctx.project.db, input.questionIds, input.status, input.reviewer, input.comment)),
});

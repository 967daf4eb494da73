import { z } from 'zod';
import { projectProcedure, router } from '../api/trpc';
import { latestJobId } from '../jobs';
import { AUGMENT_KIND, augmentParams, augmentSummary, variantsOf } from './augment';
import { AUGMENT_KINDS } from './prompts';
import { pseudoLabelsFor, pseudoParams, pseudoSummary, runPseudoLabels } from './pseudo';

const ids = z.object({ ids: z.array(z.number().int().positive()).max(2000) });

/** `augment.*`: augmentation and pseudo-labels (the Questions step's panel, the CLI uses the same functions). */
export const augmentRouter = router({
  kinds: projectProcedure.query(() => [...AUGMENT_KINDS]),
  /** Starts an augmentation job; progress arrives on jobs.progress, outcomes with `outcomes`. */
  start: projectProcedure.input(augmentParams).mutation(({ ctx, input }) => ({ jobId: ctx.runner.start(AUGMENT_KIND, input) })),
  outcomes: projectProcedure.input(z.object({ jobId: z.number().int().positive() })).query(({ ctx, input }) => augmentSummary(ctx.project.db, input.jobId)),
  /** The latest augmentation job, so the panel can show its outcomes after a reload. */
  latest: projectProcedure.query(({ ctx }) => {
    const id = latestJobId(ctx.project.db, AUGMENT_KIND);
    return id === undefined ? null : augmentSummary(ctx.project.db, id);
  }),
  variants: projectProcedure.input(ids).query(({ ctx, input }) => variantsOf(ctx.project.db, input.ids)),
  /**
   * Starts pseudo-labelling: the generation of missing samples first when some are missing, then the labelling job
   * (chained here; running it again resumes the generation). Answers with the first job started.
   */
  pseudoLabel: projectProcedure.input(pseudoParams).mutation(
    ({ ctx, input }) =>
      new Promise<{ kind: string; jobId: number }>((resolve, reject) => {
        let answered = false;
        runPseudoLabels(ctx.runner, input, (kind, jobId) => {
          if (answered) return;
          answered = true;
          resolve({ kind, jobId });
        }).catch((e: unknown) => {
          if (!answered) {
            answered = true;
            reject(e);
          } else console.error('Distillery engine: pseudo-labelling stopped:', e);
        });
      }),
  ),
  pseudoLabels: projectProcedure.input(ids).query(({ ctx, input }) => pseudoLabelsFor(ctx.project.db, input.ids)),
  pseudoSummary: projectProcedure.query(({ ctx }) => pseudoSummary(ctx.project.db)),
});

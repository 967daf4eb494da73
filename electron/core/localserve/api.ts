import { z } from 'zod';
import { publicProcedure, router } from '../api/trpc';

/** Local teachers and students served from a model folder (vLLM where installed, else transformers serve). */
export const localServeRouter = router({
  list: publicProcedure.query(({ ctx }) => ctx.engine.localServers.list()),
  start: publicProcedure
    .input(z.object({ modelDir: z.string().trim().min(1), kind: z.enum(['vllm', 'transformers']).optional(), device: z.enum(['cpu', 'cuda', 'auto']).optional() }))
    .mutation(({ ctx, input }) => ctx.engine.localServers.start(input.modelDir, { kind: input.kind, device: input.device })),
  stop: publicProcedure.input(z.object({ id: z.number().int().positive() })).mutation(({ ctx, input }) => ctx.engine.localServers.stop(input.id)),
  log: publicProcedure.input(z.object({ id: z.number().int().positive() })).query(({ ctx, input }) => ctx.engine.localServers.log(input.id)),
});

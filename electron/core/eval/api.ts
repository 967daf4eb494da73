/**
 * The Evaluate step's API (mounted at `evaluate`; documented in API.md): benchmarks, models, runs with
 * budget forcing as durable jobs, the drill-down, report export and the Playground stream.
 */
import { on, EventEmitter } from 'node:events';
import { z } from 'zod';
import type { JobProgress } from '../jobs';
import { projectProcedure, router } from '../api/trpc';
import { importBenchmark, listBenchmarks, previewBenchmark, removeBenchmark } from './benchmarks';
import { addModelFolder, listModels, removeModelFolder } from './models';
import { putPending, takePending } from './pending';
import { playground } from './playground';
import { exportReport } from './report';
import { cancelRun, pauseRun, removeRun, resumeRun, runCompare, runDetail, runItems, runSummaries, startRun, requireRun } from './runs';
import { itemsInput, playgroundInput, runInput } from './types';

const runId = z.object({ runId: z.string().trim().min(1) });

const benchmarksRouter = router({
  list: projectProcedure.query(({ ctx }) => listBenchmarks(ctx.project)),
  preview: projectProcedure
    .input(z.object({ id: z.string().trim().min(1), offset: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(200).optional() }))
    .query(({ ctx, input }) => previewBenchmark(ctx.project, input.id, input.offset ?? 0, input.limit ?? 20)),
  import: projectProcedure
    .input(z.object({ file: z.string().trim().min(1, 'choose a file'), name: z.string().trim().min(1).max(80).optional(), replace: z.boolean().optional() }))
    .mutation(({ ctx, input }) => importBenchmark(ctx.project, input.file, { name: input.name, replace: input.replace })),
  remove: projectProcedure.input(z.object({ id: z.string().trim().min(1) })).mutation(({ ctx, input }) => {
    removeBenchmark(ctx.project, input.id);
    return null;
  }),
});

const modelsRouter = router({
  list: projectProcedure.query(({ ctx }) => listModels(ctx.project)),
  addFolder: projectProcedure
    .input(z.object({ dir: z.string().trim().min(1, 'choose a model folder'), label: z.string().trim().min(1).max(80).optional() }))
    .mutation(({ ctx, input }) => addModelFolder(ctx.project, input.dir, input.label)),
  removeFolder: projectProcedure.input(z.object({ dir: z.string().trim().min(1) })).mutation(({ ctx, input }) => {
    removeModelFolder(ctx.project, input.dir);
    return null;
  }),
});

const runsRouter = router({
  start: projectProcedure.input(runInput).mutation(({ ctx, input }) => startRun(ctx.project, ctx.runner, input)),
  list: projectProcedure.query(({ ctx }) => runSummaries(ctx.project, ctx.runner)),
  get: projectProcedure.input(runId).query(({ ctx, input }) => runDetail(ctx.project, ctx.runner, input.runId)),
  watch: projectProcedure.input(runId).subscription(async function* ({ ctx, input, signal }) {
    const run = requireRun(ctx.project, input.runId);
    const bus = new EventEmitter();
    const off = ctx.engine.onProgress((p) => {
      // a resumed run gets a new job: follow whichever job the run names now
      const now = requireRun(ctx.project, run.id);
      if (p.jobId === now.job_id) bus.emit('p', p);
    });
    try {
      for await (const [p] of on(bus, 'p', { signal })) yield p as JobProgress;
    } finally {
      off();
    }
  }),
  items: projectProcedure.input(itemsInput).query(({ ctx, input }) => runItems(ctx.project, input)),
  /** Model a against model b on the same questions: A − B per benchmark and budget with its paired interval. */
  compare: projectProcedure
    .input(runId.extend({ a: z.string().trim().min(1), b: z.string().trim().min(1) }))
    .query(({ ctx, input }) => runCompare(ctx.project, input.runId, input.a, input.b)),
  pause: projectProcedure.input(runId).mutation(({ ctx, input }) => {
    pauseRun(ctx.project, ctx.runner, input.runId);
    return null;
  }),
  resume: projectProcedure.input(runId).mutation(({ ctx, input }) => {
    resumeRun(ctx.project, ctx.runner, input.runId);
    return null;
  }),
  cancel: projectProcedure.input(runId).mutation(({ ctx, input }) => {
    cancelRun(ctx.project, ctx.runner, input.runId);
    return null;
  }),
  remove: projectProcedure.input(runId).mutation(async ({ ctx, input }) => {
    await removeRun(ctx.project, ctx.runner, input.runId);
    return null;
  }),
  exportReport: projectProcedure
    .input(runId.extend({ format: z.enum(['html', 'json']), inline: z.boolean().optional() }))
    .mutation(({ ctx, input }) => exportReport(ctx.project, ctx.runner, input.runId, input.format, input.inline ?? false)),
});

const playgroundRouter = router({
  /** Takes the question by POST (it can be long) and answers a short key for `generate`. */
  prepare: projectProcedure.input(playgroundInput).mutation(({ input }) => putPending(input)),
  /** Streams one budget-forced generation (the input itself, or the key `prepare` gave); unsubscribing aborts it. */
  generate: projectProcedure
    .input(z.union([z.object({ key: z.string().regex(/^[0-9a-f]{24}$/) }), playgroundInput]))
    .subscription(async function* ({ ctx, input, signal }) {
      const question = 'key' in input ? takePending(input.key) : input;
      for await (const e of playground(ctx.project, ctx.engine.localServers, question, signal)) yield e;
    }),
});

export const evaluateRouter = router({
  benchmarks: benchmarksRouter,
  models: modelsRouter,
  runs: runsRouter,
  playground: playgroundRouter,
});

import { on } from 'node:events';
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { listFolder } from '../fsbrowse';
import { envFacts } from '../env/facts';
import { checkPythonEnv } from '../env/python';
import { doctorRouter } from '../doctor/api';
import type { JobProgress } from '../jobs';
import { forgetProject, listRecent } from '../store/registry';
import { projectStats } from './stats';
import { appVersion } from '../util/root';
import { poolRouter } from '../pool/api';
import { teacherRouter } from '../teacher/api';
import { verificationRouter } from '../verify/api';
import { localServeRouter } from '../localserve/api';
import { curateRouter } from '../curate/api';
import { exportRouter } from '../export/api';
import { reviewRouter } from '../review/api';
import { trainRouter } from '../train/api';
import { evaluateRouter } from '../eval/api';
import { modelsRouter } from '../models/api';
import { formsRouter } from '../forms/api';
import { docsRouter } from '../docs/api';
import { augmentRouter } from '../augment/api';
import { projectProcedure, publicProcedure, router } from './trpc';

const dirInput = z.object({ dir: z.string().trim().min(1, 'a folder path is required') });
const jobIdInput = z.object({ id: z.number().int().positive() });

const projectRouter = router({
  current: publicProcedure.query(({ ctx }) => ctx.engine.summary()),
  create: publicProcedure
    .input(dirInput.extend({ name: z.string().trim().min(1).max(200).optional() }))
    .mutation(({ ctx, input }) => ctx.engine.create(input.dir, input.name)),
  open: publicProcedure.input(dirInput).mutation(({ ctx, input }) => ctx.engine.open(input.dir)),
  sample: publicProcedure.input(dirInput).mutation(({ ctx, input }) => ctx.engine.createSample(input.dir)),
  close: publicProcedure.mutation(async ({ ctx }) => {
    await ctx.engine.close();
    return null;
  }),
  recent: publicProcedure.query(() => listRecent()),
  forget: publicProcedure.input(dirInput).mutation(({ input }) => forgetProject(input.dir)),
  info: projectProcedure.query(({ ctx }) => ({ name: ctx.project.name, path: ctx.project.dir, ...projectStats(ctx.project.db) })),
});

const fsRouter = router({
  list: publicProcedure
    .input(z.object({ path: z.string().optional(), files: z.boolean().optional(), extensions: z.array(z.string().max(20)).max(20).optional() }))
    .query(({ input }) => listFolder(input.path, { files: input.files, extensions: input.extensions })),
  pickFolder: publicProcedure.mutation(async ({ ctx }) => (ctx.engine.host.pickFolder ? ctx.engine.host.pickFolder() : null)),
});

const jobsRouter = router({
  list: projectProcedure.query(({ ctx }) => ctx.runner.list(50).map((j) => ctx.runner.progress(j.id))),
  get: projectProcedure.input(jobIdInput).query(({ ctx, input }) => ctx.runner.progress(input.id)),
  pause: projectProcedure.input(jobIdInput).mutation(({ ctx, input }) => ctx.runner.pause(input.id)),
  resume: projectProcedure.input(jobIdInput).mutation(({ ctx, input }) => ctx.runner.resume(input.id)),
  cancel: projectProcedure.input(jobIdInput).mutation(({ ctx, input }) => ctx.runner.cancel(input.id)),
  /** Live progress of every job of the open project (all hosts: IPC in Electron, SSE in browser mode). */
  progress: publicProcedure.subscription(async function* ({ ctx, signal }) {
    const bus = new EventEmitter();
    const off = ctx.engine.onProgress((p) => bus.emit('p', p));
    try {
      for await (const [p] of on(bus, 'p', { signal })) yield p as JobProgress;
    } finally {
      off();
    }
  }),
});

export const appRouter = router({
  health: publicProcedure.query(() => ({ ok: true as const })),
  app: router({
    info: publicProcedure.query(({ ctx }) => ({
      version: appVersion(),
      mode: ctx.engine.host.mode,
      nativeFolderPicker: Boolean(ctx.engine.host.pickFolder),
      platform: process.platform,
    })),
  }),
  env: router({
    /** The full check: imports torch and asks it whether CUDA works (5-15 s unless cached); Train runs it itself. */
    check: publicProcedure.input(z.object({ force: z.boolean().optional() }).optional()).query(({ input }) => checkPythonEnv(input?.force ?? false)),
    /** The Environment card's first answer: the preflight's fast facts (nothing imported) and the full check's cached answer, if any. */
    facts: publicProcedure.input(z.object({ force: z.boolean().optional() }).optional()).query(({ input }) => envFacts(input?.force ?? false)),
  }),
  doctor: doctorRouter,
  project: projectRouter,
  fs: fsRouter,
  jobs: jobsRouter,
  pool: poolRouter,
  teacher: teacherRouter,
  verification: verificationRouter,
  localServers: localServeRouter,
  curate: curateRouter,
  export: exportRouter,
  review: reviewRouter,
  train: trainRouter,
  evaluate: evaluateRouter,
  models: modelsRouter,
  forms: formsRouter,
  augment: augmentRouter,
  docs: docsRouter,
});

export type AppRouter = typeof appRouter;

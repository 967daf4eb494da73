import { z } from 'zod';
import { projectProcedure, publicProcedure, router } from '../api/trpc';
import { UserError } from '../util/errors';
import { GENERATE_KIND, startOrResume } from './generate';
import { DEFAULT_PROMPT, generateParams } from './params';
import { PRESETS } from './presets';
import { getPrompting, promptingInput, REASONING_PROMPT, setPrompting } from './prompting';
import { discover, listModels, testTeacher } from './probe';
import { liveTeacher } from './live';
import { getTeacher, listTeachers, normaliseBaseUrl, publicTeacher, removeTeacher, saveGenerationSettings, savedGenerationSettings, saveTeacher, teacherInput } from './store';
import { listTraces, traceCounts, traceRaw } from './traces';
import { secretStoreInfo } from './secrets';

/** Teachers and trace generation API (mounted at `teacher.*`). */
export const teacherRouter = router({
  presets: publicProcedure.query(() => PRESETS),
  /** Where keys are kept; `noKeyring`: the desktop has no keyring and keys are in a file readable only by the user. */
  keyStore: publicProcedure.query(() => secretStoreInfo()),
  discover: publicProcedure.input(z.object({ ports: z.array(z.number().int().min(1).max(65535)).max(32).optional() }).optional()).query(({ input }) => discover({ ports: input?.ports })),
  models: publicProcedure
    .input(z.object({ baseUrl: z.string().url() }))
    .query(async ({ input }) => {
      try {
        return await listModels(normaliseBaseUrl(input.baseUrl), {}, 5_000);
      } catch (e) {
        throw new UserError(`Could not list the models of ${input.baseUrl}: ${(e as Error).message}. Check that the server is running and the URL ends in /v1.`, 'models_failed');
      }
    }),

  list: projectProcedure.query(({ ctx }) => listTeachers(ctx.project.db).map((t) => ({ ...publicTeacher(t), prompting: getPrompting(ctx.project.db, t.name) }))),
  /** The teacher's generation prompt and reasoning mode, with the default prompts in both languages. */
  prompting: projectProcedure
    .input(z.object({ name: z.string() }))
    .query(({ ctx, input }) => ({ ...getPrompting(ctx.project.db, input.name), defaults: { promptTemplate: DEFAULT_PROMPT, reasoningPrompt: REASONING_PROMPT } })),
  setPrompting: projectProcedure.input(promptingInput).mutation(({ ctx, input }) => setPrompting(ctx.project.db, input)),
  get: projectProcedure.input(z.object({ name: z.string() })).query(({ ctx, input }) => publicTeacher(getTeacher(ctx.project.db, input.name))),
  /** Adds or replaces a teacher; an apiKey goes to the key store (safeStorage or the 0600 file), never into the project. */
  save: projectProcedure.input(teacherInput).mutation(({ ctx, input }) => publicTeacher(saveTeacher(ctx.project.db, input))),
  remove: projectProcedure.input(z.object({ name: z.string() })).mutation(({ ctx, input }) => ({ removed: removeTeacher(ctx.project.db, input.name) })),
  test: projectProcedure
    .input(z.object({ name: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const pr = getPrompting(ctx.project.db, input.name);
      // A local teacher is started from its model folder first (the card shows "starting…" meanwhile).
      const t = await liveTeacher(getTeacher(ctx.project.db, input.name), { servers: ctx.engine.localServers });
      return testTeacher(t, { reasoning: { mode: pr.reasoningMode, prompt: pr.reasoningPrompt } });
    }),

  /** Starts a generation job, or resumes the unfinished job with identical settings. Progress comes from the jobs events. */
  generate: projectProcedure.input(generateParams).mutation(({ ctx, input }) => {
    getTeacher(ctx.project.db, input.teacher);
    return startOrResume(ctx.runner, input);
  }),
  lastSettings: projectProcedure.query(({ ctx }) => {
    const s = savedGenerationSettings(ctx.project.db);
    return s ? (JSON.parse(s) as unknown) : null;
  }),
  saveSettings: projectProcedure.input(z.record(z.string(), z.unknown())).mutation(({ ctx, input }) => {
    saveGenerationSettings(ctx.project.db, input);
    return { ok: true };
  }),
  jobs: projectProcedure.query(({ ctx }) => ctx.runner.list(200).filter((j) => j.kind === GENERATE_KIND)),

  traces: projectProcedure
    .input(
      z.object({
        status: z.enum(['done', 'failed']).optional(),
        teacher: z.string().optional(),
        questionId: z.number().int().positive().optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(({ ctx, input }) => listTraces(ctx.project.db, input)),
  traceRaw: projectProcedure.input(z.object({ id: z.number().int().positive() })).query(({ ctx, input }) => ({ raw: traceRaw(ctx.project.db, input.id) })),
  counts: projectProcedure.input(z.object({ teacher: z.string().optional() }).optional()).query(({ ctx, input }) => traceCounts(ctx.project.db, input?.teacher)),
});

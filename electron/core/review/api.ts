import { z } from 'zod';
import { projectProcedure, router } from '../api/trpc';
import { bundleExport, bundleImport } from './bundle';
import { REVIEW_STATUSES, setStatus, setStatusForQuestions } from './decisions';
import { queueCounts, reviewQueue } from './queue';
import { regenerate } from './regenerate';
import { getRevision, listRevisions, saveRevision, undo } from './revisions';
import { getSample } from './sample';
import { getReasons, setReasons, setStudentDir } from './settings';
import { countText, tokenizerInfo } from './tokens';

const scope = z.enum(['selection', 'pool']).optional();
const status = z.enum(REVIEW_STATUSES);
const ids = z.array(z.number().int().positive()).min(1).max(100_000);
const reviewer = z.string().trim().max(200).nullish();
const comment = z.string().max(10_000).nullish();
const traceId = z.number().int().positive();
const author = z.string().trim().min(1).max(200);
const clientId = z.string().trim().min(1).max(100).nullish();
const text = z.string().max(2_000_000);
const reasonList = z.array(z.string().max(200)).max(50);

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
          verdict: z.enum(['correct', 'wrong', 'unchecked']).optional(),
          edited: z.boolean().optional(),
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

  /** One sample for the editor: question, reference, current and original text, head revision, verdict, tokens. */
  sample: projectProcedure.input(z.object({ traceId })).query(({ ctx, input }) => getSample(ctx.project.db, input.traceId)),
  /** Tokens of a text in the student's tokenizer (chars / 4 when the project has none). */
  countTokens: projectProcedure.input(z.object({ text })).query(({ ctx, input }) => countText(ctx.project.db, input.text)),
  tokenizer: projectProcedure.query(({ ctx }) => tokenizerInfo(ctx.project.db)),
  setStudentDir: projectProcedure.input(z.object({ dir: z.string().max(4096).nullable() })).mutation(({ ctx, input }) => {
    setStudentDir(ctx.project.db, input.dir);
    return tokenizerInfo(ctx.project.db);
  }),

  /** Autosave: appends (or folds into this window's head) a revision, synchronous=FULL; conflicts are returned, never overwritten. */
  save: projectProcedure
    .input(z.object({ traceId, baseRevision: z.number().int().min(0), thinking: text, answer: text, author, clientId, kind: z.enum(['edit', 'regenerate']).default('edit') }))
    .mutation(({ ctx, input }) => saveRevision(ctx.project, { ...input, clientId: input.clientId ?? null })),
  /** Saves the text chosen after a conflict (kind 'merge'). */
  resolve: projectProcedure
    .input(z.object({ traceId, baseRevision: z.number().int().min(0), thinking: text, answer: text, author, clientId }))
    .mutation(({ ctx, input }) => saveRevision(ctx.project, { ...input, clientId: input.clientId ?? null, kind: 'merge' })),
  revisions: projectProcedure.input(z.object({ traceId })).query(({ ctx, input }) => listRevisions(ctx.project.db, input.traceId)),
  revision: projectProcedure.input(z.object({ traceId, n: z.number().int().min(0) })).query(({ ctx, input }) => getRevision(ctx.project.db, input.traceId, input.n)),
  undo: projectProcedure.input(z.object({ traceId, author, clientId })).mutation(({ ctx, input }) => undo(ctx.project, input.traceId, input.author, input.clientId ?? null)),

  reasons: projectProcedure.query(({ ctx }) => getReasons(ctx.project.db)),
  setReasons: projectProcedure
    .input(z.object({ reject: reasonList, needsWork: reasonList }))
    .mutation(({ ctx, input }) => setReasons(ctx.project.db, input)),

  /** The teacher continues the thinking from `offset`; a proposal, not saved. */
  regenerate: projectProcedure
    .input(
      z.object({
        traceId,
        offset: z.number().int().min(0),
        teacher: z.string().trim().min(1).max(100).optional(),
        modelDir: z.string().min(1).max(4096).optional(),
        templateDir: z.string().min(1).max(4096).optional(),
        maxTokens: z.number().int().min(1).max(65_536).default(4096),
        temperature: z.number().min(0).max(2).optional(),
        seed: z.number().int().optional(),
      }),
    )
    .mutation(({ ctx, input }) => regenerate(ctx.project, input, () => ctx.engine.localServers.list())),

  /** A subset of samples in one file (JSON lines) for a reviewer on another machine. */
  bundleExport: projectProcedure
    .input(z.object({ out: z.string().min(1).max(4096), traceIds: ids.optional(), questionIds: ids.optional(), scope, overwrite: z.boolean().optional() }))
    .mutation(({ ctx, input }) => bundleExport(ctx.project, input)),
  /** Applies another reviewer's bundle: decisions and edits; conflicts are reported, not applied. */
  bundleImport: projectProcedure.input(z.object({ file: z.string().min(1).max(4096) })).mutation(({ ctx, input }) => bundleImport(ctx.project, input.file)),
});

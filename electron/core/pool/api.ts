import { z } from 'zod';
import { projectProcedure, router } from '../api/trpc';
import { addEvalset, builtinEvalsets, listEvalsets, listFlagged, registerBuiltins, removeEvalset, runDecontamination } from './decontam';
import { applyDedup, includeMember, keepQuestion, listClusters, proposalSummary, proposeDedup, undoDedup, unkeepQuestion } from './dedup';
import { importFile, writeRejectReport } from './importer';
import { facets, getQuestion, importRejects, listImports, queryIds, queryPool, setDomain, setExcluded } from './query';
import { FORMATS } from './readers';
import { codedRows } from './row-reason';
import { MAP_FIELDS, SHAPES } from './shapes';

const fileInput = z.object({
  file: z.string().trim().min(1, 'a file path is required'),
  format: z.enum(['auto', ...FORMATS]).default('auto'),
  shape: z.enum(['auto', ...SHAPES]).default('auto'),
  mapping: z.partialRecord(z.enum(MAP_FIELDS as [string, ...string[]]), z.string().min(1)).default({}),
});

const filter = z.object({
  search: z.string().max(500).optional(),
  domains: z.array(z.string()).max(500).optional(),
  sources: z.array(z.string()).max(500).optional(),
  status: z.enum(['all', 'included', 'excluded', 'duplicate', 'contaminated']).optional(),
  hasTrace: z.boolean().optional(),
  importId: z.number().int().positive().optional(),
});
const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(100) };
const ids = z.array(z.number().int().positive()).min(1).max(200_000);
const idInput = z.object({ id: z.number().int().positive() });

/** The question pool's API (import, mapping preview, browsing, bulk edits, dedup, decontamination). */
export const poolRouter = router({
  /** Reads and maps the whole file without writing: counts, first rows as stored, rejected rows. */
  preview: projectProcedure
    .input(fileInput.extend({ rows: z.number().int().min(0).max(200).default(20) }))
    .mutation(async ({ ctx, input }) => {
      const r = await importFile(ctx.project, input.file, { format: input.format, shape: input.shape, mapping: input.mapping, dryRun: true, previewRows: input.rows });
      return { ...r, rejected: codedRows(r.rejected), duplicateRows: r.duplicateRows.slice(0, 1000), rejectedTotal: r.rejected.length };
    }),
  import: projectProcedure
    .input(fileInput.extend({ source: z.string().trim().min(1).max(200).optional(), report: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      const r = await importFile(ctx.project, input.file, { format: input.format, shape: input.shape, mapping: input.mapping, source: input.source });
      const report = input.report && r.importId !== null && r.rejected.length + r.duplicates > 0 ? writeRejectReport(ctx.project, r.importId).path : null;
      return {
        importId: r.importId,
        format: r.format,
        shape: r.shape,
        mapping: r.mapping,
        read: r.read,
        imported: r.imported,
        duplicates: r.duplicates,
        traces: r.traces,
        rejected: codedRows(r.rejected),
        rejectedTotal: r.rejected.length,
        report,
      };
    }),
  imports: projectProcedure.query(({ ctx }) => listImports(ctx.project)),
  rejects: projectProcedure
    .input(z.object({ importId: z.number().int().positive(), kind: z.enum(['rejected', 'duplicate', 'all']).default('all'), ...page }))
    .query(({ ctx, input }) => importRejects(ctx.project, input.importId, input.kind, input.offset, input.limit)),
  saveRejectReport: projectProcedure.input(z.object({ importId: z.number().int().positive() })).mutation(({ ctx, input }) => writeRejectReport(ctx.project, input.importId)),

  list: projectProcedure
    .input(filter.extend({ sort: z.enum(['id', 'length', 'domain', 'source', 'created_at']).default('id'), dir: z.enum(['asc', 'desc']).default('asc'), ...page }))
    .query(({ ctx, input }) => queryPool(ctx.project, input)),
  ids: projectProcedure.input(filter).query(({ ctx, input }) => queryIds(ctx.project, input)),
  get: projectProcedure.input(idInput).query(({ ctx, input }) => getQuestion(ctx.project, input.id)),
  facets: projectProcedure.query(({ ctx }) => facets(ctx.project)),
  setExcluded: projectProcedure
    .input(z.object({ ids, excluded: z.boolean(), reason: z.string().trim().min(1).max(500).optional() }))
    .mutation(({ ctx, input }) => ({ changed: setExcluded(ctx.project, input.ids, input.excluded, input.reason) })),
  setDomain: projectProcedure
    .input(z.object({ ids, domain: z.string().trim().max(200).nullable() }))
    .mutation(({ ctx, input }) => ({ changed: setDomain(ctx.project, input.ids, input.domain || null) })),

  dedup: router({
    /** Finds duplicates and stores a proposal; excludes nothing. */
    propose: projectProcedure
      .input(z.object({ threshold: z.number().gt(0).max(1).default(0.8), shingle: z.number().int().min(1).max(20).default(5) }))
      .mutation(({ ctx, input }) => proposeDedup(ctx.project, { threshold: input.threshold, shingle: input.shingle })),
    summary: projectProcedure.query(({ ctx }) => proposalSummary(ctx.project)),
    confirm: projectProcedure.mutation(({ ctx }) => applyDedup(ctx.project)),
    undo: projectProcedure.mutation(({ ctx }) => undoDedup(ctx.project)),
    include: projectProcedure.input(z.object({ questionId: z.number().int().positive(), include: z.boolean() })).mutation(({ ctx, input }) => {
      includeMember(ctx.project, input.questionId, input.include);
      return null;
    }),
    clusters: projectProcedure.input(z.object(page)).query(({ ctx, input }) => listClusters(ctx.project, input.offset, input.limit)),
    keep: projectProcedure
      .input(z.object({ questionId: z.number().int().positive(), only: z.boolean().default(false) }))
      .mutation(({ ctx, input }) => keepQuestion(ctx.project, input.questionId, input.only)),
    unkeep: projectProcedure.input(z.object({ questionId: z.number().int().positive() })).mutation(({ ctx, input }) => {
      unkeepQuestion(ctx.project, input.questionId);
      return null;
    }),
  }),

  evalsets: router({
    add: projectProcedure
      .input(fileInput.extend({ name: z.string().trim().min(1).max(100), replace: z.boolean().default(false) }))
      .mutation(async ({ ctx, input }) => {
        const r = await addEvalset(ctx.project, input.name, input.file, input);
        return { ...r, rejected: codedRows(r.rejected, Infinity) };
      }),
    list: projectProcedure.query(({ ctx }) => listEvalsets(ctx.project)),
    builtins: projectProcedure.query(({ ctx }) => builtinEvalsets(ctx.project)),
    remove: projectProcedure.input(z.object({ name: z.string().min(1) })).mutation(({ ctx, input }) => {
      removeEvalset(ctx.project, input.name);
      return null;
    }),
  }),
  decontaminate: router({
    /**
     * Checks the pool; `benchmarks` (built-in names) are registered first, so a user need not type paths.
     * With `heldOut` (the project's held-out set names), only those and `benchmarks` are checked against.
     */
    run: projectProcedure
      .input(
        z.object({
          ngram: z.number().int().min(1).max(50).default(8),
          benchmarks: z.array(z.string().min(1).max(100)).max(100).default([]),
          heldOut: z.array(z.string().min(1).max(100)).max(500).optional(),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        await registerBuiltins(ctx.project, input.benchmarks);
        return runDecontamination(ctx.project, input.ngram, input.heldOut && [...input.benchmarks, ...input.heldOut]);
      }),
    flagged: projectProcedure.input(z.object(page)).query(({ ctx, input }) => listFlagged(ctx.project, input.offset, input.limit)),
  }),
});

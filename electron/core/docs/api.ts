import path from 'node:path';
import { z } from 'zod';
import { projectProcedure, router } from '../api/trpc';
import { listEvalsets, runDecontamination } from '../pool/decontam';
import { mkdirPrivate, writePrivateFile } from '../util/private-fs';
import { writeHandbook } from './handbook';
import { addDocuments } from './ingest';
import { previewSynthesis } from './preview';
import { documentPages, getChunk, listChunks, listDocuments, questionSource, synthOutcomes } from './store';
import { startOrResumeSynthesis, synthParams } from './synth';

const addOpts = { tokenizer: z.string().trim().min(1).max(4096).optional(), maxTokens: z.number().int().min(64).max(8192).optional() };
/** One upload: base64 bytes of a file the browser read (drag and drop, file chooser). 64 MiB of bytes at most. */
const upload = z.object({ name: z.string().trim().min(1).max(255), data: z.string().max(Math.ceil((64 * 1024 * 1024 * 4) / 3) + 4) });
const synthInput = synthParams.partial().extend({ teacher: z.string().trim().min(1, 'choose a teacher') });

/** The documents domain's API: add files, browse documents and chunks, preview and run question synthesis. */
export const docsRouter = router({
  list: projectProcedure.query(({ ctx }) => listDocuments(ctx.project.db)),
  pages: projectProcedure.input(z.object({ documentId: z.number().int().positive() })).query(({ ctx, input }) => documentPages(ctx.project.db, input.documentId)),
  chunks: projectProcedure
    .input(z.object({ documentId: z.number().int().positive(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => listChunks(ctx.project.db, input.documentId, input.offset, input.limit)),
  chunk: projectProcedure.input(z.object({ id: z.number().int().positive() })).query(({ ctx, input }) => getChunk(ctx.project.db, input.id) ?? null),
  /** Files or folders on the engine's machine (browser mode: the server's paths, as the Import tab uses). */
  add: projectProcedure
    .input(z.object({ paths: z.array(z.string().trim().min(1)).min(1).max(1000), ...addOpts }))
    .mutation(({ ctx, input }) => addDocuments(ctx.project, input.paths.map((p) => ({ path: p })), { tokenizer: input.tokenizer, maxTokens: input.maxTokens })),
  /** Files the user dropped or chose in the page: kept under artifacts/documents/, then read. */
  upload: projectProcedure
    .input(z.object({ files: z.array(upload).min(1).max(100), ...addOpts }))
    .mutation(({ ctx, input }) => addDocuments(ctx.project, input.files.map((f) => ({ name: f.name, data: new Uint8Array(Buffer.from(f.data, 'base64')) })), { tokenizer: input.tokenizer, maxTokens: input.maxTokens })),
  /** The sample handbook (English and Chinese, PDF and DOCX), written into artifacts/documents/sample-handbook/ and added. */
  addSample: projectProcedure.mutation(({ ctx }) => {
    const dir = path.join(ctx.project.artifactsDir, 'documents', 'sample-handbook');
    mkdirPrivate(dir);
    const files = writeHandbook(dir, (f, d) => writePrivateFile(f, d));
    return addDocuments(ctx.project, files.map((p) => ({ path: p })));
  }),
  preview: projectProcedure.input(synthInput).mutation(({ ctx, input, signal }) => previewSynthesis(ctx.project, input, signal)),
  synthesize: projectProcedure.input(synthInput).mutation(({ ctx, input }) => startOrResumeSynthesis(ctx.runner, input)),
  outcomes: projectProcedure
    .input(z.object({ jobId: z.number().int().positive(), status: z.enum(['accepted', 'duplicate', 'rejected']).optional(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(200) }))
    .query(({ ctx, input }) => synthOutcomes(ctx.project.db, input.jobId, input.status, input.offset, input.limit)),
  /** After a run: the same decontamination as imported questions get, when evaluation sets are registered. */
  decontaminate: projectProcedure.mutation(({ ctx }) => (listEvalsets(ctx.project).length ? runDecontamination(ctx.project) : null)),
  questionSource: projectProcedure.input(z.object({ id: z.number().int().positive() })).query(({ ctx, input }) => questionSource(ctx.project.db, input.id)),
});

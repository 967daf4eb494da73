/** The `models` API: GGUF import and model export, the same service the CLI's `distillery model` calls. */
import { z } from 'zod';
import { projectProcedure, publicProcedure, router } from '../api/trpc';
import { EXPORT_FORMATS, exportModel, GGUF_QUANTS, IMPORT_DTYPES, importGguf } from './service';

export const modelsRouter = router({
  /** A .gguf file as a model folder (teacher, base model, chat template); slow: minutes for a few GB. */
  importGguf: publicProcedure
    .input(z.object({ file: z.string().trim().min(1, 'choose a .gguf file'), out: z.string().trim().min(1).optional(), dtype: z.enum(IMPORT_DTYPES).optional() }))
    .mutation(({ input }) => importGguf(input)),
  /** A training run of the open project exported merged, as GGUF (+ Ollama Modelfile) or as ONNX. */
  exportRun: projectProcedure
    .input(z.object({ runId: z.string().regex(/^[\w.-]+$/), format: z.enum(EXPORT_FORMATS), quant: z.enum(GGUF_QUANTS).optional(), out: z.string().trim().min(1).optional() }))
    .mutation(({ ctx, input }) => exportModel({ source: input.runId, format: input.format, quant: input.quant, out: input.out, project: ctx.project })),
});

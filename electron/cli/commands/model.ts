import { openProject } from '../../core/store/project';
import { EXPORT_FORMATS, exportModel, GGUF_QUANTS, IMPORT_DTYPES, importGguf, type GgufQuant, type ImportDtype, type ModelExportFormat } from '../../core/models/service';
import { parse } from '../args';
import { UsageError, type CliIO } from '../io';

const oneOf = <T extends string>(flag: string, v: unknown, allowed: readonly T[], fallback?: T): T => {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new UsageError(`model: --${flag} must be one of ${allowed.join(', ')}${typeof v === 'string' ? `, not "${v}"` : ''}.`);
  }
  return v as T;
};

/**
 * `model import FILE.gguf [--out DIR] [--dtype auto|fp16|bf16|fp32] [--json]`
 * `model export RUN|DIR --format merged|gguf|onnx [--quant q8_0|f16|q4_k_m] [--out DIR] [--project P] [--json]`
 */
export async function runModel(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  const progress = (json: boolean) => (json ? undefined : (l: string) => { if (/^(INFO:hf-to-gguf:Model successfully|\{)/.test(l)) io.stderr(l); });
  if (sub === 'import') {
    const { values, positionals } = parse('model import', rest, { out: { type: 'string' }, dtype: { type: 'string' }, json: { type: 'boolean' } }, ['FILE.gguf']);
    const dtype = oneOf<ImportDtype>('dtype', values.dtype, IMPORT_DTYPES, 'auto');
    const r = await importGguf({ file: positionals[0] as string, out: values.out, dtype, onLog: progress(Boolean(values.json)) });
    if (values.json) io.stdout(JSON.stringify(r));
    else io.stdout(`Imported a ${r.architecture} model (${(r.parameters / 1e6).toFixed(1)}M parameters, ${r.dtype}) into ${r.out} in ${r.seconds} s: ${r.files.join(', ')}`);
    return 0;
  }
  if (sub === 'export') {
    const { values, positionals } = parse('model export', rest, {
      format: { type: 'string' }, quant: { type: 'string' }, out: { type: 'string' }, project: { type: 'string' }, 'no-verify': { type: 'boolean' }, json: { type: 'boolean' },
    }, ['RUN|DIR']);
    const format = oneOf<ModelExportFormat>('format', values.format, EXPORT_FORMATS);
    const quant = oneOf<GgufQuant>('quant', values.quant, GGUF_QUANTS, 'q8_0');
    if (values.quant !== undefined && format !== 'gguf') throw new UsageError('model: --quant applies to --format gguf only.');
    const project = values.project ? openProject(values.project) : null;
    try {
      const r = await exportModel({ source: positionals[0] as string, format, quant, out: values.out, project, verify: !values['no-verify'], onLog: progress(Boolean(values.json)) });
      if (values.json) io.stdout(JSON.stringify(r));
      else {
        io.stdout(`Exported ${r.lora ? 'the LoRA run merged into its base' : 'the model'} as ${format}${r.quant ? ` ${r.quant}` : ''} to ${r.out} in ${r.seconds} s:`);
        for (const f of r.files) io.stdout(`  ${f}`);
        if (r.check) io.stdout(`Read back: largest logit difference ${Number(r.check.max_abs_diff).toPrecision(3)} (allowed ${r.check.tolerance === null ? 'n/a' : Number(r.check.tolerance).toPrecision(3)}), same next token at ${(Number(r.check.argmax_agreement) * 100).toFixed(0)}% of positions.`);
      }
    } finally {
      project?.close();
    }
    return 0;
  }
  throw new UsageError(`model: expected "import" or "export"${sub ? `, not "${sub}"` : ''} (see "distillery --help").`);
}

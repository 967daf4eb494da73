/**
 * Model files in and out, shared by the API (`models.*`) and the CLI (`distillery model ...`): a GGUF file
 * imported as a model folder, and a run (or a model folder) exported merged, as GGUF for llama.cpp/Ollama, or as
 * ONNX for the in-app engine. The work is done by the Python worker (`gguf-import`, `model-export`); this module
 * resolves paths, runs it and turns its JSON-lines events into a result or one sentence.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { pythonExecutable } from '../env/python';
import type { Project } from '../store/project';
import { UserError } from '../util/errors';
import { appRoot } from '../util/root';
import { childEnv } from '../egress/child-env';

export const IMPORT_DTYPES = ['auto', 'fp16', 'bf16', 'fp32'] as const;
export type ImportDtype = (typeof IMPORT_DTYPES)[number];
export const EXPORT_FORMATS = ['merged', 'gguf', 'onnx'] as const;
export type ModelExportFormat = (typeof EXPORT_FORMATS)[number];
export const GGUF_QUANTS = ['q8_0', 'f16', 'q4_k_m'] as const;
export type GgufQuant = (typeof GGUF_QUANTS)[number];

export interface ImportResult {
  out: string;
  architecture: string;
  parameters: number;
  dtype: string;
  files: string[];
  seconds: number;
}

export interface ExportResult {
  out: string;
  format: ModelExportFormat;
  quant: GgufQuant | null;
  lora: boolean;
  files: string[];
  seconds: number;
  /** GGUF only: the read-back logits check ({max_abs_diff, scale, tolerance, argmax_agreement, tokens}) */
  check: Record<string, number | null> | null;
}

type Event = Record<string, unknown> & { event?: string };

/** Runs one worker command; returns the event named `want`, or throws the worker's error sentence. */
async function runWorker(args: string[], want: string, onLog?: (line: string) => void): Promise<Event> {
  const exe = pythonExecutable();
  if (!fs.existsSync(exe)) throw new UserError(`No Python environment at ${exe}; run "npm run setup:python" first.`, 'no_python');
  const child = execa(exe, ['-m', 'distillery_worker', ...args], { cwd: appRoot(), reject: false, env: childEnv(), buffer: { stdout: true, stderr: false } });
  let tail = '';
  child.stderr?.on('data', (b: Buffer) => {
    const s = b.toString('utf8');
    tail = (tail + s).slice(-4000);
    if (onLog) for (const l of s.split(/\r|\n/)) if (l.trim()) onLog(l);
  });
  const r = await child;
  const events: Event[] = [];
  for (const line of String(r.stdout).split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try {
      events.push(JSON.parse(line) as Event);
    } catch {
      /* a stray line that is not an event */
    }
  }
  const err = events.find((e) => e.event === 'error');
  if (err) throw new UserError(String(err.message), `model_${String(err.cause)}`);
  const done = events.find((e) => e.event === want);
  if (r.exitCode !== 0 || !done) {
    const last = tail.trim().split('\n').pop() ?? '';
    throw new UserError(`The Python worker stopped (exit ${String(r.exitCode)}) without finishing: ${last.slice(0, 300)}`, 'model_worker');
  }
  return done;
}

/** Converts a .gguf file into the model folder `out` (default: beside the file, named after it). */
export async function importGguf(opts: { file: string; out?: string; dtype?: ImportDtype; onLog?: (l: string) => void }): Promise<ImportResult> {
  const file = path.resolve(opts.file);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UserError(`The GGUF file ${file} does not exist; pass the path of a .gguf file.`, 'no_gguf');
  if (!file.toLowerCase().endsWith('.gguf')) throw new UserError(`${file} is not a .gguf file; pass a GGUF model file (llama.cpp / Ollama format).`, 'not_gguf');
  const out = path.resolve(opts.out ?? defaultImportOut(file));
  const e = await runWorker(['gguf-import', '--gguf', file, '--out', out, '--dtype', opts.dtype ?? 'auto'], 'gguf_imported', opts.onLog);
  const { event: _e, time: _t, ...rest } = e;
  return rest as unknown as ImportResult;
}

/** `<dir>/<name>` for `<dir>/<name>.gguf`, or `<name>-2`, `-3` … when that exists (nothing is overwritten). */
export function defaultImportOut(file: string): string {
  const base = file.replace(/\.gguf$/i, '');
  let out = base;
  for (let i = 2; fs.existsSync(out); i++) out = `${base}-${i}`;
  return out;
}

/** A run id of the project (its output folder) or a folder path. */
export function resolveSource(source: string, project?: Project | null): { dir: string; runId: string | null } {
  const asDir = path.resolve(source);
  if (fs.existsSync(asDir) && fs.statSync(asDir).isDirectory()) return { dir: asDir, runId: null };
  if (/^[\w.-]+$/.test(source) && project) {
    const out = path.join(project.dir, 'artifacts', 'runs', source, 'output');
    if (fs.existsSync(out)) return { dir: out, runId: source };
    throw new UserError(`The run ${source} has no output folder (${out}); finish or resume its training first.`, 'no_run_output');
  }
  throw new UserError(project ? `${asDir} is neither a folder nor a run of this project; pass a run id (artifacts/runs/<id>) or a model folder.` : `${asDir} does not exist; pass a model or run output folder (or --project P with a run id).`, 'no_model_source');
}

/** Where an export goes by default: the project's artifacts/models/<run>-<format>[-quant], else beside the source. */
export function defaultExportOut(src: { dir: string; runId: string | null }, format: ModelExportFormat, quant: GgufQuant, project?: Project | null): string {
  const name = `${src.runId ?? path.basename(src.dir)}-${format}${format === 'gguf' ? `-${quant}` : ''}`;
  const parent = project ? path.join(project.dir, 'artifacts', 'models') : path.dirname(src.dir);
  let out = path.join(parent, name);
  for (let i = 2; fs.existsSync(out); i++) out = path.join(parent, `${name}-${i}`);
  return out;
}

export async function exportModel(opts: {
  source: string; format: ModelExportFormat; quant?: GgufQuant; out?: string; project?: Project | null; verify?: boolean; onLog?: (l: string) => void;
}): Promise<ExportResult> {
  const src = resolveSource(opts.source, opts.project);
  const quant = opts.quant ?? 'q8_0';
  const out = path.resolve(opts.out ?? defaultExportOut(src, opts.format, quant, opts.project));
  const args = ['model-export', '--source', src.dir, '--format', opts.format, '--out', out, '--quant', quant];
  if (opts.verify === false) args.push('--no-verify');
  const e = await runWorker(args, 'model_exported', opts.onLog);
  const { event: _e, time: _t, ...rest } = e;
  return rest as unknown as ExportResult;
}

/**
 * What a finished run left, in one sentence with the next command: a LoRA run's output is an adapter (which
 * `export-onnx` and llama.cpp refuse), not a model, so the sentence says so and how to merge or export it.
 */
export function trainedModelSentence(outputDir: string): string {
  const q = /^[\w./:@-]+$/.test(outputDir) ? outputDir : `'${outputDir.replace(/'/g, `'\\''`)}'`;
  if (fs.existsSync(path.join(outputDir, 'adapter_config.json'))) {
    return `Done: the LoRA adapter is in ${outputDir} (load it on top of its base model); for a standalone model run \`distillery model export ${q} --format merged|gguf|onnx\`.`;
  }
  return `Done: the trained model is in ${outputDir}; for llama.cpp/Ollama or the in-app engine run \`distillery model export ${q} --format gguf|onnx\`.`;
}

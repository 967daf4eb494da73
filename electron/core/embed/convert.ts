import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { childEnv } from '../egress/child-env';
import { pythonExecutable } from '../env/python';
import type { Project } from '../store/project';
import { appRoot } from '../util/root';
import { UserError } from '../util/errors';
import { SPEC_FILE, isSentenceTransformersFolder } from './model';

/** What `python -m distillery_worker embed-convert --json` prints. */
export interface ConvertReport {
  path: string;
  source: string;
  model_type: string;
  pooling: string;
  normalize: boolean;
  max_seq_length: number;
  dims: number;
  files: string[];
  /** Cosine of our ONNX vectors to SentenceTransformer(src).encode on the worker's fixed sentences. */
  check?: { sentences: number; over_max_length: number; fp32_min_cosine: number; int8_min_cosine: number; int8_mean_cosine: number; int8_vs_fp32_min_cosine: number };
  /** True when an earlier conversion of the same source was reused. */
  cached?: boolean;
}

/**
 * Where a project keeps the converted copy of a folder: artifacts/models/<name>-<hash of the source path>, so two
 * folders of the same name never share a copy and the same folder converts once.
 */
export function convertedDir(project: Project, src: string): string {
  const abs = path.resolve(src.trim());
  const tag = createHash('sha256').update(abs).digest('hex').slice(0, 8);
  return path.join(project.artifactsDir, 'models', `${path.basename(abs).replace(/[^\w.-]+/g, '_')}-${tag}`);
}

const inFlight = new Map<string, Promise<ConvertReport>>();

/** The report of a finished earlier conversion in `out` of `src`, or null. */
function previous(out: string, src: string): ConvertReport | null {
  try {
    const spec = JSON.parse(fs.readFileSync(path.join(out, SPEC_FILE), 'utf8')) as { source?: string; model_type?: string; pooling?: string; normalize?: boolean; max_seq_length?: number; dims?: number; check?: ConvertReport['check'] };
    if (spec.source !== src || !fs.existsSync(path.join(out, 'onnx', 'model.onnx'))) return null;
    // The source changed after the conversion (new weights): convert again.
    const weights = ['model.safetensors', 'pytorch_model.bin'].map((f) => path.join(src, f)).find((f) => fs.existsSync(f));
    if (weights && fs.statSync(weights).mtimeMs > fs.statSync(path.join(out, SPEC_FILE)).mtimeMs) return null;
    return { path: out, source: src, model_type: spec.model_type ?? '', pooling: spec.pooling ?? 'mean', normalize: spec.normalize !== false, max_seq_length: spec.max_seq_length ?? 0, dims: spec.dims ?? 0, files: [], check: spec.check, cached: true };
  } catch {
    return null;
  }
}

/**
 * Converts a sentence-transformers folder with the Python worker (`embed-convert`: ONNX fp32 + int8, checked against
 * sentence-transformers) into `out`; reuses an earlier conversion of the same source. Every failure is a sentence.
 */
export function convertEmbedModel(srcIn: string, out: string, opts: { force?: boolean; signal?: AbortSignal; onStart?: (src: string, out: string) => void } = {}): Promise<ConvertReport> {
  const src = path.resolve(srcIn.trim());
  if (!opts.force) {
    const done = previous(out, src);
    if (done) return Promise.resolve(done);
  }
  const running = inFlight.get(out);
  if (running) return running;
  opts.onStart?.(src, out);
  const p = run(src, out, opts.signal).finally(() => inFlight.delete(out));
  inFlight.set(out, p);
  return p;
}

async function run(src: string, out: string, signal?: AbortSignal): Promise<ConvertReport> {
  if (!fs.existsSync(src) || !fs.statSync(src).isDirectory()) throw new UserError(`The model folder ${src} does not exist; choose a sentence-transformers folder (it holds modules.json and config.json).`, 'embed_bad_model');
  const exe = pythonExecutable();
  if (!fs.existsSync(exe)) throw new UserError(`Converting ${src} needs the Python environment, and there is none at ${exe}; run "npm run setup:python" (or set DISTILLERY_PYTHON), then convert again.`, 'no_python');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const r = await execa(exe, ['-m', 'distillery_worker', 'embed-convert', src, '--out', out, '--json'], {
    cwd: appRoot(),
    reject: false,
    cancelSignal: signal,
    env: childEnv(),
  });
  const last = String(r.stdout).trim().split('\n').pop() ?? '';
  let parsed: (ConvertReport & { error?: string }) | null;
  try {
    parsed = JSON.parse(last) as ConvertReport & { error?: string };
  } catch {
    parsed = null;
  }
  if (parsed?.error) throw new UserError(parsed.error, 'embed_convert_refused');
  if (r.exitCode !== 0 || !parsed) {
    if (signal?.aborted) throw new UserError(`The conversion of ${src} was cancelled; nothing was written to ${out}.`, 'cancelled');
    const why = String(r.stderr).trim().split('\n').filter(Boolean).pop() ?? `exit code ${r.exitCode}`;
    throw new UserError(`The conversion of ${src} failed (${why.slice(0, 300)}); check the Python environment with "distillery check", then convert again.`, 'embed_convert_failed');
  }
  return parsed;
}

/**
 * The folder to embed with: `dir` itself when it is already an ONNX embedding folder, else (a sentence-transformers
 * folder) its converted copy in the project's artifacts/models/, converted now if needed.
 */
export async function embeddableDir(project: Project, dir: string, opts: { signal?: AbortSignal; onStart?: (src: string, out: string) => void } = {}): Promise<{ dir: string; converted: ConvertReport | null }> {
  if (!isSentenceTransformersFolder(dir)) return { dir: path.resolve(dir.trim()), converted: null };
  const report = await convertEmbedModel(dir, convertedDir(project, dir), opts);
  return { dir: report.path, converted: report };
}

/** The Curate step's "Convert for in-app use": the project's copy of a sentence-transformers folder (made once). */
export function convertForProject(project: Project, dir: string): Promise<ConvertReport> {
  if (!isSentenceTransformersFolder(dir)) {
    throw new UserError(`The folder ${path.resolve(dir.trim())} is not a sentence-transformers model to convert (it has no modules.json, or already has onnx/model.onnx); choose the folder that holds modules.json and model.safetensors.`, 'embed_bad_model');
  }
  return convertEmbedModel(dir, convertedDir(project, dir));
}

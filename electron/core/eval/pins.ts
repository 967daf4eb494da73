/**
 * Everything that changes an evaluation's numbers, pinned: the answer checker's version and rules, the
 * prompt and each model's chat template (sha256), the frozen questions, budgets, seeds, sampling settings
 * and the sha256 of every model file (weights, config, tokenizer). Made when the run is created (so the
 * pins say what was evaluated, not what the folder holds later) and stored beside the report. Weights can
 * be gigabytes: a file's hash is cached by path, size and mtime in artifacts/eval/file-hashes.json, so a
 * file is read once until it changes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Project } from '../store/project';
import { findTeacher } from '../teacher/store';
import { UserError } from '../util/errors';
import { mkdirPrivate, writePrivateFile } from '../util/private-fs';
import { CHECKER_RULES, CHECKER_VERSION, DEFAULT_JUDGE_PROMPT } from '../verify';
import { FINAL_CUE } from './forcing';
import { repeatSeed } from './job';
import { templateDirOf } from './models';
import type { RunQuestionRow } from './store';
import type { RunConfig } from './types';

export interface FilePin {
  file: string;
  bytes: number;
  sha256: string;
}

export interface ModelPin {
  label: string;
  kind: string;
  /** The folder hashed (the model's, or an endpoint's template folder); null when none is on this machine. */
  dir: string | null;
  /** An endpoint's served model name (its weights are on the server and cannot be hashed here). */
  servedModel: string | null;
  chatTemplateSha256: string | null;
  files: FilePin[];
}

export interface Pins {
  checker: { version: string; rules: typeof CHECKER_RULES; judge: { teacher: string; model: string; promptSha256: string } | null };
  prompt: { sha256: string; systemPromptSha256: string | null; waitWord: string; finalCue: string };
  questions: { benchmark: string; count: number; sha256: string }[];
  budgets: RunConfig['budgets'];
  seeds: { run: number; repeats: number[] };
  sampling: { temperature: number; samples: number; repeats: number; maxAnswerTokens: number; limit: number | null };
  models: ModelPin[];
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The files of a model folder that decide its outputs: config, tokenizer, template, weights (and onnx/). */
const PINNED = /^(config\.json|generation_config\.json|tokenizer\.json|tokenizer_config\.json|tokenizer\.model|vocab\.json|vocab\.txt|merges\.txt|special_tokens_map\.json|added_tokens\.json|chat_template\.(jinja|json)|preprocessor_config\.json|.+\.(safetensors|bin|gguf|pt|onnx|onnx_data|data)|.+\.safetensors\.index\.json)$/;

function modelFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && depth === 0 && e.name === 'onnx') walk(r, 1);
      else if ((e.isFile() || e.isSymbolicLink()) && PINNED.test(e.name)) out.push(r);
    }
  };
  walk('', 0);
  return out.sort();
}

type HashCache = Record<string, { bytes: number; mtimeMs: number; sha256: string }>;

/** sha256 of files, read as streams; each path answered from the cache while its size and mtime are unchanged. */
export class FileHasher {
  private cache: HashCache = {};
  private dirty = false;

  constructor(private readonly cacheFile: string | null) {
    if (cacheFile) {
      try {
        this.cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as HashCache;
      } catch {
        this.cache = {};
      }
    }
  }

  /** How many files were read (not answered from the cache) by this hasher. */
  read = 0;

  async hash(file: string): Promise<{ bytes: number; sha256: string }> {
    const real = fs.realpathSync(file);
    const st = fs.statSync(real);
    const hit = this.cache[real];
    if (hit && hit.bytes === st.size && hit.mtimeMs === st.mtimeMs) return { bytes: hit.bytes, sha256: hit.sha256 };
    const h = createHash('sha256');
    await new Promise<void>((resolve, reject) => {
      fs.createReadStream(real)
        .on('data', (b) => h.update(b))
        .on('end', resolve)
        .on('error', reject);
    });
    this.read++;
    const digest = h.digest('hex');
    this.cache[real] = { bytes: st.size, mtimeMs: st.mtimeMs, sha256: digest };
    this.dirty = true;
    return { bytes: st.size, sha256: digest };
  }

  /** Writes the cache (whole, through a temporary file, so a reader never sees half of it). */
  save(): void {
    if (!this.cacheFile || !this.dirty) return;
    mkdirPrivate(path.dirname(this.cacheFile));
    const tmp = `${this.cacheFile}.${process.pid}.tmp`;
    writePrivateFile(tmp, JSON.stringify(this.cache));
    fs.renameSync(tmp, this.cacheFile);
    this.dirty = false;
  }
}

function chatTemplateText(dir: string): string | null {
  for (const f of ['chat_template.jinja', 'chat_template.json']) {
    try {
      return fs.readFileSync(path.join(dir, f), 'utf8');
    } catch {
      // try the next place
    }
  }
  try {
    const t = (JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8')) as { chat_template?: unknown }).chat_template;
    return t === undefined ? null : typeof t === 'string' ? t : JSON.stringify(t);
  } catch {
    return null;
  }
}

async function modelPin(project: Project, spec: RunConfig['models'][number], hasher: FileHasher): Promise<ModelPin> {
  let dir: string | null;
  let servedModel: string | null = null;
  if (spec.kind === 'endpoint') {
    const t = findTeacher(project.db, spec.teacher);
    servedModel = t?.model ?? null;
    dir = t ? templateDirOf(spec, t.model) : spec.templateDir ? path.resolve(spec.templateDir) : null;
  } else {
    dir = path.resolve(spec.dir);
  }
  const files: FilePin[] = [];
  if (dir) {
    for (const f of modelFiles(dir)) {
      try {
        files.push({ file: f, ...(await hasher.hash(path.join(dir, f))) });
      } catch (e) {
        throw new UserError(`Could not read ${path.join(dir, f)} to pin the model "${spec.label}" (${(e as Error).message}); make the model folder readable and start again.`, 'model_unreadable');
      }
    }
  }
  const tpl = dir ? chatTemplateText(dir) : null;
  return { label: spec.label, kind: spec.kind, dir, servedModel, chatTemplateSha256: tpl === null ? null : sha256(tpl), files };
}

export const pinsFile = (project: Project, runId: string) => path.join(project.artifactsDir, 'eval', runId, 'pins.json');

/** Computes a run's pins (hashing the model files that the cache does not know); `questions` are the run's frozen questions. */
export async function computePins(project: Project, config: RunConfig, qs: readonly Pick<RunQuestionRow, 'benchmark' | 'qid' | 'question' | 'reference'>[]): Promise<Pins> {
  const hasher = new FileHasher(path.join(project.artifactsDir, 'eval', 'file-hashes.json'));
  const models: ModelPin[] = [];
  for (const m of config.models) models.push(await modelPin(project, m, hasher));
  hasher.save();
  const judge = config.judge ? findTeacher(project.db, config.judge) : undefined;
  const system = config.systemPrompt;
  return {
    checker: { version: CHECKER_VERSION, rules: CHECKER_RULES, judge: judge ? { teacher: judge.name, model: judge.model, promptSha256: sha256(DEFAULT_JUDGE_PROMPT) } : null },
    prompt: {
      sha256: sha256(JSON.stringify({ system, waitWord: config.waitWord, finalCue: FINAL_CUE })),
      systemPromptSha256: system === null ? null : sha256(system),
      waitWord: config.waitWord,
      finalCue: FINAL_CUE,
    },
    questions: config.benchmarks.map((b) => {
      const mine = qs.filter((q) => q.benchmark === b).map((q) => [q.qid, q.question, q.reference]);
      return { benchmark: b, count: mine.length, sha256: sha256(JSON.stringify(mine)) };
    }),
    budgets: config.budgets,
    seeds: { run: config.seed, repeats: Array.from({ length: config.repeats }, (_, r) => repeatSeed(config.seed, r)) },
    sampling: { temperature: config.temperature, samples: config.samples, repeats: config.repeats, maxAnswerTokens: config.maxAnswerTokens, limit: config.limit },
    models,
  };
}

/** Keeps the run's pins in artifacts/eval/<run>/pins.json. */
export function savePins(project: Project, runId: string, pins: Pins): void {
  const file = pinsFile(project, runId);
  mkdirPrivate(path.dirname(file));
  writePrivateFile(file, `${JSON.stringify(pins, null, 2)}\n`);
}

/** The pins made when the run was created; null when there are none (a run made before pins existed). */
export function readPins(project: Project, runId: string): Pins | null {
  try {
    return JSON.parse(fs.readFileSync(pinsFile(project, runId), 'utf8')) as Pins;
  } catch {
    return null;
  }
}

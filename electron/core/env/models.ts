/**
 * The model folders a project refers to, for the preflight: teachers served from a local folder, training
 * runs' base and KD teacher models, models added on the Evaluate step, evaluation templates, and the Train
 * step's saved form. Each is checked for a config, a tokenizer and weights, present and readable.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface ModelRef {
  dir: string;
  /** Where the project refers to it, in words: "teacher tiny", "run 20250101-…", "Evaluate step". */
  from: string;
}

// Keys of saved JSON whose string values name model folders.
const MODEL_KEY = /(^|_)(base|model|teacher_model|template|templatedir|modeldir|basemodel|teachermodel)$/i;

function collect(v: unknown, into: string[], key = ''): void {
  if (typeof v === 'string') {
    if (MODEL_KEY.test(key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)) || MODEL_KEY.test(key)) into.push(v);
  } else if (Array.isArray(v)) for (const x of v) collect(x, into, key);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, into, k);
}

/** The strings under model-naming keys of saved JSON text (none when it does not parse). */
function foldersIn(json: string): string[] {
  const found: string[] = [];
  try {
    collect(JSON.parse(json), found);
  } catch {
    return [];
  }
  return found;
}

const looksLikePath = (s: string) => path.isAbsolute(s) || s.startsWith('./') || s.startsWith('../') || s.startsWith('artifacts/');

/**
 * What the project remembers that may name model folders, each read by the domain that owns it (doctor/
 * gathers them: env/ sits below those domains). A source whose table the project lacks is empty.
 */
export interface ModelSources {
  /** Each teacher's name and model (a folder, a hub id or a served model name). */
  teachers: { name: string; model: string }[];
  /** The latest training runs' configs (JSON text), newest first. */
  trainRuns: { id: string; config: string }[];
  /** The folders of the models added on the Evaluate step. */
  evalModels: string[];
  /** Every step's saved form (JSON text). */
  forms: { step: string; value: string }[];
}

export function projectModelRefs(sources: ModelSources, projectDir: string): ModelRef[] {
  const out: ModelRef[] = [];
  const add = (dir: string, from: string) => {
    if (!dir || !looksLikePath(dir)) return; // a hub id or a served model name, not a folder
    out.push({ dir: path.resolve(projectDir, dir), from });
  };
  for (const t of sources.teachers) add(t.model, `teacher "${t.name}"`);
  for (const r of sources.trainRuns) for (const d of foldersIn(r.config)) add(d, `training run ${r.id}`);
  for (const dir of sources.evalModels) add(dir, 'the Evaluate step');
  for (const f of sources.forms) for (const d of foldersIn(f.value)) add(d, `the ${f.step} step's form`);
  const seen = new Set<string>();
  return out.filter((r) => (seen.has(r.dir) ? false : (seen.add(r.dir), true))).slice(0, 30);
}

export interface ModelFolderCheck {
  ok: boolean;
  missing: string[];
}

function readable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.R_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A Hugging Face folder (config, tokenizer, weights), a GGUF file, or an ONNX folder: what is missing. */
export function checkModelFolder(dir: string): ModelFolderCheck {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    return { ok: false, missing: ['the folder itself'] };
  }
  if (st.isFile()) return readable(dir) && /\.gguf$/i.test(dir) ? { ok: true, missing: [] } : { ok: false, missing: ['a folder (this is a file)'] };
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return { ok: false, missing: ['read permission on the folder'] };
  }
  const onnx = fs.existsSync(path.join(dir, 'onnx')) ? safeList(path.join(dir, 'onnx')).map((n) => `onnx/${n}`) : [];
  const has = (re: RegExp) => [...names, ...onnx].some((n) => re.test(n) && readable(path.join(dir, n)));
  const missing: string[] = [];
  if (!has(/^config\.json$/)) missing.push('config.json');
  if (!has(/^(tokenizer\.json|tokenizer\.model|tokenizer_config\.json|vocab\.(json|txt))$/)) missing.push('a tokenizer (tokenizer.json)');
  if (!has(/(\.safetensors|^pytorch_model.*\.bin|\.gguf|\.onnx|adapter_model\.(safetensors|bin))$/)) missing.push('weights (*.safetensors)');
  return { ok: missing.length === 0, missing };
}

function safeList(d: string): string[] {
  try {
    return fs.readdirSync(d);
  } catch {
    return [];
  }
}

/** The Train view's inspection of a base model folder and of dataset (export) folders. */
import fs from 'node:fs';
import path from 'node:path';
import type { Project } from '../store/project';
import { countParams, modelConfigFrom } from './planner';

export interface ModelInfo {
  dir: string;
  exists: boolean;
  config: boolean;
  tokenizer: boolean;
  chatTemplate: boolean;
  weights: boolean;
  weightsBytes: number;
  architecture: string | null;
  modelType: string | null;
  params: number | null;
  layers: number | null;
  hidden: number | null;
  vocab: number | null;
  dtype: string | null;
  configError: string | null;
  ok: boolean;
}

export function inspectModel(dirIn: string): ModelInfo {
  const dir = path.resolve(dirIn);
  const info: ModelInfo = {
    dir, exists: false, config: false, tokenizer: false, chatTemplate: false, weights: false, weightsBytes: 0, architecture: null,
    modelType: null, params: null, layers: null, hidden: null, vocab: null, dtype: null, configError: null, ok: false,
  };
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return info;
  }
  info.exists = true;
  const has = (n: string) => names.includes(n);
  info.tokenizer = has('tokenizer.json') || has('tokenizer.model') || has('vocab.json');
  info.chatTemplate = has('chat_template.jinja') || has('chat_template.json');
  for (const n of names) {
    if (n.endsWith('.safetensors') || (n.endsWith('.bin') && n.startsWith('pytorch_model'))) {
      info.weights = true;
      try {
        info.weightsBytes += fs.statSync(path.join(dir, n)).size;
      } catch {
        // unreadable shard: counted as present, size unknown
      }
    }
  }
  if (has('tokenizer_config.json') && !info.chatTemplate) {
    try {
      info.chatTemplate = typeof (JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8')) as { chat_template?: unknown }).chat_template !== 'undefined';
    } catch {
      // not JSON: no template
    }
  }
  if (has('config.json')) {
    info.config = true;
    try {
      const raw = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
      const arch = Array.isArray(raw.architectures) ? raw.architectures[0] : null;
      info.architecture = typeof arch === 'string' ? arch : null;
      info.modelType = typeof raw.model_type === 'string' ? raw.model_type : null;
      const c = modelConfigFrom(raw);
      info.params = countParams(c).total;
      info.layers = c.num_hidden_layers;
      info.hidden = c.hidden_size;
      info.vocab = c.vocab_size;
      info.dtype = (typeof raw.torch_dtype === 'string' ? raw.torch_dtype : typeof raw.dtype === 'string' ? raw.dtype : null);
    } catch (e) {
      info.configError = (e as Error).message;
    }
  }
  info.ok = info.config && !info.configError && info.tokenizer && info.weights;
  return info;
}

export interface DatasetInfo {
  dir: string;
  name: string;
  exists: boolean;
  train: boolean;
  rows: number;
  evalRows: number;
  bytes: number;
  /** the first row has {"messages"} with an assistant turn */
  messages: boolean;
  /** the first assistant turn holds <think> */
  thinking: boolean;
  modified: string | null;
}

function countLines(file: string): number {
  try {
    const text = fs.readFileSync(file, 'utf8');
    let n = 0;
    for (const line of text.split('\n')) if (line.trim()) n++;
    return n;
  } catch {
    return 0;
  }
}

export function inspectDataset(dirIn: string): DatasetInfo {
  const dir = path.resolve(dirIn);
  const info: DatasetInfo = { dir, name: path.basename(dir), exists: fs.existsSync(dir), train: false, rows: 0, evalRows: 0, bytes: 0, messages: false, thinking: false, modified: null };
  const train = path.join(dir, 'train.jsonl');
  if (!fs.existsSync(train)) return info;
  info.train = true;
  const st = fs.statSync(train);
  info.bytes = st.size;
  info.modified = st.mtime.toISOString();
  info.rows = countLines(train);
  for (const e of ['eval.jsonl', 'validation.jsonl', 'test.jsonl']) info.evalRows += countLines(path.join(dir, e));
  try {
    const fd = fs.openSync(train, 'r');
    const buf = Buffer.alloc(Math.min(st.size, 1 << 20));
    fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    const first = buf.toString('utf8').split('\n')[0] ?? '';
    const row = JSON.parse(first) as { messages?: { role?: string; content?: unknown }[] };
    const a = row.messages?.find((m) => m.role === 'assistant');
    info.messages = Array.isArray(row.messages) && a !== undefined;
    info.thinking = typeof a?.content === 'string' && a.content.includes('<think>');
  } catch {
    // first row unreadable: messages stays false
  }
  return info;
}

/** Export folders of the project (artifacts/exports/*) that hold a train.jsonl. */
export function projectDatasets(project: Project): DatasetInfo[] {
  const root = path.join(project.artifactsDir, 'exports');
  const out: DatasetInfo[] = [];
  if (fs.existsSync(path.join(root, 'train.jsonl'))) out.push(inspectDataset(root));
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return out;
  }
  for (const n of names.sort()) {
    const d = path.join(root, n);
    if (fs.existsSync(path.join(d, 'train.jsonl'))) out.push(inspectDataset(d));
  }
  // Newest first: the Train step pre-fills the latest export.
  const mtime = (dir: string) => {
    try {
      return fs.statSync(path.join(dir, 'train.jsonl')).mtimeMs;
    } catch {
      return 0;
    }
  };
  return out.sort((a, b) => mtime(b.dir) - mtime(a.dir));
}

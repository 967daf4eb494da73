/**
 * Models to evaluate: registered teachers (over their endpoint), model folders served by Distillery on
 * loopback (transformers serve or vLLM), and ONNX exports run in-process by the in-app engine. Each becomes
 * a TextGenerator, the interface budget forcing is written against.
 */
import fs from 'node:fs';
import path from 'node:path';
import { completionGenerator, type TextGenerator } from '../chat/generator';
import type { LocalServers, LocalServerInfo } from '../localserve/manager';
import { ensureServer } from '../localserve/ondemand';
import { liveTeacher } from '../teacher/live';
import type { Project } from '../store/project';
import { teacherConnection } from '../teacher/credentials';
import { authHeaders } from '../teacher/client';
import { findTeacher, listTeachers } from '../teacher/store';
import { listCheckpoints } from '../train/job';
import { listRuns } from '../train/store';
import { UserError } from '../util/errors';
import type * as InferIndex from '../infer/index';
import { ensureEvalSchema } from './store';
import type { ModelOption, ModelSpec } from './types';
import { message, type EngineMessage } from '../util/messages';

const has = (dir: string, f: string) => fs.existsSync(path.join(dir, f));

/** A folder whose onnx/ holds a model file (the in-app engine's export). */
export function hasOnnx(dir: string): boolean {
  try {
    return fs.readdirSync(path.join(dir, 'onnx')).some((f) => f.endsWith('.onnx'));
  } catch {
    return false;
  }
}

/** Why a folder cannot be budget-forced (no tokenizer.json or no chat template), or null. */
export function folderProblem(dir: string): string | null {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return `The folder ${dir} does not exist.`;
  if (!has(dir, 'tokenizer.json')) return `${dir} has no tokenizer.json, which budget forcing needs to count thinking tokens.`;
  const tpl = has(dir, 'chat_template.jinja') || has(dir, 'chat_template.json');
  if (!tpl) {
    try {
      const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8')) as { chat_template?: unknown };
      if (cfg.chat_template === undefined) return `${dir} has no chat template (chat_template.jinja or tokenizer_config.json's "chat_template").`;
    } catch {
      return `${dir} has no chat template (chat_template.jinja or tokenizer_config.json's "chat_template").`;
    }
  }
  return null;
}

/** Where the tokenizer and template of an endpoint teacher live: the spec's folder, or the model name when it is a folder. */
export function templateDirOf(spec: Extract<ModelSpec, { kind: 'endpoint' }>, model: string): string | null {
  if (spec.templateDir) return path.resolve(spec.templateDir);
  if (path.isAbsolute(model) && fs.existsSync(path.join(model, 'tokenizer.json'))) return model;
  return null;
}

function folderOption(dir: string, label: string, source: ModelOption['source']): ModelOption {
  const onnx = hasOnnx(dir);
  const weights = fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('.safetensors') || f.endsWith('.bin') || f.endsWith('.safetensors.index.json'));
  const spec: ModelSpec = onnx && !weights ? { label, kind: 'onnx', dir } : { label, kind: 'local', dir };
  return { spec, source, detail: dir, onnx, problem: folderProblem(dir) };
}

export function listModels(project: Project): ModelOption[] {
  ensureEvalSchema(project.db);
  const out: ModelOption[] = [];
  for (const t of listTeachers(project.db)) {
    const spec: ModelSpec = { label: t.name, kind: 'endpoint', teacher: t.name, templateDir: null };
    const tdir = templateDirOf(spec, t.model);
    if (tdir) spec.templateDir = tdir;
    out.push({
      spec,
      source: 'teacher',
      detail: `${t.baseUrls[0] ?? ''} · ${t.model}`,
      onnx: false,
      problem: tdir ? folderProblem(tdir) : `The teacher "${t.name}" serves ${t.model}; choose a local folder with its tokenizer.json and chat template so thinking tokens can be counted.`,
    });
  }
  const folders = project.db.prepare('SELECT dir, label FROM eval_models ORDER BY created_at').all() as { dir: string; label: string }[];
  for (const f of folders) out.push(folderOption(f.dir, f.label, 'folder'));
  for (const run of listRuns(project.db)) {
    const cfg = JSON.parse(run.config) as { output_dir?: string };
    if (!cfg.output_dir) continue;
    if (fs.existsSync(path.join(cfg.output_dir, 'config.json'))) out.push(folderOption(cfg.output_dir, `${run.id}`, 'train-run'));
    for (const c of listCheckpoints(cfg.output_dir)) out.push(folderOption(c.path, `${run.id}@${c.step}`, 'train-checkpoint'));
  }
  return out;
}

export function addModelFolder(project: Project, dirIn: string, label?: string): ModelOption {
  ensureEvalSchema(project.db);
  const dir = path.resolve(dirIn);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UserError(`The model folder ${dir} does not exist; choose the folder that holds config.json and tokenizer.json.`, 'not_found');
  const problem = folderProblem(dir);
  if (problem) throw new UserError(`${problem} Choose a model folder with its tokenizer and chat template.`, 'invalid_model');
  if (!has(dir, 'config.json') && !hasOnnx(dir)) throw new UserError(`${dir} has neither config.json nor an onnx/ export, so it is not a model folder.`, 'invalid_model');
  const name = (label ?? path.basename(dir)).trim().slice(0, 80) || path.basename(dir);
  project.db.prepare('INSERT INTO eval_models (dir, label, created_at) VALUES (?, ?, ?) ON CONFLICT(dir) DO UPDATE SET label = excluded.label').run(dir, name, new Date().toISOString());
  return folderOption(dir, name, 'folder');
}

export function removeModelFolder(project: Project, dirIn: string): void {
  ensureEvalSchema(project.db);
  project.db.prepare('DELETE FROM eval_models WHERE dir = ?').run(path.resolve(dirIn));
}

// ---------- generators ----------

/** A ready server for the folder: one already running (started here or on the Teacher step), else a new one. */
export function serverFor(servers: LocalServers, dirIn: string, kind: 'transformers' | 'vllm' | undefined, onStatus?: (m: string) => void): Promise<LocalServerInfo> {
  return ensureServer(servers, dirIn, { kind, onStatus });
}

type InferModule = typeof InferIndex;

async function openOnnx(dir: string): Promise<TextGenerator> {
  let mod: InferModule;
  try {
    // The in-app engine (electron/core/infer) loads onnxruntime-node: only when an ONNX model is used.
    mod = await import('../infer/index');
  } catch (e) {
    throw new UserError(`The in-app ONNX engine could not be loaded (${(e as Error).message}); evaluate ${dir} as a served folder instead.`, 'no_inapp_engine');
  }
  // It checks the folder itself and says how to export one.
  return mod.openInAppModel(dir);
}

/** Opens a generator for a model spec; `close()` frees what only this generator holds (not shared servers). */
export async function openGenerator(project: Project, servers: LocalServers, spec: ModelSpec, onStatus?: (m: EngineMessage) => void): Promise<TextGenerator> {
  // The one status a local server sends (it is starting), with a code the UI translates.
  const starting = onStatus && ((text: string) => onStatus(message('model_server_starting', { model: spec.label }, text)));
  switch (spec.kind) {
    case 'endpoint': {
      const saved = findTeacher(project.db, spec.teacher);
      if (!saved) throw new UserError(`There is no teacher named "${spec.teacher}" in this project; add it on the Teacher step or choose another model.`, 'no_teacher');
      // A local teacher is started from its model folder now, and stopped with the others.
      const t = await liveTeacher(saved, { servers, onStatus: starting });
      const dir = templateDirOf(spec, t.model);
      if (!dir) {
        throw new UserError(
          `The teacher "${t.name}" serves ${t.model}, whose tokenizer and chat template are not on this machine; give the model "${spec.label}" a template folder (the model's tokenizer.json and chat template) so thinking tokens can be counted.`,
          'no_template_dir',
        );
      }
      const problem = folderProblem(dir);
      if (problem) throw new UserError(problem, 'invalid_model');
      const conn = teacherConnection(t);
      const headers = authHeaders(conn);
      const baseUrl = conn.baseUrls[0] ?? '';
      return completionGenerator({ baseUrl, model: t.model, headers, timeoutMs: 600_000 }, dir);
    }
    case 'local': {
      const dir = path.resolve(spec.dir);
      const problem = folderProblem(dir);
      if (problem) throw new UserError(problem, 'invalid_model');
      const s = await serverFor(servers, dir, spec.server, starting);
      return completionGenerator({ baseUrl: s.baseUrl, model: s.model, timeoutMs: 600_000 }, dir);
    }
    case 'onnx': {
      const dir = path.resolve(spec.dir);
      onStatus?.(message('model_loading_onnx', { model: spec.label }, `Loading the ONNX model in ${dir}…`));
      return openOnnx(dir);
    }
  }
}

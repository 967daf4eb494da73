import fs from 'node:fs';
import path from 'node:path';
import { complete } from '../chat/complete';
import { loadChatTemplate, type ChatMessage } from '../chat/template';
import type { LocalServerInfo } from '../localserve/manager';
import { getJob } from '../jobs';
import { questionById, type QuestionText } from '../pool/questions';
import type { Project } from '../store/project';
import { renderPrompt } from '../teacher/params';
import { teacherConnection } from '../teacher/credentials';
import { authHeaders } from '../teacher/client';
import { getTeacher } from '../teacher/store';
import { traceOrigin, type TraceOrigin } from '../traces/review-reads';
import { UserError } from '../util/errors';
import { traceTexts } from './revisions';

export interface RegenerateInput {
  traceId: number;
  /** Character offset in the CURRENT thinking: the text before it is kept, the teacher writes the rest. */
  offset: number;
  /** A registered teacher (its first endpoint and its key). */
  teacher?: string;
  /** Or a model folder served by a running local server (the Models step). */
  modelDir?: string;
  /** The folder whose chat template renders the prompt, when the teacher's model is not a local folder. */
  templateDir?: string;
  maxTokens?: number;
  temperature?: number;
  seed?: number;
  signal?: AbortSignal;
}

export interface Proposal {
  prefix: string;
  continuation: string;
  thinking: string;
  answer: string;
  /** Whether the model closed its thinking (else the answer is empty: raise maxTokens). */
  closed: boolean;
  finishReason: string | null;
  completionTokens: number | null;
  model: string;
  templateFile: string;
  /** The raw prompt sent to /v1/completions. */
  prompt: string;
}

interface Target {
  baseUrl: string;
  model: string;
  headers: Record<string, string>;
  templateDir: string;
  system: string | null;
  label: string;
}

const isDir = (d: string) => {
  try {
    return fs.statSync(d).isDirectory();
  } catch {
    return false;
  }
};

function target(project: Project, input: RegenerateInput, servers: () => LocalServerInfo[]): Target {
  if ((input.teacher ? 1 : 0) + (input.modelDir ? 1 : 0) !== 1) {
    throw new UserError('Choose the model that continues the thinking: a registered teacher or a running local model folder (one of them).', 'bad_target');
  }
  if (input.teacher) {
    const t = getTeacher(project.db, input.teacher);
    const conn = teacherConnection(t);
    const baseUrl = conn.baseUrls[0];
    if (!baseUrl) throw new UserError(`The teacher "${t.name}" has no endpoint; add its URL in the Teacher step.`, 'no_endpoint');
    const headers = authHeaders(conn);
    const templateDir = input.templateDir ?? (path.isAbsolute(t.model) && isDir(t.model) ? t.model : null);
    if (!templateDir) {
      throw new UserError(
        `The teacher "${t.name}" serves the model "${t.model}", which is not a local folder, so its chat template is unknown here; choose the folder that holds that model's tokenizer_config.json (templateDir).`,
        'no_template',
      );
    }
    return { baseUrl, model: t.model, headers, templateDir, system: t.systemPrompt, label: `the teacher "${t.name}"` };
  }
  const dir = path.resolve(input.modelDir as string);
  const s = servers().find((x) => path.resolve(x.modelDir) === dir && x.status === 'ready');
  if (!s) throw new UserError(`No local server is running for ${dir}; start it in the Models step (or choose a registered teacher).`, 'no_server');
  return { baseUrl: s.baseUrl, model: s.model, headers: {}, templateDir: input.templateDir ?? dir, system: null, label: `the local server for ${dir}` };
}

/**
 * The user turn the trace was generated from: the generation job's prompt template applied to the question
 * (and its system prompt), or the bare question for imported traces.
 */
function originalTurn(project: Project, traceId: number, fallbackSystem: string | null): { user: string; system: string | null } {
  const t = traceOrigin(project.db, traceId) as TraceOrigin;
  const q = questionById(project.db, t.question_id) as QuestionText;
  const job = t.job_id === null ? undefined : getJob(project.db, t.job_id);
  if (job?.kind !== 'generate' || !job.params) return { user: q.question, system: null };
  let p: { promptTemplate?: string; systemPrompt?: string | null } = {};
  try {
    p = JSON.parse(job.params) as typeof p;
  } catch {
    p = {};
  }
  const user = p.promptTemplate ? renderPrompt(p.promptTemplate, { question: q.question, answer: q.answer, domain: q.domain, id: t.question_id }) : q.question;
  // As generation does: null uses the teacher's system prompt, '' sends none.
  const system = p.systemPrompt === undefined || p.systemPrompt === null ? fallbackSystem : p.systemPrompt || null;
  return { user, system };
}

/** The raw prompt: the conversation rendered by the model's template, the assistant turn opened with thinkOpen + prefix. */
export function continuationPrompt(templateDir: string, messages: ChatMessage[], prefix: string): { prompt: string; thinkOpen: string; thinkClose: string; eos: string; file: string } {
  const tpl = loadChatTemplate(templateDir);
  let prompt = tpl.render(messages, { addGenerationPrompt: true });
  // Templates of reasoning models (R1, QwQ) already open the thinking in the generation prompt.
  if (prompt.trimEnd().endsWith(tpl.thinkOpen)) prompt = `${prompt.trimEnd()}\n`;
  else prompt += `${tpl.thinkOpen}\n`;
  return { prompt: prompt + prefix, thinkOpen: tpl.thinkOpen, thinkClose: tpl.thinkClose, eos: tpl.eosToken, file: tpl.file };
}

/** Splits a continuation at the thinking's closing tag into more thinking and the answer. */
export function splitContinuation(text: string, thinkClose: string, eos: string): { continuation: string; answer: string; closed: boolean } {
  let t = text;
  if (eos && t.endsWith(eos)) t = t.slice(0, -eos.length);
  const i = t.indexOf(thinkClose);
  if (i < 0) return { continuation: t, answer: '', closed: false };
  return { continuation: t.slice(0, i), answer: t.slice(i + thinkClose.length).trim(), closed: true };
}

/** Lets the teacher continue the thinking from a point the reviewer chose. Returns a proposal; saves nothing. */
export async function regenerate(project: Project, input: RegenerateInput, servers: () => LocalServerInfo[] = () => []): Promise<Proposal> {
  const cur = traceTexts(project.db, input.traceId);
  if (!Number.isInteger(input.offset) || input.offset < 0 || input.offset > cur.thinking.length) {
    throw new UserError(`The offset ${input.offset} is outside the thinking of trace ${input.traceId} (0 to ${cur.thinking.length} characters); mark a point inside the thinking.`, 'bad_offset');
  }
  const t = target(project, input, servers);
  const prefix = cur.thinking.slice(0, input.offset);
  const turn = originalTurn(project, input.traceId, t.system);
  const messages: ChatMessage[] = turn.system ? [{ role: 'system', content: turn.system }, { role: 'user', content: turn.user }] : [{ role: 'user', content: turn.user }];
  const p = continuationPrompt(t.templateDir, messages, prefix);
  let r;
  try {
    r = await complete(
      { baseUrl: t.baseUrl, model: t.model, headers: t.headers },
      { prompt: p.prompt, maxTokens: input.maxTokens ?? 4096, temperature: input.temperature, seed: input.seed, signal: input.signal },
    );
  } catch (e) {
    if (input.signal?.aborted) throw e;
    throw new UserError(`${(e as Error).message.replace(/\.$/, '')}; check that ${t.label} is running and serves /v1/completions.`, 'regenerate_failed');
  }
  const s = splitContinuation(r.text, p.thinkClose, p.eos);
  return {
    prefix,
    continuation: s.continuation,
    thinking: (prefix + s.continuation).trimEnd(),
    answer: s.answer,
    closed: s.closed,
    finishReason: r.finishReason,
    completionTokens: r.completionTokens,
    model: t.model,
    templateFile: p.file,
    prompt: p.prompt,
  };
}

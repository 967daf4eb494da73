import { createHash } from 'node:crypto';
import type { JobItem, JobKind, JobRunner, ItemContext } from '../jobs';
import type { DB, Project } from '../store/project';
import { jobTokenSums } from '../traces/store';
import { answeredKeys, generatedTraces, type GeneratedTraces, type Redo } from '../traces/generated';
import { knownQuestionIds, poolQuestionIds, questionLookup, type QuestionText } from '../pool/questions';
import { rng } from '../util/rng';
import { isUserError } from '../util/errors';
import { message } from '../util/messages';
import { AimdController, backoffMs, concurrencyCap, EndpointPool, limitReasonFields, sleep } from './control';
import { AttemptError } from './http';
import { modelMismatch } from './probe';
import { DEFAULT_PROMPT, generateParams, type GenerateInput, type GenerateParams } from './params';
import { buildPrompt, getPrompting, splitBeforeAnswer, templateOf } from './prompting';
import { redactUrl, teacherConnection } from './credentials';
import { authHeaders, chatStream } from './client';
import { getTeacher, type Teacher } from './store';
import { liveTeacher } from './live';
import { splitReasoning, type ChatStream } from './stream';
import { tokenizerForModel } from '../tokens';
import { captureTrace, logprobFields, openCapture } from './logprobs-capture';
import type { LogprobWriter } from './logprobs-store';

export const GENERATE_KIND = 'generate';

interface Payload {
  q: number;
  s: number;
}

/** Everything one running job shares between its items: keyed by the params object the runner hands out. */
interface JobState {
  ctrl: AimdController;
  ready?: Promise<Ready>;
  streamed: number;
  reportAt: number;
  reportTokens: number;
  rate: number;
  outputTokens: number;
  inputTokens: number;
  /** Per endpoint, once a request got 400/404: the model-name mismatch sentence, or null (see modelMismatch). */
  mismatch?: Map<string, Promise<string | null>>;
}

interface Ready {
  teacher: Teacher;
  pool: EndpointPool;
  headers: Record<string, string>;
  priceIn: number;
  priceOut: number;
  system: string | null;
  /** Captured top-k logprobs (params.logprobs), else null. */
  capture: LogprobWriter | null;
}

const states = new WeakMap<GenerateParams, JobState>();

function stateOf(params: GenerateParams): JobState {
  let s = states.get(params);
  if (!s) {
    s = { ctrl: new AimdController({ initial: 8, max: 1024 }), streamed: 0, reportAt: Date.now(), reportTokens: 0, rate: 0, outputTokens: 0, inputTokens: 0 };
    states.set(params, s);
  }
  return s;
}

async function prepare(project: Project, params: GenerateParams, jobId: number, st: JobState): Promise<Ready> {
  // A local teacher's server is started from its model folder now (localserve/ondemand.ts).
  const teacher = await liveTeacher(getTeacher(project.db, params.teacher));
  // The real URLs and header values live only in this job's memory; traces store the redacted endpoint.
  const conn = teacherConnection(teacher);
  const headers = authHeaders(conn, { 'content-type': 'application/json', accept: 'text/event-stream' });
  const sums = jobTokenSums(project.db, jobId);
  st.inputTokens = sums.input;
  st.outputTokens = sums.output;
  if (params.concurrency === 'auto') st.ctrl.capAt(concurrencyCap(teacher.preset, teacher.baseUrls));
  return {
    teacher,
    pool: new EndpointPool(conn.baseUrls),
    headers,
    priceIn: params.priceInput ?? teacher.priceInput ?? 0,
    priceOut: params.priceOutput ?? teacher.priceOutput ?? 0,
    system: params.systemPrompt ?? teacher.systemPrompt,
    capture: openCapture(project, params, jobId, teacher.model),
  };
}

/**
 * The traces a person reviewed or edited, which a redo of thinking-less traces must keep (review/ knows them:
 * `reviewedOrEditedTraceIds`; the engine passes it to `generateKindWith`, electron/core/kinds.ts).
 */
export type KeptTraces = (db: DB) => readonly number[];

/** What a redo asks for: nothing without `redoNoThinking`; with it, the kept traces (`kept` is required then). */
function redoOf(db: DB, p: GenerateParams, kept: KeptTraces | null): Redo {
  if (!p.redoNoThinking) return { redo: false, kept: [] };
  if (!kept) throw new Error('This generation job cannot tell which traces a person reviewed or edited (its kind was registered without them), so it will not redo any: run it through the engine.');
  return { redo: true, kept: kept(db) };
}

/** The questions a job covers, in import order (or a seeded sample), minus those this teacher already answered. */
export function planItems(db: DB, p: GenerateParams, kept: KeptTraces | null = null): { key: string; payload: Payload }[] {
  let ids: number[];
  const f = p.questions;
  switch (f.mode) {
    case 'all':
      ids = poolQuestionIds(db);
      break;
    case 'limit':
      ids = poolQuestionIds(db).slice(0, f.n);
      break;
    case 'ids': {
      const known = knownQuestionIds(db, f.ids);
      ids = [...new Set(f.ids)].filter((id) => known.has(id));
      break;
    }
    case 'sample': {
      const all = poolQuestionIds(db);
      const r = rng(f.seed);
      for (let i = all.length - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [all[i], all[j]] = [all[j] as number, all[i] as number];
      }
      ids = all.slice(0, f.n).sort((a, b) => a - b);
      break;
    }
  }
  const done = answeredKeys(db, p.teacher, redoOf(db, p, kept));
  const items: { key: string; payload: Payload }[] = [];
  for (const q of ids) for (let s = 0; s < p.samples; s++) if (!done.has(`${q}:${s}`)) items.push({ key: `${q}:${s}`, payload: { q, s } });
  return items;
}

/** Prepared once per database connection: compiling the upsert (and its index checks) per item is not free. */
interface Statements {
  traces: GeneratedTraces;
  question: (id: number) => QuestionText | undefined;
}
const statements = new WeakMap<DB, Statements>();

function stmts(db: DB): Statements {
  let st = statements.get(db);
  if (!st) {
    st = { traces: generatedTraces(db), question: questionLookup(db) };
    statements.set(db, st);
  }
  return st;
}

function tokens(s: ChatStream, thinking: string | null, answer: string | null, flags: string[], model: string) {
  const u = s.usage;
  const completion = u?.completion_tokens;
  const detail = u?.completion_tokens_details?.reasoning_tokens;
  if (completion !== undefined && detail !== undefined && detail !== null && (detail > 0 || !thinking)) {
    return { pt: u?.prompt_tokens ?? null, tt: thinking ? detail : 0, at: completion - detail };
  }
  // A local model folder: its own tokenizer splits the server's total (which stays authoritative), or
  // counts both parts when the server reports no usage.
  const tok = tokenizerForModel(model);
  if (tok) {
    const tt0 = thinking ? tok.count(thinking) : 0;
    if (completion === undefined) return { pt: u?.prompt_tokens ?? null, tt: tt0, at: answer ? tok.count(answer) : 0 };
    const tt = Math.min(completion, tt0);
    return { pt: u?.prompt_tokens ?? null, tt, at: completion - tt };
  }
  // Split the server's total by where the deltas (about one token each) or the characters went.
  let thinkShare: number;
  if (s.reasoningField && s.reasoningDeltas + s.contentDeltas > 0) thinkShare = s.reasoningDeltas / (s.reasoningDeltas + s.contentDeltas);
  else {
    const a = thinking?.length ?? 0;
    const b = answer?.length ?? 0;
    thinkShare = a + b > 0 ? a / (a + b) : 0;
  }
  const total = completion ?? s.reasoningDeltas + s.contentDeltas;
  if (completion === undefined || (thinking && answer)) flags.push('tokens_estimated');
  const tt = thinking ? Math.round(total * thinkShare) : 0;
  return { pt: u?.prompt_tokens ?? null, tt, at: total - tt };
}

async function runItem(item: JobItem, ctx: ItemContext<GenerateParams>, kept: KeptTraces | null): Promise<void> {
  const p = ctx.params;
  const st = stateOf(p);
  const db = ctx.project.db;
  const { q, s } = item.payload as Payload;
  let ready: Ready;
  try {
    st.ready ??= Promise.resolve().then(() => prepare(ctx.project, p, ctx.jobId, st));
    ready = await st.ready;
  } catch (e) {
    st.ready = undefined;
    ctx.fail(isUserError(e) ? e.message : `could not prepare the teacher: ${(e as Error).message}`);
    return;
  }
  // Another job (or an earlier run) may have answered it since the plan was made.
  const sql = stmts(db);
  let redo: Redo;
  try {
    redo = redoOf(db, p, kept);
  } catch (e) {
    ctx.fail((e as Error).message);
    return;
  }
  if (sql.traces.answered(q, p.teacher, s, redo)) {
    ctx.complete();
    return;
  }
  const row = sql.question(q);
  if (!row) {
    ctx.fail(`Question ${q} was deleted from the pool before it was asked.`);
    return;
  }
  const prompt = buildPrompt(p.promptTemplate ?? DEFAULT_PROMPT, { question: row.question, answer: row.answer, domain: row.domain, id: q }, { mode: p.reasoningMode ?? 'native', prompt: p.reasoningPrompt ?? null });
  const messages = ready.system ? [{ role: 'system', content: ready.system }, { role: 'user', content: prompt }] : [{ role: 'user', content: prompt }];
  const body: Record<string, unknown> = { model: ready.teacher.model, messages, stream: true, stream_options: { include_usage: true } };
  if (p.temperature !== null) body.temperature = p.temperature;
  if (p.topP !== null) body.top_p = p.topP;
  if (p.maxTokens !== null) body.max_tokens = p.maxTokens;
  Object.assign(body, logprobFields(p));
  const json = JSON.stringify(body);
  const hash = createHash('sha256').update(JSON.stringify([ready.teacher.model, messages, p.temperature, p.topP, p.maxTokens])).digest('hex').slice(0, 32);

  const onDeltas = (n: number) => {
    st.streamed += n;
    st.reportTokens += n;
    st.ctrl.onTokens(n, ready.pool.inFlight);
    const t = Date.now();
    if (t - st.reportAt >= 500) report(ctx, st, ready, t);
  };

  let lastError = '';
  let lastStatus: number | undefined;
  let endpoint = '';
  let attempt = 0;
  while (attempt < p.maxAttempts) {
    attempt++;
    endpoint = ready.pool.acquire();
    const t0 = Date.now();
    let stream: ChatStream;
    try {
      stream = await chatStream(endpoint, ready.headers, json, { timeoutMs: p.timeoutMs, signal: ctx.signal, logprobs: ready.capture !== null }, onDeltas);
    } catch (e) {
      if (ctx.signal.aborted) {
        ready.pool.release(endpoint, 'neutral');
        throw e;
      }
      const err = e instanceof AttemptError ? e : new AttemptError((e as Error).message, true);
      ready.pool.release(endpoint, err.opts.endpointDown ? 'down' : err.opts.status === undefined || err.opts.status >= 500 ? 'error' : 'neutral');
      if (err.opts.overload) st.ctrl.onOverload();
      lastError = err.message;
      lastStatus = err.opts.status;
      if (!err.retryable || attempt >= p.maxAttempts) break;
      const ra = err.opts.retryAfterMs;
      const wait = ra !== undefined ? Math.min(ra, p.maxRetryAfterMs) + Math.floor(Math.random() * 250) : backoffMs(attempt, p.backoffBaseMs, p.backoffCapMs);
      await sleep(wait, ctx.signal);
      continue;
    }
    ready.pool.release(endpoint, 'ok');
    const latency = Date.now() - t0;
    const content = stream.content.join('');
    const reasoning = stream.reasoning.join('');
    let parsed = splitReasoning(reasoning, stream.reasoningField, content);
    if (p.reasoningMode === 'split') parsed = splitBeforeAnswer(parsed, content);
    if (stream.finishReason === 'length') parsed.flags.push('truncated');
    const tk = tokens(stream, parsed.thinking, parsed.answer, parsed.flags, ready.teacher.model);
    st.inputTokens += tk.pt ?? 0;
    st.outputTokens += tk.tt + tk.at;
    const raw = JSON.stringify({ model: stream.model, finish_reason: stream.finishReason, usage: stream.usage, reasoning_field: stream.reasoningField, reasoning, content });
    ctx.complete(() => {
      // The kept traces are read again inside the transaction: a review made while the answer streamed counts.
      const changed = sql.traces.upsert(
        {
          q, s, teacher: p.teacher, status: 'done', thinking: parsed.thinking, answer: parsed.answer, raw, finish: stream.finishReason,
          pt: tk.pt, tt: tk.tt, at: tk.at, lat: latency, hash, error: null, attempts: attempt, now: new Date().toISOString(),
          rs: parsed.reasoningSource, flags: parsed.flags.length ? JSON.stringify(parsed.flags) : null, endpoint: redactUrl(endpoint), job: ctx.jobId,
        },
        redoOf(db, p, kept),
      );
      const cap = ready.capture;
      if (!cap || !changed) return;
      const note = captureTrace(cap, db, stream, { q, s, teacher: p.teacher, thinking: parsed.thinking, answer: parsed.answer, k: p.logprobs ?? 0 });
      // the UI words it (traces.progress.logprobsMissing); the CLI prints the note from meta.json
      if (note) ctx.report({ logprobs_missing: p.logprobs ?? 0 });
    });
    return;
  }
  // transformers serve answers 400 to any model name but the one it was started with: say which names it serves
  if (lastStatus === 400 || lastStatus === 404) {
    st.mismatch ??= new Map();
    if (!st.mismatch.has(endpoint)) st.mismatch.set(endpoint, modelMismatch(endpoint, ready.headers, ready.teacher.model, ready.teacher.name));
    const hint = await st.mismatch.get(endpoint);
    if (hint) lastError = `${lastError}; ${hint}`;
  }
  const error = `Failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${lastError}`;
  // A failure never replaces a finished trace (redo: 0): the thinking-less answer stays until a new one arrives.
  ctx.fail(error, () => {
    sql.traces.upsert(
      {
        q, s, teacher: p.teacher, status: 'failed', thinking: null, answer: null, raw: null, finish: null, pt: null, tt: null, at: null, lat: null,
        hash, error, attempts: attempt, now: new Date().toISOString(), rs: null, flags: null, endpoint: redactUrl(endpoint), job: ctx.jobId,
      },
      { redo: false, kept: [] },
    );
  });
}

function report(ctx: ItemContext<GenerateParams>, st: JobState, ready: Ready, t: number): void {
  const dt = (t - st.reportAt) / 1000;
  st.rate = dt > 0 ? st.reportTokens / dt : st.rate;
  st.reportAt = t;
  st.reportTokens = 0;
  ctx.report({
    tokens_per_s: Math.round(st.rate),
    in_flight: ready.pool.inFlight,
    concurrency: ctx.params.concurrency === 'auto' ? st.ctrl.limit : ctx.params.concurrency,
    ...(ctx.params.concurrency === 'auto' ? limitReasonFields(st.ctrl.reason) : {}),
    streamed_tokens: st.streamed,
    cost: ready.priceIn || ready.priceOut ? Math.round(((st.inputTokens * ready.priceIn + st.outputTokens * ready.priceOut) / 1e6) * 10_000) / 10_000 : null,
    endpoints_down: ready.pool.snapshot().filter((e) => e.down).length,
  });
}

/**
 * The generation job. `kept` says which traces a person reviewed or edited (review/ knows; the engine passes it):
 * without it the job runs as usual but refuses a redo of thinking-less traces, which could replace such a trace.
 */
export function generateKindWith(kept: KeptTraces | null): JobKind<GenerateParams> {
  return {
    kind: GENERATE_KIND,
    params: generateParams,
    concurrency: (p) => (p.concurrency === 'auto' ? stateOf(p).ctrl.limit : p.concurrency),
    plan: (project, p) => planItems(project.db, p, kept),
    run: (item, ctx) => runItem(item, ctx, kept),
    labelMessage: (p) => message('job_label_generate', { teacher: p.teacher }, `Generate with ${p.teacher}`),
  };
}

/** The generation job without Review's kept traces (tests, and jobs that never redo: pseudo-labels, the difficulty filter). */
export const generateKind = generateKindWith(null);

/**
 * Starts a generation job, or resumes the unfinished one with the very same parameters: running the
 * same command twice continues the first job instead of asking anything again.
 */
export function startOrResume(runner: JobRunner, input: GenerateInput): { jobId: number; resumed: boolean } {
  return runner.startOrResume(GENERATE_KIND, generateParams.parse(resolvePrompting(runner.project.db, input)));
}

/**
 * Writes the teacher's prompt settings into the job's params where the caller left them out, so that the job
 * record says exactly what was sent and resuming it later sends the same, whatever the teacher's settings are by
 * then. 'native' adds no key, so a job without a reasoning setting keeps the params text of earlier versions.
 */
export function resolvePrompting(db: DB, input: GenerateInput): GenerateInput {
  const pr = getPrompting(db, input.teacher);
  const mode = input.reasoningMode ?? pr.reasoningMode;
  const out: GenerateInput = { ...input, promptTemplate: input.promptTemplate ?? templateOf(pr) };
  delete out.reasoningMode;
  delete out.reasoningPrompt;
  if (mode !== 'native') {
    out.reasoningMode = mode;
    out.reasoningPrompt = input.reasoningPrompt !== undefined ? input.reasoningPrompt : pr.reasoningPrompt;
  }
  return out;
}

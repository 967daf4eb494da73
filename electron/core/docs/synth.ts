import { z } from 'zod';
import type { JobItem, JobKind, JobRunner, ItemContext } from '../jobs';
import { insertQuestion, questionIdByHash } from '../pool/questions';
import { normHash } from '../pool/text';
import type { DB } from '../store/project';
import { backoffMs, EndpointPool, sleep } from '../teacher/control';
import { teacherConnection } from '../teacher/credentials';
import { authHeaders, chatStream } from '../teacher/client';
import { AttemptError } from '../teacher/http';
import { getTeacher, type Teacher } from '../teacher/store';
import { splitReasoning } from '../teacher/stream';
import { UserError } from '../util/errors';
import { estimateTokens } from './chunker';
import { languageOf, parseReply, QUESTION_TYPES, synthPrompt } from './prompt';
import { findQuote } from './quote';
import { chunkIds } from './store';
import { message } from '../util/messages';

export const SYNTH_KIND = 'synthesize';

export const synthParams = z.object({
  teacher: z.string().trim().min(1),
  perChunk: z.number().int().min(1).max(20).default(3),
  types: z.array(z.enum(QUESTION_TYPES)).min(1).default([...QUESTION_TYPES]),
  language: z.enum(['en', 'zh', 'auto']).default('auto'),
  /** Documents to write from (all when left out). */
  documents: z.array(z.number().int().positive()).max(10_000).optional(),
  concurrency: z.number().int().min(1).max(64).default(4),
  maxTokens: z.number().int().min(64).max(100_000).default(4096),
  temperature: z.number().min(0).max(2).nullable().default(0.7),
  timeoutMs: z.number().int().min(1_000).max(3_600_000).default(300_000),
});
export type SynthParams = z.infer<typeof synthParams>;
export type SynthInput = z.input<typeof synthParams>;

interface ChunkCtx {
  id: number;
  text: string;
  document: string;
  headingPath: string[];
  pageFrom: number;
  pageTo: number;
  paged: boolean;
}

function chunkCtx(db: DB, id: number): ChunkCtx | undefined {
  const r = db.prepare('SELECT c.id, c.text, c.heading_path, c.page_from, c.page_to, d.name, d.paged FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id = ?').get(id) as
    | { id: number; text: string; heading_path: string; page_from: number; page_to: number; name: string; paged: number }
    | undefined;
  return r && { id: r.id, text: r.text, document: r.name, headingPath: JSON.parse(r.heading_path) as string[], pageFrom: r.page_from, pageTo: r.page_to, paged: Boolean(r.paged) };
}

interface Answer {
  content: string;
  promptTokens: number;
  completionTokens: number;
  ms: number;
}

/** One request through the teacher's streaming client and endpoint pool, with the generation job's retry rules. */
async function ask(t: { teacher: Teacher; pool: EndpointPool; headers: Record<string, string> }, prompt: string, p: SynthParams, signal: AbortSignal): Promise<Answer> {
  const messages = t.teacher.systemPrompt ? [{ role: 'system', content: t.teacher.systemPrompt }, { role: 'user', content: prompt }] : [{ role: 'user', content: prompt }];
  const body: Record<string, unknown> = { model: t.teacher.model, messages, stream: true, stream_options: { include_usage: true }, max_tokens: p.maxTokens };
  if (p.temperature !== null) body.temperature = p.temperature;
  const json = JSON.stringify(body);
  let last = '';
  for (let attempt = 1; attempt <= 4; attempt++) {
    const endpoint = t.pool.acquire();
    const t0 = Date.now();
    try {
      const s = await chatStream(endpoint, t.headers, json, { timeoutMs: p.timeoutMs, signal });
      t.pool.release(endpoint, 'ok');
      // A reasoning teacher's thinking is not the reply: the JSON is in what it answered after thinking.
      const parsed = splitReasoning(s.reasoning.join(''), s.reasoningField, s.content.join(''));
      const content = parsed.answer ?? '';
      return { content, promptTokens: s.usage?.prompt_tokens ?? estimateTokens(prompt), completionTokens: s.usage?.completion_tokens ?? estimateTokens(s.reasoning.join('') + s.content.join('')), ms: Date.now() - t0 };
    } catch (e) {
      if (signal.aborted) {
        t.pool.release(endpoint, 'neutral');
        throw e;
      }
      const err = e instanceof AttemptError ? e : new AttemptError((e as Error).message, true);
      t.pool.release(endpoint, err.opts.endpointDown ? 'down' : 'error');
      last = err.message;
      if (!err.retryable || attempt === 4) break;
      await sleep(err.opts.retryAfterMs !== undefined ? Math.min(err.opts.retryAfterMs, 30_000) : backoffMs(attempt, 500, 20_000), signal);
    }
  }
  throw new AttemptError(`teacher "${t.teacher.name}": ${last}`, false);
}

function connect(db: DB, name: string) {
  const teacher = getTeacher(db, name);
  const conn = teacherConnection(teacher);
  const headers = authHeaders(conn, { 'content-type': 'application/json', accept: 'text/event-stream' });
  return { teacher, pool: new EndpointPool(conn.baseUrls), headers };
}

export interface Verdict {
  status: 'accepted' | 'duplicate' | 'rejected';
  reason: string | null;
  type: string | null;
  question: string | null;
  answer: string | null;
  quote: string | null;
  quoteStart: number | null;
  quoteEnd: number | null;
  raw: string;
  duplicateOf: number | null;
}

/** Judges every question of one reply: malformed, wrong type, quote not in the chunk, duplicate of the pool (or of this reply), or accepted. */
export function judgeReply(db: DB, chunk: ChunkCtx, reply: string, p: Pick<SynthParams, 'perChunk' | 'types'>): Verdict[] {
  const parsed = parseReply(reply);
  const none = { type: null, question: null, answer: null, quote: null, quoteStart: null, quoteEnd: null, duplicateOf: null };
  if (!parsed.ok) return [{ ...none, status: 'rejected', reason: parsed.reason, raw: reply.slice(0, 20_000) }];
  const seen = new Set<string>();
  return parsed.items.map((it, i): Verdict => {
    if (!it.ok) return { ...none, status: 'rejected', reason: it.reason, raw: it.raw };
    const q = it.item;
    const base = { ...none, type: q.type ?? null, question: q.question, answer: q.answer, quote: q.quote, raw: it.raw };
    if (i >= p.perChunk) return { ...base, status: 'rejected', reason: `more questions than the ${p.perChunk} asked for` };
    if (q.type !== undefined && !(p.types as readonly string[]).includes(q.type)) return { ...base, status: 'rejected', reason: `type "${q.type}" is not one of those asked for (${p.types.join(', ')})` };
    const found = findQuote(chunk.text, q.quote);
    if (!found.ok) return { ...base, status: 'rejected', reason: found.reason };
    const hash = normHash(q.question);
    const prev = questionIdByHash(db, hash);
    if (prev !== undefined) return { ...base, status: 'duplicate', reason: `duplicate of question #${prev}`, duplicateOf: prev, quoteStart: found.start, quoteEnd: found.end };
    if (seen.has(hash)) return { ...base, status: 'duplicate', reason: 'the same question twice in one reply', quoteStart: found.start, quoteEnd: found.end };
    seen.add(hash);
    return { ...base, status: 'accepted', reason: null, quoteStart: found.start, quoteEnd: found.end };
  });
}

/** Writes one chunk's verdicts: accepted questions into the pool (source "synthesized", linked to the chunk), every outcome kept. */
function writeVerdicts(db: DB, chunk: ChunkCtx, verdicts: Verdict[], teacher: string, jobId: number, lang: 'en' | 'zh'): number {
  const ts = new Date().toISOString();
  const insL = db.prepare('INSERT INTO question_chunks (question_id, chunk_id, qtype, quote, quote_start, quote_end, teacher, job_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insO = db.prepare('INSERT INTO synth_outcomes (job_id, chunk_id, status, reason, question_id, question, raw, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  let accepted = 0;
  for (const v of verdicts) {
    let qid: number | null = v.duplicateOf;
    let status = v.status;
    let reason = v.reason;
    if (status === 'accepted') {
      // Another item of this job may have written the same question since the verdict: checked in the transaction.
      const hash = normHash(v.question!);
      const prev = questionIdByHash(db, hash);
      if (prev !== undefined) [status, reason, qid] = ['duplicate', `duplicate of question #${prev}`, prev];
      else {
        const metadata = JSON.stringify({ chunk: chunk.id, document: chunk.document, type: v.type });
        qid = insertQuestion(db, { question: v.question!, answer: v.answer, domain: null, source: 'synthesized', lang, metadata, createdAt: ts, normHash: hash });
        insL.run(qid, chunk.id, v.type, v.quote, v.quoteStart, v.quoteEnd, teacher, jobId, ts);
        accepted++;
      }
    }
    insO.run(jobId, chunk.id, status, reason, qid, v.question, v.raw, ts);
  }
  return accepted;
}

interface State {
  conn?: ReturnType<typeof connect>;
  accepted: number;
  rejected: number;
  tokens: number;
}
const states = new WeakMap<SynthParams, State>();

async function runItem(item: JobItem, ctx: ItemContext<SynthParams>): Promise<void> {
  const p = ctx.params;
  let st = states.get(p);
  if (!st) states.set(p, (st = { accepted: 0, rejected: 0, tokens: 0 }));
  const db = ctx.project.db;
  try {
    st.conn ??= connect(db, p.teacher);
  } catch (e) {
    ctx.fail((e as Error).message);
    return;
  }
  const chunk = chunkCtx(db, item.payload as number);
  if (!chunk) {
    ctx.fail(`Chunk ${String(item.payload)} no longer exists (its document was removed).`);
    return;
  }
  const lang = languageOf({ language: p.language, text: chunk.text });
  let answer: Answer;
  try {
    answer = await ask(st.conn, synthPrompt({ ...chunk, n: p.perChunk, types: p.types, language: p.language }), p, ctx.signal);
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    ctx.fail((e as Error).message);
    return;
  }
  const verdicts = judgeReply(db, chunk, answer.content, p);
  const s = st;
  ctx.complete(() => {
    const a = writeVerdicts(db, chunk, verdicts, p.teacher, ctx.jobId, lang);
    s.accepted += a;
    s.rejected += verdicts.length - a;
  });
  s.tokens += answer.promptTokens + answer.completionTokens;
  ctx.report({ accepted: s.accepted, rejected_or_duplicate: s.rejected, tokens: s.tokens });
}

export const synthKind: JobKind<SynthParams> = {
  kind: SYNTH_KIND,
  params: synthParams,
  concurrency: (p) => p.concurrency,
  plan: (project, p) => chunkIds(project.db, p.documents).map((id) => ({ key: String(id), payload: id })),
  run: runItem,
  labelMessage: (p) => message('job_label_synth', { teacher: p.teacher }, `Questions from documents with ${p.teacher}`),
};

function checkReady(db: DB, p: SynthParams): number[] {
  getTeacher(db, p.teacher);
  const ids = chunkIds(db, p.documents);
  if (!ids.length) throw new UserError('There are no document chunks to write questions from; add documents first (the Sources tab, or "distillery docs add PROJECT FILES").', 'no_chunks');
  return ids;
}

/** Starts the synthesis job, or resumes the unfinished one with the very same settings (like generation). */
export function startOrResumeSynthesis(runner: JobRunner, input: SynthInput): { jobId: number; resumed: boolean; chunks: number } {
  const params = synthParams.parse(input);
  const ids = checkReady(runner.project.db, params);
  return { ...runner.startOrResume(SYNTH_KIND, params), chunks: ids.length };
}

export { chunkCtx, connect, ask, checkReady, type ChunkCtx };

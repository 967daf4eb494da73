// The generate job's side of logprob capture: what the request asks for, and one record per stored trace.
import type { DB, Project } from '../store/project';
import { doneTraceIdsOfJob, generatedTraceLookup } from '../traces/store';
import { encodeRecord } from './logprobs';
import { captureDir, CAPTURED_FORMAT, LogprobWriter, traceKey } from './logprobs-store';
import type { GenerateParams } from './params';
import type { ChatStream } from './stream';

/** The request fields that ask for top-k logprobs (chat completions). */
export function logprobFields(p: GenerateParams): Record<string, unknown> {
  return p.logprobs ? { logprobs: true, top_logprobs: p.logprobs } : {};
}

export function openCapture(project: Project, p: GenerateParams, jobId: number, model: string): LogprobWriter | null {
  if (!p.logprobs) return null;
  const stored = new Set(doneTraceIdsOfJob(project.db, jobId));
  const meta = { format: CAPTURED_FORMAT, job: jobId, teacher: p.teacher, model, top_k: p.logprobs, note: null };
  return new LogprobWriter(captureDir(project.artifactsDir, jobId), meta, (t) => stored.has(t));
}

export const noLogprobsNote = (k: number): string =>
  `The teacher server sent no logprobs although top-${k} were asked for (logprobs: true, top_logprobs: ${k}), so these traces have none for distillation; use a server that returns them (vLLM, SGLang, llama.cpp).`;

const traceIds = new WeakMap<DB, (q: number, teacher: string, s: number) => number | undefined>();

function traceIdOf(db: DB, q: number, teacher: string, s: number): number | undefined {
  let f = traceIds.get(db);
  if (!f) {
    f = generatedTraceLookup(db);
    traceIds.set(db, f);
  }
  return f(q, teacher, s);
}

/**
 * Writes a stored trace's logprobs; call inside the transaction that stored it. Returns the job's note when
 * this answer came without logprobs (said once per job).
 */
export function captureTrace(
  w: LogprobWriter,
  db: DB,
  stream: ChatStream,
  t: { q: number; s: number; teacher: string; thinking: string | null; answer: string | null; k: number },
): string | null {
  const tokens = stream.logprobs ?? [];
  if (!tokens.length) {
    if (w.note) return null;
    const note = noLogprobsNote(t.k);
    w.setNote(note);
    return note;
  }
  const trace = traceIdOf(db, t.q, t.teacher, t.s);
  if (trace === undefined) return null;
  w.write(encodeRecord(tokens, t.k), { trace, q: t.q, s: t.s, n: tokens.length, tkey: traceKey(t.thinking, t.answer) });
  return null;
}

import { redactUrl } from '../teacher/credentials';
import { completionStream } from '../teacher/client';
import { AttemptError } from '../teacher/http';
import type { ChatStream } from '../teacher/stream';

/** A server with an OpenAI-style legacy completions endpoint (vLLM, SGLang, llama.cpp's server, transformers serve). */
export interface CompletionTarget {
  /** Base URL ending in /v1. */
  baseUrl: string;
  model: string;
  headers?: Record<string, string>;
  /** Idle timeout: no byte for this long fails the request. */
  timeoutMs?: number;
}

export interface CompletionRequest {
  /** The raw prompt text (a chat template already applied). */
  prompt: string;
  maxTokens: number;
  temperature?: number;
  topP?: number;
  seed?: number;
  stop?: string[];
  signal?: AbortSignal;
  /** Called with the whole text so far whenever new text arrives. */
  onText?: (textSoFar: string) => void;
}

export interface CompletionResult {
  text: string;
  finishReason: string | null;
  /** Tokens the server says it generated, when it reports usage. */
  completionTokens: number | null;
  /** Milliseconds from the request to the first text (time to first token). */
  firstTextMs: number | null;
  totalMs: number;
}

/** Streams one raw-text completion; resolves with the whole text once the server finished cleanly. */
export async function complete(target: CompletionTarget, req: CompletionRequest): Promise<CompletionResult> {
  const body: Record<string, unknown> = {
    model: target.model,
    prompt: req.prompt,
    max_tokens: req.maxTokens,
    stream: true,
    stream_options: { include_usage: true },
  };
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.stop && req.stop.length > 0) body.stop = req.stop;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream', ...target.headers };
  const t0 = performance.now();
  let first: number | null = null;
  const onDeltas = (_n: number, s: ChatStream) => {
    first ??= performance.now() - t0;
    req.onText?.(s.content.join(''));
  };
  let s: ChatStream;
  try {
    s = await completionStream(target.baseUrl, headers, JSON.stringify(body), { timeoutMs: target.timeoutMs ?? 120_000, signal: req.signal }, onDeltas);
  } catch (e) {
    if (e instanceof AttemptError) throw new Error(`The completion request to ${redactUrl(target.baseUrl)} failed: ${e.message}.`, { cause: e });
    throw e;
  }
  return {
    text: s.content.join(''),
    finishReason: s.finishReason,
    completionTokens: s.usage?.completion_tokens ?? null,
    firstTextMs: first,
    totalMs: performance.now() - t0,
  };
}

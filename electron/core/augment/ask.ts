import type { DB } from '../store/project';
import { backoffMs, EndpointPool, sleep } from '../teacher/control';
import { teacherConnection } from '../teacher/credentials';
import { authHeaders, chatStream } from '../teacher/client';
import { AttemptError } from '../teacher/http';
import { getTeacher, type Teacher } from '../teacher/store';
import { splitReasoning } from '../teacher/stream';

/** A teacher ready to be asked: the real endpoints and headers live only here, in memory (teacher/README). */
export interface Asker {
  teacher: Teacher;
  ask(prompt: string, signal: AbortSignal, opts?: { maxTokens?: number | null; temperature?: number | null }): Promise<Reply>;
}

export interface Reply {
  /** The response after any thinking (what the teacher answered). */
  answer: string;
  thinking: string | null;
  finishReason: string | null;
}

const MAX_ATTEMPTS = 4;

/**
 * The same streaming client, endpoint pool and retry rules as the generation job (teacher/http.ts): retryable
 * failures (429, 5xx, cuts, timeouts) are asked again with full-jitter backoff; others fail at once.
 */
export function teacherAsker(db: DB, name: string, timeoutMs = 300_000): Asker {
  const teacher = getTeacher(db, name);
  const conn = teacherConnection(teacher);
  const headers = authHeaders(conn, { 'content-type': 'application/json', accept: 'text/event-stream' });
  const pool = new EndpointPool(conn.baseUrls);
  const system = teacher.systemPrompt;
  return {
    teacher,
    async ask(prompt, signal, opts = {}) {
      const messages = system ? [{ role: 'system', content: system }, { role: 'user', content: prompt }] : [{ role: 'user', content: prompt }];
      const body: Record<string, unknown> = { model: teacher.model, messages, stream: true, stream_options: { include_usage: true } };
      if (opts.maxTokens) body.max_tokens = opts.maxTokens;
      if (opts.temperature !== undefined && opts.temperature !== null) body.temperature = opts.temperature;
      const json = JSON.stringify(body);
      let last = '';
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const endpoint = pool.acquire();
        try {
          const s = await chatStream(endpoint, headers, json, { timeoutMs, signal });
          pool.release(endpoint, 'ok');
          const parsed = splitReasoning(s.reasoning.join(''), s.reasoningField, s.content.join(''));
          return { answer: parsed.answer ?? '', thinking: parsed.thinking, finishReason: s.finishReason };
        } catch (e) {
          if (signal.aborted) {
            pool.release(endpoint, 'neutral');
            throw e;
          }
          const err = e instanceof AttemptError ? e : new AttemptError((e as Error).message, true);
          pool.release(endpoint, err.opts.endpointDown ? 'down' : 'error');
          last = err.message;
          if (!err.retryable || attempt === MAX_ATTEMPTS) break;
          await sleep(err.opts.retryAfterMs !== undefined ? Math.min(err.opts.retryAfterMs, 30_000) : backoffMs(attempt, 500, 20_000), signal);
        }
      }
      throw new AttemptError(`teacher "${teacher.name}": ${last}`, false);
    },
  };
}

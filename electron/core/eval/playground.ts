/**
 * The Playground: one budget-forced generation streamed as events — thinking and answer apart, the Waits
 * inserted, time to first token and tokens/s — for any registered model or the in-app student.
 */
import type { TextGenerator } from '../chat/generator';
import type { LocalServers } from '../localserve/manager';
import type { Project } from '../store/project';
import { budgetForce } from './forcing';
import { openGenerator } from './models';
import type { PlaygroundEvent, PlaygroundInput } from './types';
import type { EngineMessage } from '../util/messages';
import { isUserError } from '../util/errors';

/** In-app (ONNX) models stay loaded between Playground turns; freed after this long unused. */
const KEEP_LOADED_MS = 5 * 60_000;
const loaded = new Map<string, { gen: Promise<TextGenerator>; timer: NodeJS.Timeout | null; users: number }>();

async function acquire(project: Project, servers: LocalServers, input: PlaygroundInput, status: (m: EngineMessage) => void): Promise<{ gen: TextGenerator; release(): void }> {
  if (input.model.kind !== 'onnx') return { gen: await openGenerator(project, servers, input.model, status), release: () => undefined };
  const key = input.model.dir;
  let e = loaded.get(key);
  if (!e) {
    e = { gen: openGenerator(project, servers, input.model, status), timer: null, users: 0 };
    loaded.set(key, e);
    e.gen.catch(() => loaded.delete(key));
  }
  const entry = e;
  if (entry.timer) clearTimeout(entry.timer);
  entry.users++;
  const gen = await entry.gen;
  return {
    gen,
    release: () => {
      entry.users--;
      if (entry.users > 0) return;
      entry.timer = setTimeout(() => {
        loaded.delete(key);
        void gen.close?.().catch(() => undefined);
      }, KEEP_LOADED_MS);
      entry.timer.unref();
    },
  };
}

/** Frees every in-app model the Playground keeps loaded (tests; a host shutting down). */
export async function closeLoadedModels(): Promise<void> {
  const all = [...loaded.values()];
  loaded.clear();
  await Promise.all(
    all.map(async (e) => {
      if (e.timer) clearTimeout(e.timer);
      const gen = await e.gen.catch(() => null);
      await gen?.close?.().catch(() => undefined);
    }),
  );
}

/** Text events are coalesced to at most one per this many ms (the final text always goes out). */
const TEXT_EVERY_MS = 50;

export async function* playground(project: Project, servers: LocalServers, input: PlaygroundInput, signal?: AbortSignal): AsyncGenerator<PlaygroundEvent> {
  const queue: PlaygroundEvent[] = [];
  let wake: (() => void) | null = null;
  let finished = false;
  const push = (e: PlaygroundEvent) => {
    // Whole-text events replace an unsent one of the same type: a slow client never falls behind.
    const last = queue[queue.length - 1];
    if (last && (e.type === 'thinking' || e.type === 'answer') && last.type === e.type) queue[queue.length - 1] = e;
    else queue.push(e);
    notify();
  };
  function notify(): void {
    const w = wake;
    wake = null;
    w?.();
  }
  const abort = new AbortController();
  const onAbort = () => abort.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });

  const work = (async () => {
    let held = null as { gen: TextGenerator; release(): void } | null;
    try {
      held = await acquire(project, servers, input, (m) => push({ type: 'status', message: m.text, note: m }));
      const gen = held.gen;
      const tok = gen.tokenizer;
      const started = performance.now();
      let lastThinking = 0;
      let lastAnswer = 0;
      let ttft: number | null = null;
      let countedAt = 0;
      let tokens = 0;
      const result = await budgetForce(
        gen,
        {
          messages: input.messages,
          maxThinking: input.maxThinking,
          minThinking: input.minThinking ?? (input.waits ? input.maxThinking : 0),
          waits: input.waits ?? 0,
          waitWord: input.waitWord,
          maxAnswerTokens: input.maxAnswerTokens ?? 1024,
          temperature: input.temperature ?? 0,
          seed: input.seed,
          signal: abort.signal,
        },
        {
          onFirstText: (ms) => {
            ttft = ms;
            push({ type: 'stats', ttftMs: ms, tokensPerSecond: null });
          },
          onThinking: (text) => {
            const now = performance.now();
            if (now - lastThinking < TEXT_EVERY_MS) return;
            lastThinking = now;
            // Counting the whole text is linear: recount at most every 250 ms.
            if (now - countedAt > 250) {
              tokens = tok.count(text);
              countedAt = now;
              const secs = (now - started - (ttft ?? 0)) / 1000;
              if (secs > 0.2) push({ type: 'stats', ttftMs: ttft, tokensPerSecond: tokens / secs });
            }
            push({ type: 'thinking', text, tokens });
          },
          onWait: (waits) => push({ type: 'wait', waits }),
          onAnswer: (text) => {
            const now = performance.now();
            if (now - lastAnswer < TEXT_EVERY_MS) return;
            lastAnswer = now;
            push({ type: 'answer', text });
          },
        },
      );
      push({ type: 'thinking', text: result.thinking, tokens: result.thinkingTokens });
      push({ type: 'answer', text: result.answer });
      push({ type: 'stats', ttftMs: result.ttftMs, tokensPerSecond: result.tokensPerSecond });
      push({ type: 'done', result });
    } catch (e) {
      if (!abort.signal.aborted) push({ type: 'error', message: (e as Error).message, code: isUserError(e) ? e.code : 'playground_failed' });
    } finally {
      // Local servers are shared and stay up; an in-app model stays loaded a while for the next turn.
      held?.release();
      finished = true;
      notify();
    }
  })();

  try {
    for (;;) {
      const e = queue.shift();
      if (e) {
        yield e;
        if (e.type === 'done' || e.type === 'error') break;
        continue;
      }
      if (finished) break;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    abort.abort(new Error('the Playground stream was closed'));
    await work;
  }
}

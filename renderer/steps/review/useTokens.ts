import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import type { Sample } from './types';

type Field = 'thinking' | 'answer';
export interface LiveTokens {
  thinking: number;
  answer: number;
  source: 'student' | 'estimate';
  /** A count is being refreshed after an edit. */
  stale: boolean;
}

const DEBOUNCE_MS = 300;

/**
 * Thinking and answer token counts in the student's tokenizer, live while typing: each field is counted
 * again (review.countTokens) once the typing pauses; the newest answer wins.
 */
export function useTokens(sample: Sample | null, seq: number, read: (f: Field) => string | null) {
  const [tokens, setTokens] = useState<LiveTokens | null>(sample ? { ...sample.tokens, stale: false } : null);
  const timers = useRef<Record<Field, number | null>>({ thinking: null, answer: null });
  const asked = useRef<Record<Field, number>>({ thinking: 0, answer: 0 });
  const readRef = useRef(read);
  readRef.current = read;
  const traceId = sample?.traceId ?? null;

  useEffect(() => {
    for (const f of ['thinking', 'answer'] as const) {
      if (timers.current[f] !== null) window.clearTimeout(timers.current[f]!);
      timers.current[f] = null;
      asked.current[f]++;
    }
    setTokens(sample ? { ...sample.tokens, stale: false } : null);
    // Reset only when the editors get a new text (seq), not on every save of the same sample.
  }, [traceId, seq]);

  const edited = useCallback((f: Field) => {
    setTokens((t) => (t && !t.stale ? { ...t, stale: true } : t));
    if (timers.current[f] !== null) window.clearTimeout(timers.current[f]!);
    timers.current[f] = window.setTimeout(() => {
      timers.current[f] = null;
      const text = readRef.current(f);
      if (text === null) return;
      const mine = ++asked.current[f];
      api.review.countTokens
        .query({ text })
        .then((r) => {
          if (mine !== asked.current[f]) return;
          setTokens((t) => (t ? { ...t, [f]: r.tokens, source: r.source, stale: timers.current.thinking !== null || timers.current.answer !== null } : t));
        })
        .catch(() => undefined);
    }, DEBOUNCE_MS);
  }, []);

  useEffect(
    () => () => {
      for (const f of ['thinking', 'answer'] as const) if (timers.current[f] !== null) window.clearTimeout(timers.current[f]!);
    },
    [],
  );

  return { tokens, edited };
}

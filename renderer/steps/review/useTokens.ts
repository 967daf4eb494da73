import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
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
  // The counts belong to the text in the editors (`key`): a new text starts from the sample's own counts in
  // the same render, with no effect that sets them and renders again.
  const key = sample ? `${sample.traceId}:${seq}` : '';
  const base = useMemo<LiveTokens | null>(() => (sample ? { ...sample.tokens, stale: false } : null), [key]);
  const [own, setOwn] = useState<{ key: string; tokens: LiveTokens | null } | null>(null);
  const tokens = own?.key === key ? own.tokens : base;
  const current = useRef({ key, base });
  current.current = { key, base };
  const timers = useRef<Record<Field, number | null>>({ thinking: null, answer: null });
  const asked = useRef<Record<Field, number>>({ thinking: 0, answer: 0 });
  const readRef = useRef(read);
  readRef.current = read;

  const setTokens = useCallback((f: (t: LiveTokens | null) => LiveTokens | null) => {
    setOwn((o) => {
      const { key: k, base: b } = current.current;
      const cur = o?.key === k ? o.tokens : b;
      const next = f(cur);
      return next === cur ? o : { key: k, tokens: next };
    });
  }, []);

  useEffect(() => {
    for (const f of ['thinking', 'answer'] as const) {
      if (timers.current[f] !== null) window.clearTimeout(timers.current[f]);
      timers.current[f] = null;
      asked.current[f]++;
    }
    // Reset only when the editors get a new text (seq), not on every save of the same sample.
  }, [key]);

  const edited = useCallback((f: Field) => {
    setTokens((t) => (t && !t.stale ? { ...t, stale: true } : t));
    if (timers.current[f] !== null) window.clearTimeout(timers.current[f]);
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
  }, [setTokens]);

  useEffect(
    () => () => {
      for (const f of ['thinking', 'answer'] as const) if (timers.current[f] !== null) window.clearTimeout(timers.current[f]);
    },
    [],
  );

  return { tokens, edited };
}

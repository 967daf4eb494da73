import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api/client';
import { toApiError, type ApiError } from '../../api/hooks';
import type { CodeEditor } from './monaco/TraceEditor';
import { useAutosave } from './useAutosave';
import type { useQueue } from './useQueue';
import type { Sample, Texts } from './types';

export interface Current {
  sample: Sample;
  /** Bumped whenever the editors must show a text from outside (another sample, undo, a resolution). */
  seq: number;
}

/**
 * The open sample: loading (with the neighbours prefetched, so J/K show the next trace at once), the
 * editors' texts, autosave, and moving through the queue. Moving first saves what is pending; a conflict
 * keeps the reviewer on the sample until it is resolved.
 */
export function useSession(queue: ReturnType<typeof useQueue>, author: string) {
  const cache = useRef(new Map<number, Sample>());
  const [current, setCurrent] = useState<Current | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const editors = useRef<{ thinking: CodeEditor | null; answer: CodeEditor | null }>({ thinking: null, answer: null });
  const seq = useRef(0);
  const nav = useRef(0);
  const cur = useRef(current);
  cur.current = current;
  // The queue object changes with every page or patch; the callbacks below read it through a ref.
  const q = useRef(queue);
  q.current = queue;

  const read = useCallback((): Texts | null => {
    const th = editors.current.thinking?.getModel();
    const an = editors.current.answer?.getModel();
    return th && an ? { thinking: th.getValue(), answer: an.getValue() } : null;
  }, []);

  const fetchSample = useCallback(async (traceId: number) => {
    const s = await api.review.sample.query({ traceId });
    cache.current.set(traceId, s);
    return s;
  }, []);

  const autosave = useAutosave({
    traceId: current?.sample.traceId ?? null,
    head: current?.sample.head ?? 0,
    author,
    read,
    onSaved: (r, texts) => {
      const c = cur.current;
      if (!c) return;
      const s: Sample = { ...c.sample, ...texts, head: r.head, revisions: c.sample.revisions + (r.coalesced || r.unchanged ? 0 : 1), tokens: r.tokens, verdict: r.answerChanged ? r.verdict : c.sample.verdict };
      cache.current.set(s.traceId, s);
      setCurrent({ sample: s, seq: c.seq });
      // The queue's row follows at a lower priority (the list re-renders in slices, between keystrokes).
      startTransition(() =>
        q.current.patch([s.traceId], (row) => ({
          ...row,
          head: r.head,
          revisions: Math.max(row.revisions, r.unchanged ? row.revisions : 1),
          thinkingTokens: r.tokens.thinking,
          answerTokens: r.tokens.answer,
          tokensEstimated: r.tokens.source === 'estimate',
          verdict: r.answerChanged ? (r.verdict?.equivalent ?? null) : row.verdict,
        })),
      );
    },
  });

  /** Shows a sample, replacing the editors' text. */
  const show = useCallback((s: Sample) => {
    cache.current.set(s.traceId, s);
    setCurrent({ sample: s, seq: ++seq.current });
  }, []);

  const as = useRef(autosave);
  as.current = autosave;

  const open = useCallback(
    async (i: number) => {
      const queue = q.current;
      const autosave = as.current;
      const total = queue.filtered ?? 0;
      if (i < 0 || i >= total) return;
      const mine = ++nav.current;
      if (!(await autosave.flush())) return;
      const row = await queue.rowAsync(i);
      if (!row || mine !== nav.current) return;
      let s = cache.current.get(row.traceId);
      const cached = s !== undefined;
      try {
        s ??= await fetchSample(row.traceId);
      } catch (e) {
        if (mine === nav.current) setLoadError(toApiError(e));
        return;
      }
      if (mine !== nav.current) return;
      setLoadError(null);
      show(s);
      for (const j of [i + 1, i - 1, i + 2]) {
        const r = q.current.row(j);
        if (r && !cache.current.has(r.traceId)) void fetchSample(r.traceId).catch(() => undefined);
      }
      // A prefetched copy may be old (another window saved since): check it once shown.
      if (cached) {
        const shown = s;
        void fetchSample(row.traceId)
          .then((fresh) => {
            if (mine === nav.current && fresh.head !== shown.head && !as.current.dirty()) show(fresh);
          })
          .catch(() => undefined);
      }
    },
    [fetchSample, show],
  );

  const move = useCallback(
    (delta: 1 | -1) => {
      const i = cur.current ? q.current.indexOf(cur.current.sample.traceId) : -1;
      void open(i < 0 ? 0 : i + delta);
    },
    [open],
  );

  /** Reloads the open sample from the engine (after undo or an import), replacing the editors' text. */
  const reload = useCallback(async () => {
    const c = cur.current;
    if (!c) return;
    try {
      const s = await fetchSample(c.sample.traceId);
      as.current.rebase(s.head);
      show(s);
    } catch (e) {
      setLoadError(toApiError(e));
    }
  }, [fetchSample, show]);

  /** Updates the open sample's fields without touching the editors (a decision). */
  const patch = useCallback((fields: Partial<Sample>) => {
    const c = cur.current;
    if (!c) return;
    const s = { ...c.sample, ...fields };
    cache.current.set(s.traceId, s);
    setCurrent({ sample: s, seq: c.seq });
  }, []);

  /** Forgets cached samples (after a bulk decision or a bundle import changed them). */
  const forget = useCallback((traceIds?: Iterable<number>) => {
    if (!traceIds) cache.current.clear();
    else for (const id of traceIds) cache.current.delete(id);
  }, []);

  // The first sample opens by itself once the queue has rows.
  const ready = (queue.filtered ?? 0) > 0;
  useEffect(() => {
    if (ready && !cur.current) void open(0);
  }, [ready, open]);

  return useMemo(
    () => ({ current, loadError, editors, read, autosave, open, move, show, reload, patch, forget }),
    [current, loadError, read, autosave, open, move, show, reload, patch, forget],
  );
}

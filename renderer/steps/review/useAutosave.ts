import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { api } from '../../api/client';
import { toApiError, type ApiError } from '../../api/hooks';
import { CLIENT_ID, type Conflict, type SaveResult, type Texts } from './types';

export type SaveState = 'saved' | 'pending' | 'saving' | 'conflict' | 'error';
type Ok = Extract<SaveResult, { ok: true }>;

/** Quiet time after the last keystroke before a save… */
export const IDLE_MS = 350;
/** …but never later than this after the first unsaved edit (every edit is on disk within a second). */
export const MAX_WAIT_MS = 700;
const RETRY_MS = 2000;

export interface SaveSnapshot {
  state: SaveState;
  savedAt: Date | null;
}

/**
 * The save state (pending → saving → saved, several times a second while typing) lives outside React state:
 * only the components that show it subscribe (useSaveState), so a save cycle never re-renders the editors' pane.
 */
export class SaveStore {
  private snap: SaveSnapshot = { state: 'saved', savedAt: null };
  private readonly subs = new Set<() => void>();
  readonly get = (): SaveSnapshot => this.snap;
  readonly subscribe = (f: () => void): (() => void) => {
    this.subs.add(f);
    return () => this.subs.delete(f);
  };
  set(next: Partial<SaveSnapshot>): void {
    const s = { ...this.snap, ...next };
    if (s.state === this.snap.state && s.savedAt === this.snap.savedAt) return;
    this.snap = s;
    for (const f of this.subs) f();
  }
}

/** The save state, for the few components that show it. */
export function useSaveState(store: SaveStore): SaveSnapshot {
  return useSyncExternalStore(store.subscribe, store.get);
}

/**
 * Autosave of one sample: edits are saved with `review.save` (baseRevision = the head last seen) at most
 * MAX_WAIT_MS after they were typed. A conflict stops autosaving until the reviewer chooses mine / theirs /
 * merged; a failed call (host gone) is retried and the edit stays pending, never dropped.
 */
export function useAutosave(opts: { traceId: number | null; head: number; author: string; read: () => Texts | null; onSaved: (r: Ok, texts: Texts) => void }) {
  const [store] = useState(() => new SaveStore());
  const setState = useCallback((state: SaveState) => store.set({ state }), [store]);
  const [error, setError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const o = useRef(opts);
  o.current = opts;
  const base = useRef(opts.head);
  const dirty = useRef(false);
  const firstDirty = useRef(0);
  const timer = useRef<number | null>(null);
  const inflight = useRef<Promise<void> | null>(null);
  const blocked = useRef(false);

  // A new sample (or a text replaced from outside) starts from its own head with nothing pending.
  useEffect(() => {
    base.current = opts.head;
  }, [opts.traceId, opts.head]);
  useEffect(() => {
    dirty.current = false;
    blocked.current = false;
    setConflict(null);
    setError(null);
    store.set({ state: 'saved', savedAt: null });
  }, [opts.traceId]);

  const clear = () => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = null;
  };

  const apply = useCallback((r: SaveResult, texts: Texts) => {
    if (r.ok) {
      base.current = r.head;
      setError(null);
      o.current.onSaved(r, texts);
      store.set({ savedAt: new Date(), state: dirty.current ? 'pending' : 'saved' });
    } else {
      blocked.current = true;
      setConflict(r.conflict);
      setState('conflict');
    }
  }, [setState, store]);

  const run = useCallback((): Promise<void> => {
    clear();
    if (inflight.current) return inflight.current.then(() => (dirty.current && !blocked.current ? run() : undefined));
    const id = o.current.traceId;
    const texts = o.current.read();
    if (id === null || !texts || !dirty.current || blocked.current) return Promise.resolve();
    dirty.current = false;
    firstDirty.current = 0;
    setState('saving');
    const p = api.review.save
      .mutate({ traceId: id, baseRevision: base.current, thinking: texts.thinking, answer: texts.answer, author: o.current.author, clientId: CLIENT_ID })
      .then((r) => {
        if (id === o.current.traceId) apply(r, texts);
      })
      .catch((e: unknown) => {
        dirty.current = true;
        setError(toApiError(e));
        setState('error');
        timer.current = window.setTimeout(() => void run(), RETRY_MS);
      })
      .finally(() => {
        inflight.current = null;
      });
    inflight.current = p;
    return p.then(() => (dirty.current && !blocked.current && timer.current === null ? run() : undefined));
  }, [apply, setState]);

  /** The user typed: schedule a save. */
  const edit = useCallback(() => {
    if (blocked.current) return;
    const now = Date.now();
    dirty.current = true;
    if (!firstDirty.current) firstDirty.current = now;
    if (store.get().state !== 'saving') setState('pending');
    clear();
    const at = Math.min(now + IDLE_MS, firstDirty.current + MAX_WAIT_MS);
    timer.current = window.setTimeout(() => void run(), Math.max(0, at - now));
  }, [run, setState, store]);

  /** Saves what is pending now (before moving to another sample, undoing, regenerating). */
  const flush = useCallback(async (): Promise<boolean> => {
    await run();
    return !blocked.current && !dirty.current;
  }, [run]);

  /** Saves given texts as one revision (an accepted regeneration, a chosen conflict resolution). */
  const commit = useCallback(
    async (texts: Texts, how: 'regenerate' | 'resolve', baseRevision?: number): Promise<boolean> => {
      const id = o.current.traceId;
      if (id === null) return false;
      clear();
      if (inflight.current) await inflight.current;
      dirty.current = false;
      setState('saving');
      try {
        const input = { traceId: id, baseRevision: baseRevision ?? base.current, thinking: texts.thinking, answer: texts.answer, author: o.current.author, clientId: CLIENT_ID };
        const r = how === 'resolve' ? await api.review.resolve.mutate(input) : await api.review.save.mutate({ ...input, kind: 'regenerate' });
        if (r.ok) {
          blocked.current = false;
          setConflict(null);
        }
        apply(r, texts);
        return r.ok;
      } catch (e) {
        setError(toApiError(e));
        setState('error');
        return false;
      }
    },
    [apply, setState],
  );

  /** The head moved on by another path (undo): continue from there. */
  const rebase = useCallback((head: number) => {
    base.current = head;
    dirty.current = false;
    blocked.current = false;
    setConflict(null);
    setState('saved');
  }, [setState]);

  // Leaving the page with an edit pending: one last try, and the browser's own warning.
  useEffect(() => {
    const before = (e: BeforeUnloadEvent) => {
      if (!dirty.current && !inflight.current) return;
      void run();
      e.preventDefault();
    };
    window.addEventListener('beforeunload', before);
    return () => {
      window.removeEventListener('beforeunload', before);
      clear();
    };
  }, [run]);

  const head = useCallback(() => base.current, []);
  const isDirty = useCallback(() => dirty.current || inflight.current !== null, []);
  // One object per change of error or conflict (the save state is in `store`), so the panes that take it
  // re-render only when something they show changed.
  return useMemo(() => ({ store, error, conflict, edit, flush, commit, rebase, head, dirty: isDirty }), [store, error, conflict, edit, flush, commit, rebase, head, isDirty]);
}

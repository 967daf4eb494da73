import { useEffect, useRef } from 'react';
import { api } from './client';
import { useConnection } from './hooks';

/** A job in one of these states is no longer moving: its view refreshes at once, not at the next tick. */
const STOPPED = new Set(['paused', 'cancelled', 'failed', 'done']);

/** How often a view refreshes at most while its job reports progress: never more often than the 1 s poll it replaced. */
export const PROGRESS_REFRESH_MS = 1000;

/**
 * Calls `onChange` when the engine reports progress of job `jobId` (the jobs.progress subscription: IPC in
 * Electron, SSE in browser mode), instead of polling: at most once every `everyMs` while the job runs (the
 * last event of a burst is never dropped), at once when it stops (done, failed, cancelled, paused), and once
 * each time the stream (re)connects, since events may have gone by unseen before. Nothing runs while the job
 * is quiet. `jobId` null or `enabled` false: no subscription. The stream opens again when the engine comes
 * back after it stopped responding.
 */
export function useJobProgress(jobId: number | null, onChange: () => void, { enabled = true, everyMs = PROGRESS_REFRESH_MS } = {}): void {
  const callback = useRef(onChange);
  callback.current = onChange;
  const { epoch } = useConnection();
  useEffect(() => {
    if (!enabled || jobId === null) return;
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const now = () => {
      if (timer) clearTimeout(timer);
      timer = null;
      last = Date.now();
      callback.current();
    };
    const soon = () => {
      if (timer) return;
      const wait = last + everyMs - Date.now();
      if (wait <= 0) now();
      else timer = setTimeout(now, wait);
    };
    const sub = api.jobs.progress.subscribe(undefined, {
      onStarted: soon,
      onData: (p) => {
        if (p.jobId !== jobId) return;
        if (STOPPED.has(p.status)) now();
        else soon();
      },
    });
    return () => {
      sub.unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [jobId, enabled, everyMs, epoch]);
}

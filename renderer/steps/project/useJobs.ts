import { useEffect, useState } from 'react';
import type { JobProgress } from '../../../electron/core/jobs/types';
import { api } from '../../api/client';
import { toApiError, type ApiError } from '../../api/hooks';

/** The project's jobs: jobs.list once, then kept live by the jobs.progress subscription (IPC or SSE). */
export function useJobs(projectPath: string) {
  const [jobs, setJobs] = useState<Map<number, JobProgress>>(new Map());
  const [error, setError] = useState<ApiError | null>(null);
  const [live, setLive] = useState(false);

  useEffect(() => {
    let stopped = false;
    api.jobs.list
      .query()
      .then((list) => {
        if (stopped) return;
        setJobs((prev) => {
          const next = new Map(list.map((j) => [j.jobId, j] as const));
          // Events that arrived before the list are newer than it.
          for (const [id, j] of prev) next.set(id, j);
          return next;
        });
      })
      .catch((e: unknown) => !stopped && setError(toApiError(e)));
    const sub = api.jobs.progress.subscribe(undefined, {
      onStarted: () => setLive(true),
      onData: (p) => setJobs((prev) => new Map(prev).set(p.jobId, p)),
      onError: (e) => {
        setLive(false);
        setError(toApiError(e));
      },
      onStopped: () => setLive(false),
    });
    return () => {
      stopped = true;
      sub.unsubscribe();
    };
  }, [projectPath]);

  const sorted = [...jobs.values()].sort((a, b) => b.jobId - a.jobId);
  return { jobs: sorted, error, live, setError };
}

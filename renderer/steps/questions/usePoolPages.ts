import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import { toApiError, type ApiError } from '../../api/hooks';
import type { Filter, PoolRow, SortKey } from './types';

export const PAGE = 200;

/**
 * The pool as pages fetched on demand: the virtualised table asks for the visible range and only
 * missing pages are requested. A change of filter or sort starts a new generation and drops the cache.
 */
export function usePoolPages(filter: Filter, sort: SortKey, dir: 'asc' | 'desc') {
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [, setTick] = useState(0);
  const pages = useRef(new Map<number, PoolRow[]>());
  const inflight = useRef(new Set<number>());
  const gen = useRef(0);
  const key = JSON.stringify([filter, sort, dir]);
  const query = useRef({ filter, sort, dir });
  query.current = { filter, sort, dir };

  const fetchPage = useCallback((p: number) => {
    if (pages.current.has(p) || inflight.current.has(p)) return;
    const mine = gen.current;
    inflight.current.add(p);
    const q = query.current;
    api.pool.list
      .query({ ...q.filter, sort: q.sort, dir: q.dir, offset: p * PAGE, limit: PAGE })
      .then((r) => {
        if (mine !== gen.current) return;
        pages.current.set(p, r.rows);
        setTotal(r.total);
        setError(null);
        setTick((n) => n + 1);
      })
      .catch((e: unknown) => {
        if (mine === gen.current) setError(toApiError(e));
      })
      .finally(() => {
        if (mine === gen.current) inflight.current.delete(p);
      });
  }, []);

  /** Drops every cached page and fetches the first one again (after a filter change or an edit). */
  const reload = useCallback(
    (keepTotal = true) => {
      gen.current++;
      pages.current = new Map();
      inflight.current = new Set();
      if (!keepTotal) setTotal(null);
      fetchPage(0);
    },
    [fetchPage],
  );

  useEffect(() => {
    reload(false);
  }, [key, reload]);

  const ensure = useCallback(
    (start: number, end: number) => {
      for (let p = Math.floor(Math.max(0, start) / PAGE); p <= Math.floor(Math.max(0, end) / PAGE); p++) fetchPage(p);
    },
    [fetchPage],
  );

  const row = useCallback((i: number): PoolRow | undefined => pages.current.get(Math.floor(i / PAGE))?.[i % PAGE], []);

  /** Patches loaded rows in place (after a bulk edit) so the table does not flash while it reloads. */
  const patch = useCallback((ids: Set<number>, fn: (r: PoolRow) => PoolRow) => {
    for (const [p, rows] of pages.current) pages.current.set(p, rows.map((r) => (ids.has(r.id) ? fn(r) : r)));
    setTick((n) => n + 1);
  }, []);

  return { total, error, row, ensure, reload, patch };
}

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api/client';
import { toApiError, type ApiError } from '../../api/hooks';
import type { QueueInput, QueuePage, QueueRow } from './types';

/** Server pages in the paged mode. */
export const PAGE = 500;
/** Up to this many samples the whole queue is held in the page and filtered there (no round trip per filter). */
export const LOCAL_MAX = 5000;
const LOCAL_PAGE = 1000;

export type QueueFilter = Pick<QueueInput, 'status' | 'domain' | 'search' | 'verdict' | 'scope'>;

export interface QueueMeta {
  counts: QueuePage['counts'];
  domains: string[];
  reviewers: string[];
  tokenizer: QueuePage['tokenizer'];
}

interface Local {
  order: number[];
  rows: Map<number, QueueRow>;
  /** Some question is longer than its row's preview: a search must also ask the engine (full text). */
  truncated: boolean;
}

/** The engine's filter (electron/core/review/queue.ts), applied to rows already in the page. */
function matches(r: QueueRow, f: QueueFilter, hits: Set<number> | null): boolean {
  if (f.status && r.status !== f.status) return false;
  if (f.domain && r.domain !== f.domain) return false;
  if (f.verdict && (f.verdict === 'correct' ? r.verdict !== true : f.verdict === 'wrong' ? r.verdict !== false : r.verdict !== null)) return false;
  if (f.search && !r.question.toLowerCase().includes(f.search.toLowerCase()) && !hits?.has(r.traceId)) return false;
  return true;
}

/**
 * The review queue. Up to LOCAL_MAX samples (a 1,000-sample selection) it is loaded once and filtered in
 * the page, so a filter answers within a frame; a search also asks the engine when a question is longer
 * than its preview. Beyond that, pages come from the engine on demand. Decisions patch rows in place and
 * the list keeps its order until the filter changes, so it never jumps while the reviewer works through it.
 */
export function useQueue(filter: QueueFilter) {
  const [meta, setMeta] = useState<QueueMeta | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [local, setLocal] = useState<Local | null>(null);
  const [paged, setPaged] = useState(false);
  const [filteredServer, setFilteredServer] = useState<number | null>(null);
  const [hits, setHits] = useState<{ search: string; ids: Set<number> } | null>(null);
  const [tick, setTick] = useState(0);
  const [probeSeq, setProbeSeq] = useState(0);
  const pages = useRef(new Map<number, QueueRow[]>());
  const inflight = useRef(new Map<number, Promise<void>>());
  const gen = useRef(0);
  const current = useRef(filter);
  current.current = filter;
  const scope = filter.scope;
  const rest: QueueFilter = useMemo(() => ({ status: filter.status, domain: filter.domain, search: filter.search || undefined, verdict: filter.verdict }), [filter.status, filter.domain, filter.search, filter.verdict]);

  const keepMeta = (r: QueuePage) => setMeta({ counts: r.counts, domains: r.domains, reviewers: r.reviewers, tokenizer: r.tokenizer });

  // The scope's size decides the mode; a small queue is loaded whole.
  useEffect(() => {
    const mine = ++gen.current;
    pages.current = new Map();
    inflight.current = new Map();
    (async () => {
      const first = await api.review.queue.query({ scope, offset: 0, limit: LOCAL_PAGE });
      if (mine !== gen.current) return;
      keepMeta(first);
      if (first.filtered > LOCAL_MAX) {
        setLocal(null);
        setPaged(true);
        return;
      }
      const more = await Promise.all(
        Array.from({ length: Math.ceil(first.filtered / LOCAL_PAGE) - 1 }, (_, k) => api.review.queue.query({ scope, offset: (k + 1) * LOCAL_PAGE, limit: LOCAL_PAGE })),
      );
      if (mine !== gen.current) return;
      const all = [first, ...more].flatMap((p) => p.rows);
      setLocal({ order: all.map((r) => r.traceId), rows: new Map(all.map((r) => [r.traceId, r])), truncated: all.some((r) => r.question.endsWith('…')) });
      setPaged(false);
      setError(null);
    })().catch((e: unknown) => {
      if (mine === gen.current) setError(toApiError(e));
    });
  }, [scope, probeSeq]);

  // A search over questions longer than their preview: the engine answers for the full text.
  useEffect(() => {
    const search = rest.search;
    if (!local?.truncated || !search) return;
    let stop = false;
    (async () => {
      const ids = new Set<number>();
      for (let off = 0; ; off += LOCAL_PAGE) {
        const r = await api.review.queue.query({ scope, search, offset: off, limit: LOCAL_PAGE });
        for (const row of r.rows) ids.add(row.traceId);
        if (stop || off + LOCAL_PAGE >= r.filtered) break;
      }
      if (!stop) setHits({ search, ids });
    })().catch(() => undefined);
    return () => {
      stop = true;
    };
  }, [local, scope, rest.search]);

  // The filtered order is computed when the filter changes, not when a row is patched (stable list).
  const rowsRef = useRef<Map<number, QueueRow>>(new Map());
  rowsRef.current = local?.rows ?? rowsRef.current;
  const view = useMemo(() => {
    if (!local) return null;
    const h = hits && hits.search === rest.search ? hits.ids : null;
    return local.order.filter((id) => matches(rowsRef.current.get(id)!, rest, h));
  }, [local?.order, rest, hits]); // rows: read through the ref on purpose (see above)

  // Paged mode: pages of the filtered queue from the engine.
  const fetchPage = useCallback((p: number): Promise<void> => {
    const known = inflight.current.get(p);
    if (pages.current.has(p)) return Promise.resolve();
    if (known) return known;
    const mine = gen.current;
    const req = api.review.queue
      .query({ ...current.current, search: current.current.search || undefined, offset: p * PAGE, limit: PAGE })
      .then((r) => {
        if (mine !== gen.current) return;
        pages.current.set(p, r.rows);
        setFilteredServer(r.filtered);
        keepMeta(r);
        setError(null);
        setTick((n) => n + 1);
      })
      .catch((e: unknown) => {
        if (mine === gen.current) setError(toApiError(e));
      })
      .finally(() => {
        if (mine === gen.current) inflight.current.delete(p);
      });
    inflight.current.set(p, req);
    return req;
  }, []);

  const key = JSON.stringify(filter);
  useEffect(() => {
    if (!paged) return;
    gen.current++;
    pages.current = new Map();
    inflight.current = new Map();
    setFilteredServer(null);
    void fetchPage(0);
  }, [key, paged, fetchPage]);

  const filtered = view ? view.length : paged ? filteredServer : null;

  const ensure = useCallback(
    (start: number, end: number) => {
      if (!paged) return;
      for (let p = Math.floor(Math.max(0, start) / PAGE); p <= Math.floor(Math.max(0, end) / PAGE); p++) void fetchPage(p);
    },
    [paged, fetchPage],
  );

  const row = useCallback(
    (i: number): QueueRow | undefined => {
      if (view) {
        const id = view[i];
        return id === undefined ? undefined : local?.rows.get(id);
      }
      return pages.current.get(Math.floor(i / PAGE))?.[i % PAGE];
    },
    // tick: paged rows arrive through the ref
    [view, local, tick],
  );

  const rowAsync = useCallback(
    async (i: number): Promise<QueueRow | undefined> => {
      if (!view) await fetchPage(Math.floor(i / PAGE));
      return row(i);
    },
    [view, fetchPage, row],
  );

  const indexOf = useCallback(
    (traceId: number): number => {
      if (view) return view.indexOf(traceId);
      for (const [p, rows] of pages.current) {
        const k = rows.findIndex((r) => r.traceId === traceId);
        if (k >= 0) return p * PAGE + k;
      }
      return -1;
    },
    [view, tick],
  );

  /** Patches rows (after a decision or a save) without reloading or re-filtering. */
  const patch = useCallback((traceIds: Iterable<number>, fn: (r: QueueRow) => QueueRow) => {
    const ids = new Set(traceIds);
    setLocal((l) => {
      if (!l) return l;
      const rows = new Map(l.rows);
      for (const id of ids) {
        const r = rows.get(id);
        if (r) rows.set(id, fn(r));
      }
      return { ...l, rows };
    });
    for (const [p, rows] of pages.current) pages.current.set(p, rows.map((r) => (ids.has(r.traceId) ? fn(r) : r)));
    setTick((n) => n + 1);
  }, []);

  /** Loads the queue again (after an import changed it). */
  const reload = useCallback(() => setProbeSeq((n) => n + 1), []);

  /** Fresh counts ("312 / 1,000 reviewed") after decisions. */
  const refreshCounts = useCallback(async () => {
    try {
      const counts = await api.review.counts.query({ scope: current.current.scope });
      setMeta((m) => (m ? { ...m, counts } : m));
    } catch (e) {
      setError(toApiError(e));
    }
  }, []);

  return { filtered, meta, error, row, rowAsync, ensure, indexOf, patch, reload, refreshCounts, tick, local: view !== null };
}

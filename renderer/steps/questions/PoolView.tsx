import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { ErrorBoundary } from '../../app/ErrorBoundary';
import { ErrorNote } from '../../app/ui';
import { useDebounced } from '../../app/useDebounced';
import { BulkBar } from './BulkBar';
import { DetailPane } from './DetailPane';
import { FilterBar, type FilterState } from './FilterBar';
import { Kbd, isTyping } from './parts';
import { PoolTable } from './PoolTable';
import { usePoolPages } from './usePoolPages';
import type { Filter, SortKey } from './types';

/** The pool: search, filters, sort, a virtualised table with multi-select, bulk edits and a detail pane. */
export function PoolView({ version, onChanged, active }: { version: number; onChanged: () => void; active: boolean }) {
  const { t } = useTranslation();
  const [fs, setFs] = useState<FilterState>({ search: '', domain: '*', source: '*', status: 'all' });
  const search = useDebounced(fs.search, 300);
  const [sort, setSort] = useState<SortKey>('id');
  const [dir, setDir] = useState<'asc' | 'desc'>('asc');
  const filter: Filter = useMemo(
    () => ({
      search: search.trim() || undefined,
      domains: fs.domain === '*' ? undefined : [fs.domain],
      sources: fs.source === '*' ? undefined : [fs.source],
      status: fs.status,
    }),
    [search, fs.domain, fs.source, fs.status],
  );
  const pool = usePoolPages(filter, sort, dir);
  const facets = useApiQuery(() => api.pool.facets.query(), [version]);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [cursor, setCursor] = useState(-1);
  const anchor = useRef(-1);
  // A row j/k moved onto before its page was loaded: selected once it arrives.
  const pendingSelect = useRef(-1);
  const [detailVersion, setDetailVersion] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);
  const total = pool.total ?? 0;

  const filterKey = JSON.stringify([filter, sort, dir]);
  useEffect(() => {
    setCursor(-1);
    anchor.current = -1;
  }, [filterKey]);
  const { reload } = pool;
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);

  const cursorRow = cursor >= 0 ? pool.row(cursor) : undefined;

  const setExcluded = useApiMutation((ids: number[], excluded: boolean) => api.pool.setExcluded.mutate({ ids, excluded }));
  const setDomain = useApiMutation((ids: number[], domain: string | null) => api.pool.setDomain.mutate({ ids, domain }));
  const selectAll = useApiMutation(() => api.pool.ids.query(filter));

  const afterEdit = useCallback(() => {
    pool.reload();
    setDetailVersion((n) => n + 1);
    onChanged();
  }, [pool, onChanged]);

  const exclude = useCallback(
    async (ids: number[], excluded: boolean) => {
      if (!ids.length) return;
      const set = new Set(ids);
      pool.patch(set, (r) => ({ ...r, excluded: excluded ? 1 : 0, exclude_reason: excluded ? 'excluded by hand' : null }));
      await setExcluded.run(ids, excluded);
      afterEdit();
    },
    [pool, setExcluded, afterEdit],
  );
  const selectEvery = async () => {
    const ids = await selectAll.run();
    if (ids) setSelected(new Set(ids));
  };
  const setSelectedDomain = async (d: string) => {
    const ids = [...selected];
    if (!ids.length) return;
    await setDomain.run(ids, d || null);
    afterEdit();
  };

  const onRowClick = (i: number, e: MouseEvent) => {
    const r = pool.row(i);
    if (!r) return;
    setCursor(i);
    if (e.shiftKey && anchor.current >= 0) {
      const next = new Set(e.ctrlKey || e.metaKey ? selected : []);
      const [a, b] = anchor.current < i ? [anchor.current, i] : [i, anchor.current];
      for (let k = a; k <= b; k++) {
        const rr = pool.row(k);
        if (rr) next.add(rr.id);
      }
      setSelected(next);
      return;
    }
    anchor.current = i;
    if (e.ctrlKey || e.metaKey) {
      const next = new Set(selected);
      if (next.has(r.id)) next.delete(r.id);
      else next.add(r.id);
      setSelected(next);
    } else setSelected(new Set([r.id]));
  };

  const onToggle = (i: number) => {
    const r = pool.row(i);
    if (!r) return;
    anchor.current = i;
    const next = new Set(selected);
    if (next.has(r.id)) next.delete(r.id);
    else next.add(r.id);
    setSelected(next);
  };

  // Keyboard: '/' search, j/k move, x toggles exclude of the row under the cursor.
  const keyState = useRef({ cursor, total, row: pool.row, exclude });
  keyState.current = { cursor, total, row: pool.row, exclude };
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const s = keyState.current;
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === 'j' || e.key === 'k') {
        if (!s.total) return;
        e.preventDefault();
        const next = Math.min(s.total - 1, Math.max(0, s.cursor + (e.key === 'j' ? 1 : -1)));
        setCursor(next);
        anchor.current = next;
        const r = s.row(next);
        if (r) setSelected(new Set([r.id]));
        else pendingSelect.current = next;
      } else if (e.key === 'x') {
        const r = s.cursor >= 0 ? s.row(s.cursor) : undefined;
        if (!r) return;
        e.preventDefault();
        void s.exclude([r.id], !r.excluded);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);

  // j/k onto a row that was not loaded yet: select it once its page arrives.
  useEffect(() => {
    if (cursorRow && pendingSelect.current === cursor) {
      pendingSelect.current = -1;
      setSelected(new Set([cursorRow.id]));
    }
  }, [cursorRow, cursor]);

  const f = facets.data;
  return (
    <div className="space-y-3">
      <FilterBar value={fs} onChange={setFs} facets={f} searchRef={searchRef} />
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <p className="text-slate-600 dark:text-slate-400" data-testid="pool-total" aria-live="polite">
          {pool.total === null ? t('common.loading') : t('questions.pool.total', { count: total, formatted: total.toLocaleString() })}
          {f && <span className="ml-2 text-xs text-slate-400">· {t('questions.pool.poolSize', { total: f.total.toLocaleString(), excluded: f.excluded.toLocaleString() })}</span>}
        </p>
        <div className="flex items-center gap-3 text-xs text-slate-500" data-testid="shortcuts" aria-label={t('questions.pool.shortcuts')}>
          <span className="font-medium">{t('questions.pool.shortcuts')}:</span>
          <span>
            <Kbd>/</Kbd> {t('questions.pool.keys.search')}
          </span>
          <span>
            <Kbd>j</Kbd> <Kbd>k</Kbd> {t('questions.pool.keys.move')}
          </span>
          <span>
            <Kbd>x</Kbd> {t('questions.pool.keys.exclude')}
          </span>
        </div>
      </div>
      <BulkBar
        selected={selected.size}
        total={total}
        pending={setExcluded.pending || setDomain.pending || selectAll.pending}
        onSelectAll={() => void selectEvery()}
        onClear={() => setSelected(new Set())}
        onExclude={(ex) => void exclude([...selected], ex)}
        onSetDomain={(d) => void setSelectedDomain(d)}
      />
      <ErrorNote error={pool.error ?? setExcluded.error ?? setDomain.error ?? selectAll.error ?? facets.error} />
      <div className="grid gap-4 2xl:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0">
          {pool.total === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-500 dark:border-slate-700" data-testid="pool-empty">
              {f && f.total === 0 ? t('questions.pool.emptyPool') : t('questions.pool.empty')}
            </p>
          ) : (
            <PoolTable
              total={total}
              row={pool.row}
              ensure={pool.ensure}
              cursor={cursor}
              selected={selected}
              sort={sort}
              dir={dir}
              onSort={(k) => {
                if (k === sort) setDir(dir === 'asc' ? 'desc' : 'asc');
                else {
                  setSort(k);
                  setDir('asc');
                }
              }}
              onRowClick={onRowClick}
              onToggle={onToggle}
            />
          )}
        </div>
        {/* A question that cannot be shown stays in this pane: the table and its keys still move to the next one. */}
        <ErrorBoundary name="questions-detail" resetKey={cursorRow?.id ?? null}>
          <DetailPane id={cursorRow?.id ?? null} version={detailVersion} onToggleExclude={(id, ex) => void exclude([id], ex)} />
        </ErrorBoundary>
      </div>
    </div>
  );
}

import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from './parts';
import type { PoolRow, SortKey } from './types';

const ROW = 34;
export const GRID = '2rem 3.5rem minmax(10rem,1fr) 6.5rem 6rem 4rem 6.5rem 6.5rem';

type Col = { key: string; sort?: SortKey; align?: 'right' };
const COLS: Col[] = [
  { key: 'select' },
  { key: 'id', sort: 'id' },
  { key: 'question' },
  { key: 'domain', sort: 'domain' },
  { key: 'source', sort: 'source' },
  { key: 'length', sort: 'length', align: 'right' },
  { key: 'answer' },
  { key: 'flags' },
];

export function Flags({ row }: { row: Pick<PoolRow, 'excluded' | 'exclude_reason'> }) {
  const { t } = useTranslation();
  if (!row.excluded) return null;
  const r = row.exclude_reason ?? '';
  if (r.startsWith('duplicate of #')) return <Badge tone="amber">{t('questions.pool.flags.duplicate')}</Badge>;
  if (r.startsWith('contaminated')) return <Badge tone="violet">{t('questions.pool.flags.contaminated')}</Badge>;
  return <Badge tone="rose">{t('questions.pool.flags.excluded')}</Badge>;
}

export interface PoolTableProps {
  total: number;
  row: (i: number) => PoolRow | undefined;
  ensure: (start: number, end: number) => void;
  cursor: number;
  selected: Set<number>;
  sort: SortKey;
  dir: 'asc' | 'desc';
  onSort: (k: SortKey) => void;
  onRowClick: (i: number, e: MouseEvent) => void;
  onToggle: (i: number) => void;
}

/** The pool as a virtualised grid: only the visible rows (plus a few) exist in the DOM. */
export function PoolTable({ total, row, ensure, cursor, selected, sort, dir, onSort, onRowClick, onToggle }: PoolTableProps) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 12 });
  const items = v.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (total > 0) ensure(first, last);
  }, [first, last, total, ensure]);

  useEffect(() => {
    if (cursor >= 0 && cursor < total) v.scrollToIndex(cursor, { align: 'auto' });
  }, [cursor, total, v]);

  return (
    <div role="grid" aria-label={t('questions.pool.table')} aria-rowcount={total + 1} className="overflow-hidden rounded-lg ring-1 ring-slate-200 dark:ring-slate-700">
      <div role="row" aria-rowindex={1} className="grid border-b border-slate-200 bg-slate-50 text-xs font-medium text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300" style={{ gridTemplateColumns: GRID }}>
        {COLS.map((c) => {
          const label = t(`questions.pool.cols.${c.key}`);
          const active = c.sort && c.sort === sort;
          return (
            <div
              key={c.key}
              role="columnheader"
              aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}
              className={`truncate px-2 py-2 whitespace-nowrap ${c.align === 'right' ? 'text-right' : ''}`}
            >
              {c.key === 'select' ? (
                <span className="sr-only">{label}</span>
              ) : c.sort ? (
                <button type="button" title={t('questions.pool.sortBy', { column: label })} className="inline-flex items-center gap-1 hover:text-indigo-600" onClick={() => onSort(c.sort!)}>
                  {label}
                  <span aria-hidden="true" className={active ? 'text-indigo-600' : 'text-slate-300 dark:text-slate-600'}>
                    {active && dir === 'desc' ? '▼' : '▲'}
                  </span>
                </button>
              ) : (
                label
              )}
            </div>
          );
        })}
      </div>
      <div ref={scroller} data-testid="pool-scroller" className="overflow-y-auto bg-white dark:bg-slate-900" style={{ height: Math.max(4 * ROW, Math.min(15 * ROW, total * ROW)) }}>
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {items.map((it) => {
            const r = row(it.index);
            const isCursor = it.index === cursor;
            const isSel = r ? selected.has(r.id) : false;
            return (
              <div
                key={it.key}
                role="row"
                aria-rowindex={it.index + 2}
                aria-selected={isSel}
                data-row-id={r?.id}
                onClick={(e) => onRowClick(it.index, e)}
                className={`absolute inset-x-0 grid cursor-default items-center border-b border-slate-100 text-sm dark:border-slate-800 ${
                  isSel ? 'bg-indigo-50 dark:bg-indigo-950/60' : 'hover:bg-slate-50 dark:hover:bg-slate-800/60'
                } ${isCursor ? 'shadow-[inset_3px_0_0_0_rgb(79,70,229)]' : ''} ${r?.excluded ? 'text-slate-400 dark:text-slate-500' : ''}`}
                style={{ gridTemplateColumns: GRID, height: ROW, transform: `translateY(${it.start}px)` }}
              >
                {r ? (
                  <>
                    <div role="gridcell" className="flex justify-center" onClick={(e) => e.stopPropagation()}>
                      <input type="checkbox" aria-label={`${t('questions.pool.cols.select')} #${r.id}`} checked={isSel} onChange={() => onToggle(it.index)} className="h-3.5 w-3.5 accent-indigo-600" />
                    </div>
                    <div role="gridcell" className="px-2 font-mono text-xs tabular-nums text-slate-500">
                      {r.id}
                    </div>
                    <div role="gridcell" className="truncate px-2" title={r.preview}>
                      {r.preview.replace(/\s+/g, ' ')}
                    </div>
                    <div role="gridcell" className="truncate px-2 text-slate-600 dark:text-slate-300">
                      {r.domain ?? '—'}
                    </div>
                    <div role="gridcell" className="truncate px-2 text-xs text-slate-500" title={r.source}>
                      {r.source}
                    </div>
                    <div role="gridcell" className="px-2 text-right text-xs tabular-nums text-slate-500">
                      {r.length.toLocaleString()}
                    </div>
                    <div role="gridcell" className="truncate px-2 font-mono text-xs" title={r.answer ?? ''}>
                      {r.answer ?? '—'}
                    </div>
                    <div role="gridcell" className="flex gap-1 overflow-hidden px-2">
                      <Flags row={r} />
                    </div>
                  </>
                ) : (
                  <div role="gridcell" className="col-span-8 px-3 text-xs text-slate-400">
                    {t('questions.pool.loadingRow')}
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

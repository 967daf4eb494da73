import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { inputClass } from '../../app/ui';
import { Select } from './parts';
import type { Facets, Filter } from './types';

export interface FilterState {
  search: string;
  /** '*' = any, '' = no domain, else the domain. */
  domain: string;
  source: string;
  status: NonNullable<Filter['status']>;
}

const STATUSES: FilterState['status'][] = ['all', 'included', 'excluded', 'duplicate', 'contaminated'];

export function FilterBar({ value, onChange, facets, searchRef }: { value: FilterState; onChange: (v: FilterState) => void; facets: Facets | undefined; searchRef: RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-wrap items-end gap-3">
      <div className="min-w-64 flex-1">
        <label htmlFor="pool-search" className="sr-only">
          {t('questions.pool.search')}
        </label>
        <div className="relative">
          <span aria-hidden="true" className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 text-slate-400">
            ⌕
          </span>
          <input
            ref={searchRef}
            id="pool-search"
            type="search"
            className={`${inputClass} pl-7`}
            placeholder={t('questions.pool.searchPlaceholder')}
            value={value.search}
            onChange={(e) => onChange({ ...value, search: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
            }}
          />
        </div>
      </div>
      <label className="flex items-center gap-2 text-xs font-medium whitespace-nowrap text-slate-600 dark:text-slate-400">
        {t('questions.pool.domain')}
        <Select aria-label={t('questions.pool.domain')} className="w-40" value={value.domain} onChange={(e) => onChange({ ...value, domain: e.target.value })}>
          <option value="*">{t('questions.pool.all')}</option>
          {facets?.domains.map((d) => (
            <option key={d.domain ?? ''} value={d.domain ?? ''}>
              {d.domain ?? t('questions.pool.noDomain')} ({d.n.toLocaleString()})
            </option>
          ))}
        </Select>
      </label>
      <label className="flex items-center gap-2 text-xs font-medium whitespace-nowrap text-slate-600 dark:text-slate-400">
        {t('questions.pool.source')}
        <Select aria-label={t('questions.pool.source')} className="w-40" value={value.source} onChange={(e) => onChange({ ...value, source: e.target.value })}>
          <option value="*">{t('questions.pool.all')}</option>
          {facets?.sources.map((s) => (
            <option key={s.source} value={s.source}>
              {s.source} ({s.n.toLocaleString()})
            </option>
          ))}
        </Select>
      </label>
      <label className="flex items-center gap-2 text-xs font-medium whitespace-nowrap text-slate-600 dark:text-slate-400">
        {t('questions.pool.status')}
        <Select aria-label={t('questions.pool.status')} className="w-36" value={value.status} onChange={(e) => onChange({ ...value, status: e.target.value as FilterState['status'] })}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`questions.pool.statuses.${s}`)}
            </option>
          ))}
        </Select>
      </label>
    </div>
  );
}

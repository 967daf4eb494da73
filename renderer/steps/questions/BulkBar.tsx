import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, inputClass } from '../../app/ui';

/** Selection count and the bulk actions: select all matching, exclude, include, set domain. */
export function BulkBar(props: {
  selected: number;
  total: number;
  pending: boolean;
  onSelectAll: () => void;
  onClear: () => void;
  onExclude: (excluded: boolean) => void;
  onSetDomain: (domain: string) => void;
}) {
  const { t } = useTranslation();
  const [domain, setDomain] = useState('');
  const none = props.selected === 0 || props.pending;
  return (
    <div className="flex flex-wrap items-center gap-2 rounded-lg bg-slate-50 px-3 py-2 dark:bg-slate-800/60" data-testid="bulk-bar">
      <span className="min-w-24 text-sm font-medium text-slate-700 dark:text-slate-200" data-testid="selected-count">
        {t('questions.pool.selected', { count: props.selected })}
      </span>
      <Button variant="ghost" className="!px-2" disabled={props.pending || props.total === 0} onClick={props.onSelectAll}>
        {t('questions.pool.selectAll', { count: props.total })}
      </Button>
      <Button variant="ghost" className="!px-2" disabled={props.selected === 0} onClick={props.onClear}>
        {t('questions.pool.clearSelection')}
      </Button>
      <span className="mx-1 h-5 w-px bg-slate-300 dark:bg-slate-600" aria-hidden="true" />
      <Button variant="danger" disabled={none} onClick={() => props.onExclude(true)}>
        {t('questions.pool.exclude')}
      </Button>
      <Button disabled={none} onClick={() => props.onExclude(false)}>
        {t('questions.pool.include')}
      </Button>
      <form
        className="flex items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          props.onSetDomain(domain.trim());
        }}
      >
        <input aria-label={t('questions.pool.domainPlaceholder')} className={`${inputClass} !w-36`} placeholder={t('questions.pool.domainPlaceholder')} value={domain} onChange={(e) => setDomain(e.target.value)} />
        <Button type="submit" disabled={none}>
          {t('questions.pool.setDomain')}
        </Button>
      </form>
    </div>
  );
}

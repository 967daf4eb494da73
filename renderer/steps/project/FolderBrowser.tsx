import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { Button, ErrorNote } from '../../app/ui';

/**
 * Browser mode's folder picker: the folders live on the server, so they are listed through fs.list.
 * Folders that hold a Distillery project are marked.
 */
export function FolderBrowser({ start, onChoose, onCancel }: { start?: string; onChoose: (path: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [path, setPath] = useState<string | undefined>(start || undefined);
  const listing = useApiQuery(() => api.fs.list.query({ path }), [path]);
  const data = listing.data;
  return (
    <div role="dialog" aria-label={t('browser.title')} className="mt-3 rounded-lg border border-slate-200 bg-slate-50 p-3 dark:border-slate-700 dark:bg-slate-950">
      <div className="flex items-center gap-2">
        <Button variant="ghost" aria-label={t('browser.upLabel')} disabled={!data?.parent} onClick={() => data?.parent && setPath(data.parent)}>
          ↑ {t('browser.up')}
        </Button>
        <code data-testid="browser-path" className="min-w-0 flex-1 truncate text-xs text-slate-600 dark:text-slate-400" title={data?.path}>
          {data?.path ?? path ?? ''}
        </code>
      </div>
      <ErrorNote error={listing.error} />
      <ul className="mt-2 max-h-56 overflow-y-auto rounded-md bg-white ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700" aria-busy={listing.loading}>
        {data && data.entries.length === 0 && <li className="px-3 py-2 text-sm text-slate-500">{t('browser.empty')}</li>}
        {data?.entries.map((e) => (
          <li key={e.path}>
            <button
              type="button"
              onClick={() => setPath(e.path)}
              className="flex w-full items-center justify-between gap-2 px-3 py-1.5 text-left text-sm hover:bg-indigo-50 dark:hover:bg-slate-800"
            >
              <span className="truncate">📁 {e.name}</span>
              {e.isProject && (
                <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-[11px] font-medium text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100">
                  {t('browser.project')}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {data?.isProject && <p className="mt-2 text-xs text-emerald-700 dark:text-emerald-300">{t('browser.isProject')}</p>}
      <div className="mt-3 flex justify-end gap-2">
        <Button variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button variant="primary" disabled={!data} onClick={() => data && onChoose(data.path)}>
          {t('browser.choose')}
        </Button>
      </div>
    </div>
  );
}

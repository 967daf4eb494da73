import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { Button, ErrorNote } from '../../app/ui';
import { FILE_EXTENSIONS } from './types';

function size(n: number | undefined): string {
  if (n === undefined) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A server-side file browser (fs.list with files): the same in Electron and in browser mode. */
export function FileBrowser({ start, onChoose, onCancel }: { start?: string; onChoose: (path: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [path, setPath] = useState<string | undefined>(start || undefined);
  const listing = useApiQuery(() => api.fs.list.query({ path, files: true, extensions: FILE_EXTENSIONS }), [path]);
  const data = listing.data;
  return (
    <div role="dialog" aria-label={t('questions.browser.title')} className="mt-3 rounded-lg border border-slate-200 bg-slate-50 p-3 dark:border-slate-700 dark:bg-slate-950">
      <div className="flex items-center gap-2">
        <Button variant="ghost" aria-label={t('questions.browser.upLabel')} disabled={!data?.parent} onClick={() => data?.parent && setPath(data.parent)}>
          ↑ {t('questions.browser.up')}
        </Button>
        <code data-testid="file-browser-path" className="min-w-0 flex-1 truncate text-xs text-slate-600 dark:text-slate-400" title={data?.path}>
          {data?.path ?? path ?? ''}
        </code>
        <span className="hidden text-xs text-slate-500 md:inline">{t('questions.browser.hint')}</span>
      </div>
      <ErrorNote error={listing.error} />
      <ul className="mt-2 max-h-60 overflow-y-auto rounded-md bg-white ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700" aria-busy={listing.loading}>
        {data && data.entries.length === 0 && <li className="px-3 py-2 text-sm text-slate-500">{t('questions.browser.empty')}</li>}
        {data?.entries.map((e) => (
          <li key={e.path}>
            <button
              type="button"
              onClick={() => (e.isFile ? onChoose(e.path) : setPath(e.path))}
              className="flex w-full items-center justify-between gap-2 px-3 py-1.5 text-left text-sm hover:bg-indigo-50 dark:hover:bg-slate-800"
            >
              <span className="truncate">
                <span aria-hidden="true">{e.isFile ? '📄 ' : '📁 '}</span>
                {e.name}
              </span>
              {e.isFile && <span className="text-xs text-slate-500 tabular-nums">{size(e.size)}</span>}
            </button>
          </li>
        ))}
      </ul>
      <div className="mt-3 flex justify-end">
        <Button variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </div>
  );
}

/** A file path field with a Browse button; the browser opens at the typed folder (or the given start). */
export function FilePicker({ id, value, onChange, start }: { id: string; value: string; onChange: (v: string) => void; start?: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const dirOf = (p: string) => (/\.[a-z0-9]+$/i.test(p) ? p.replace(/[\\/][^\\/]*$/, '') : p);
  return (
    <div>
      <div className="flex gap-2">
        <input
          id={id}
          className="block w-full rounded-md border-0 bg-white px-3 py-1.5 font-mono text-sm text-slate-900 ring-1 ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-indigo-500 focus:outline-none dark:bg-slate-950 dark:text-slate-100 dark:ring-slate-700"
          value={value}
          placeholder={t('questions.import.filePlaceholder')}
          onChange={(e) => onChange(e.target.value)}
          spellCheck={false}
        />
        <Button onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {t('questions.import.browse')}
        </Button>
      </div>
      {open && (
        <FileBrowser
          start={value.trim() ? dirOf(value.trim()) : start}
          onCancel={() => setOpen(false)}
          onChoose={(p) => {
            onChange(p);
            setOpen(false);
          }}
        />
      )}
    </div>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { FsBrowser } from '../../app/FsBrowser';
import { Button } from '../../app/ui';
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
  return (
    <FsBrowser
      words="questions.browser"
      start={start}
      list={(path) => api.fs.list.query({ path, files: true, extensions: FILE_EXTENSIONS })}
      pathTestId="file-browser-path"
      listClassName="max-h-60"
      onCancel={onCancel}
      onEntry={(e) => {
        if (e.isFile) onChoose(e.path);
        return Boolean(e.isFile);
      }}
      hint={<span className="hidden text-xs text-slate-500 md:inline">{t('questions.browser.hint')}</span>}
      aside={(e) => e.isFile && <span className="text-xs text-slate-500 tabular-nums">{size(e.size)}</span>}
      footer={() => (
        <div className="mt-3 flex justify-end">
          <Button variant="ghost" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </div>
      )}
    />
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

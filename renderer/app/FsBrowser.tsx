import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { api } from '../api/client';
import { useApiQuery } from '../api/hooks';
import { Dialog } from './Dialog';
import { Button, ErrorNote } from './ui';

type Listing = Awaited<ReturnType<typeof api.fs.list.query>>;
export type FsEntry = Listing['entries'][number];

type Props = {
  /** The i18n prefix of the browser's words: `<prefix>.title`, `.up`, `.upLabel`, `.empty`. */
  words: string;
  start?: string;
  /** Lists a folder (undefined: the server's starting folder). */
  list: (path: string | undefined) => Promise<Listing>;
  pathTestId: string;
  listClassName: string;
  /** A click on an entry: true when it was taken (a file chosen); otherwise the browser opens the folder. */
  onEntry?: (e: FsEntry) => boolean;
  /** What an entry shows after its name. */
  aside: (e: FsEntry) => ReactNode;
  hint?: ReactNode;
  /** The row of buttons and notes under the list. */
  footer: (data: Listing | undefined) => ReactNode;
  onCancel: () => void;
};

/**
 * A server-side browser (fs.list): the folders live on the machine the engine runs on, so the same
 * panel serves Electron and browser mode. An inline dialog; Escape cancels.
 */
export function FsBrowser({ words, start, list, pathTestId, listClassName, onEntry, aside, hint, footer, onCancel }: Props) {
  const { t } = useTranslation();
  const [path, setPath] = useState<string | undefined>(start || undefined);
  const listing = useApiQuery(() => list(path), [path]);
  const data = listing.data;
  return (
    <Dialog modal={false} label={t(`${words}.title`)} onClose={onCancel} initialFocus="panel" className="mt-3 rounded-lg border border-slate-200 bg-slate-50 p-3 dark:border-slate-700 dark:bg-slate-950">
      <div className="flex items-center gap-2">
        <Button variant="ghost" aria-label={t(`${words}.upLabel`)} disabled={!data?.parent} onClick={() => data?.parent && setPath(data.parent)}>
          ↑ {t(`${words}.up`)}
        </Button>
        <code data-testid={pathTestId} className="min-w-0 flex-1 truncate text-xs text-slate-600 dark:text-slate-400" title={data?.path}>
          {data?.path ?? path ?? ''}
        </code>
        {hint}
      </div>
      <ErrorNote error={listing.error} />
      <ul className={`mt-2 ${listClassName} overflow-y-auto rounded-md bg-white ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700`} aria-busy={listing.loading}>
        {data && data.entries.length === 0 && <li className="px-3 py-2 text-sm text-slate-500">{t(`${words}.empty`)}</li>}
        {data?.entries.map((e) => (
          <li key={e.path}>
            <button
              type="button"
              onClick={() => onEntry?.(e) || setPath(e.path)}
              className="flex w-full items-center justify-between gap-2 px-3 py-1.5 text-left text-sm hover:bg-indigo-50 dark:hover:bg-slate-800"
            >
              <span className="truncate">
                <span aria-hidden="true">{e.isFile ? '📄 ' : '📁 '}</span>
                {e.name}
              </span>
              {aside(e)}
            </button>
          </li>
        ))}
      </ul>
      {footer(data)}
    </Dialog>
  );
}

import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { FsBrowser } from '../../app/FsBrowser';
import { Button } from '../../app/ui';

/**
 * Browser mode's folder picker: the folders live on the server, so they are listed through fs.list.
 * Folders that hold a Distillery project are marked.
 */
export function FolderBrowser({ start, onChoose, onCancel }: { start?: string; onChoose: (path: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <FsBrowser
      words="browser"
      start={start}
      list={(path) => api.fs.list.query({ path })}
      pathTestId="browser-path"
      listClassName="max-h-56"
      onCancel={onCancel}
      aside={(e) =>
        e.isProject && (
          <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-[11px] font-medium text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100">{t('browser.project')}</span>
        )
      }
      footer={(data) => (
        <>
          {data?.isProject && <p className="mt-2 text-xs text-emerald-700 dark:text-emerald-300">{t('browser.isProject')}</p>}
          <div className="mt-3 flex justify-end gap-2">
            <Button variant="ghost" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
            <Button variant="primary" disabled={!data} onClick={() => data && onChoose(data.path)}>
              {t('browser.choose')}
            </Button>
          </div>
        </>
      )}
    />
  );
}

import { useTranslation } from 'react-i18next';
import { Dialog } from '../../app/Dialog';
import { BundlePanel } from './BundlePanel';
import { ExportPanel } from './ExportPanel';
import type { MonacoApi } from './monaco/load';

type Tab = 'export' | 'bundle';

/** Export of the reviewed set for training, and review bundles, in one dialog. */
export function ShareDialog(props: { tab: Tab; onTab: (t: Tab) => void; monaco: MonacoApi | null; projectPath: string; selected: number[]; author: string; onChanged: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog labelledBy="share-title" testId="share-dialog" onClose={props.onClose} align="top" initialFocus={'[role="tab"][aria-selected="true"]'} className="max-w-4xl">
      <div className="mb-4 flex items-center gap-3">
        <h2 id="share-title" className="text-lg font-semibold">
          {t('review.share.title')}
        </h2>
        <div role="tablist" className="flex gap-1">
          {(['export', 'bundle'] as const).map((x) => (
            <button
              key={x}
              type="button"
              role="tab"
              aria-selected={props.tab === x}
              onClick={() => props.onTab(x)}
              className={`rounded-md px-2.5 py-1 text-sm ${props.tab === x ? 'bg-indigo-600 text-white' : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'}`}
            >
              {t(`review.share.${x}`)}
            </button>
          ))}
        </div>
        <button type="button" className="ml-auto rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800" onClick={props.onClose}>
          {t('review.share.close')}
        </button>
      </div>
      {props.tab === 'export' ? <ExportPanel /> : <BundlePanel monaco={props.monaco} projectPath={props.projectPath} selected={props.selected} author={props.author} onChanged={props.onChanged} />}
    </Dialog>
  );
}

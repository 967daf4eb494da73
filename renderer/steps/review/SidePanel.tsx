import { useTranslation } from 'react-i18next';
import { ErrorBoundary } from '../../app/ErrorBoundary';
import type { ApiError } from '../../api/hooks';
import { History } from './History';
import { Preview } from './Preview';
import { RegeneratePanel, type RegenerateOptions } from './Regenerate';
import type { Sample, Texts } from './types';

export type SideTab = 'preview' | 'history' | 'regenerate';
const TABS: SideTab[] = ['preview', 'history', 'regenerate'];

type Props = {
  tab: SideTab;
  onTab: (t: SideTab) => void;
  sample: Sample;
  /** The open text's key: a panel that failed on one text tries again on the next. */
  doc: string;
  preview: Texts;
  projectPath: string;
  undo: { pending: boolean; error: ApiError | null; run: () => void };
  onCompare: (n: number) => void;
  regenerate: { cursor: { line: number; column: number } | null; pending: boolean; error: ApiError | null; run: (o: RegenerateOptions) => void };
};

/** Beside the editors: the typeset preview, the revision history (undo, compare) and Regenerate from the cursor. */
export function SidePanel({ tab, onTab, sample, doc, preview, projectPath, undo, onCompare, regenerate }: Props) {
  const { t } = useTranslation();
  return (
    <aside className="flex min-h-0 flex-col gap-2" aria-label={t('review.side.label')}>
      <div role="tablist" aria-label={t('review.side.label')} className="flex gap-1">
        {TABS.map((x) => (
          <button
            key={x}
            type="button"
            role="tab"
            aria-selected={tab === x}
            onClick={() => onTab(x)}
            className={`rounded-md px-2.5 py-1 text-sm ${tab === x ? 'bg-indigo-600 text-white' : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'}`}
          >
            {t(`review.side.${x}`)}
          </button>
        ))}
      </div>
      {/* Its own compositor layer, like the queue (QueuePanel): the typeset preview is not repainted per keystroke. */}
      <div role="tabpanel" className="min-h-0 flex-1 overflow-y-auto rounded-lg will-change-transform bg-white p-3 ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700">
        {tab === 'preview' && (
          <ErrorBoundary name="review-preview" resetKey={doc}>
            <Preview texts={preview} version={doc} />
          </ErrorBoundary>
        )}
        {tab === 'history' && <History sample={sample} pending={undo.pending} error={undo.error} onUndo={undo.run} onCompare={onCompare} />}
        {tab === 'regenerate' && <RegeneratePanel projectPath={projectPath} cursor={regenerate.cursor} pending={regenerate.pending} error={regenerate.error} onRun={regenerate.run} />}
      </div>
    </aside>
  );
}

import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery, type ApiError } from '../../api/hooks';
import { Button, ErrorNote } from '../../app/ui';
import { muted, type Sample } from './types';

/** The sample's revision history (author, time, kind), newest first; undo restores the one before the head. */
export function History(props: { sample: Sample; pending: boolean; error: ApiError | null; onUndo: () => void; onCompare: (n: number) => void }) {
  const { t, i18n } = useTranslation();
  const { sample } = props;
  const list = useApiQuery(() => api.review.revisions.query({ traceId: sample.traceId }), [sample.traceId, sample.head]);
  const revisions = list.data?.revisions ?? [];
  return (
    <div className="space-y-2" data-testid="history">
      <div className="flex items-center justify-between gap-2">
        <span className={muted}>{t('review.history.count', { count: revisions.length })}</span>
        <Button disabled={props.pending || sample.head === 0} onClick={props.onUndo} title={t('review.history.undoHelp')}>
          {t('review.history.undo')}
        </Button>
      </div>
      <ErrorNote error={props.error ?? list.error} />
      {revisions.length === 0 ? (
        <p className={muted}>{t('review.history.none')}</p>
      ) : (
        <ol className="space-y-1">
          {revisions.map((r) => (
            <li key={r.n} data-testid="revision" data-n={r.n} data-kind={r.kind} className="flex items-center gap-2 rounded-md px-2 py-1 text-sm ring-1 ring-slate-200 dark:ring-slate-700">
              <span className="font-mono text-xs text-slate-500">#{r.n}</span>
              <div className="min-w-0 flex-1">
                <div className="truncate">
                  {t(`review.kinds.${r.kind}`)}
                  {r.n === sample.head && <span className="ml-1 text-xs text-indigo-600 dark:text-indigo-300">{t('review.history.current')}</span>}
                </div>
                <div className={`truncate ${muted}`}>
                  {r.author ?? '—'} · {new Date(r.at).toLocaleString(i18n.language)}
                  {r.saves > 1 ? ` · ${t('review.history.saves', { count: r.saves })}` : ''}
                </div>
              </div>
              {r.n !== sample.head && (
                <Button variant="ghost" className="!px-2 !py-0.5 text-xs" onClick={() => props.onCompare(r.n)}>
                  {t('review.history.compare')}
                </Button>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

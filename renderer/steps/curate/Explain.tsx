import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { Dialog } from '../../app/Dialog';
import { Button, ErrorNote } from '../../app/ui';
import { reasonText, stageName } from './types';
import { BandsExplained } from './BandsExplained';

/** Why a question was kept or dropped in a run: the decision as a sentence and the measured values. */
export function Explain({ questionId, runId, onClose }: { questionId: number; runId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const q = useApiQuery(() => api.curate.explain.query({ questionId, runId }), [questionId, runId]);
  const x = q.data;
  const f = x?.features as Record<string, unknown> | null | undefined;
  const v = (k: string): string => {
    const val = f?.[k];
    if (val === null || val === undefined) return t('curate.explain.none');
    if (typeof val === 'boolean') return val ? t('curate.explain.yes') : t('curate.explain.no');
    return String(val);
  };
  const rows: [string, string][] = f
    ? [
        ['traceStatus', v('traceStatus')],
        ['thinkingChars', v('thinkingChars')],
        ...(f.studentTokens !== undefined ? [['studentTokens', v('studentTokens')] as [string, string]] : []),
        ['repetition', v('repetition')],
        ['cjkRatio', v('cjkRatio')],
        ['extractable', v('extractable')],
        ['verdict', f.verdict === 1 ? '✓' : f.verdict === 0 ? '✗' : t('curate.explain.none')],
        ['filter', `${v('filterSolved')} / ${v('filterAttempts')}`],
      ]
    : [];
  return (
    <Dialog
      modal={false}
      labelledBy="cur-why-title"
      testId="explain"
      onClose={onClose}
      initialFocus="panel"
      className="mt-1 rounded-lg border border-indigo-200 bg-indigo-50/60 p-4 dark:border-indigo-900 dark:bg-indigo-950/40"
    >
      <div className="flex items-start justify-between gap-3">
        <h3 id="cur-why-title" className="text-sm font-semibold">
          {t('curate.explain.title', { id: questionId })}
        </h3>
        <Button variant="ghost" className="!px-2 !py-0.5" onClick={onClose}>
          {t('curate.explain.close')}
        </Button>
      </div>
      <ErrorNote error={q.error} />
      {x && (
        <>
          <p className="mt-1 line-clamp-3 text-sm text-slate-700 dark:text-slate-300">{x.question}</p>
          {x.decision ? (
            <p className="mt-2 text-sm" data-testid="explain-reason">
              <b className={x.decision.kept ? 'text-emerald-700 dark:text-emerald-300' : 'text-rose-700 dark:text-rose-300'}>
                {x.decision.kept ? t('curate.table.kept') : t('curate.table.dropped')} · {stageName(t, x.decision.stage)}
              </b>{' '}
              — {reasonText(t, x.decision)}
            </p>
          ) : (
            <p className="mt-2 text-sm text-slate-500">{t('curate.explain.noDecision')}</p>
          )}
          {x.override && (
            <p className="mt-1 text-xs text-amber-800 dark:text-amber-200">
              {t('curate.explain.override')}: {x.override === 'pin' ? t('curate.table.pinned') : t('curate.table.excluded')}
            </p>
          )}
          {x.frozen && <p className="mt-1 text-xs text-emerald-700 dark:text-emerald-300">{t('curate.explain.frozen', { id: x.frozen.runId })}</p>}
          <BandsExplained explanation={x} />
          {rows.length > 0 && (
            <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-4">
              {rows.map(([k, val]) => (
                <div key={k}>
                  <dt className="text-slate-500">{t(`curate.explain.${k}`)}</dt>
                  <dd className="font-medium tabular-nums">{val}</dd>
                </div>
              ))}
            </dl>
          )}
        </>
      )}
    </Dialog>
  );
}

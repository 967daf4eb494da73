import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiMutation } from '../../api/hooks';
import { Button, Card, ErrorNote } from '../../app/ui';
import { evalApi, type RunSummary } from './api';
import { isoUtc, muted } from './format';

/** Every evaluation of the project, newest first: status, models, benchmarks, budgets, progress; open or remove. */
export function PastRuns({ runs, current, onOpen, onRemoved }: { runs: RunSummary[]; current: string | null; onOpen: (id: string) => void; onRemoved: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const [confirm, setConfirm] = useState<string | null>(null);
  const remove = useApiMutation(async (id: string) => {
    await evalApi.runs.remove.mutate({ runId: id });
    setConfirm(null);
    onRemoved(id);
  });
  return (
    <Card title={t('evaluate.past.title')} labelId="eval-past-title">
      {runs.length === 0 ? (
        <p className={muted}>{t('evaluate.past.empty')}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="eval-runs">
            <thead className="text-xs text-slate-500 dark:text-slate-400">
              <tr>
                <th className="py-1 pr-2 font-medium">{t('evaluate.past.run')}</th>
                <th className="py-1 pr-2 font-medium">{t('evaluate.past.status')}</th>
                <th className="py-1 pr-2 font-medium">{t('evaluate.past.models')}</th>
                <th className="py-1 pr-2 font-medium">{t('evaluate.past.benchmarks')}</th>
                <th className="py-1 pr-2 text-right font-medium">{t('evaluate.past.budgets')}</th>
                <th className="py-1 pr-2 text-right font-medium">{t('evaluate.past.progress')}</th>
                <th className="py-1 pr-2 font-medium">{t('evaluate.past.created')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} data-testid="eval-run-row" data-run={r.id} className={`border-t border-slate-100 dark:border-slate-800 ${current === r.id ? 'bg-indigo-50 dark:bg-indigo-950/40' : ''}`}>
                  <td className="py-1 pr-2 font-mono text-xs">{r.name ? `${r.name} · ${r.id}` : r.id}</td>
                  <td className="py-1 pr-2 text-xs">{t(`evaluate.status.${r.status}`)}</td>
                  <td className="py-1 pr-2 text-xs">{r.models.join(', ')}</td>
                  <td className="py-1 pr-2 text-xs">{r.benchmarks.map((b) => b.replace(/^[a-z]+:/, '')).join(', ')}</td>
                  <td className="py-1 pr-2 text-right text-xs tabular-nums">{r.budgets.map((b) => b.maxThinking).join(', ')}</td>
                  <td className="py-1 pr-2 text-right text-xs tabular-nums">
                    {r.done}/{r.total}
                  </td>
                  <td className="py-1 pr-2 text-xs">{new Date(isoUtc(r.createdAt)).toLocaleString(i18n.language)}</td>
                  <td className="py-1 text-right whitespace-nowrap">
                    <Button variant="ghost" onClick={() => onOpen(r.id)}>
                      {t('evaluate.past.open')}
                    </Button>
                    {confirm === r.id ? (
                      <Button variant="danger" onClick={() => void remove.run(r.id)} disabled={remove.pending}>
                        {t('evaluate.past.confirmRemove')}
                      </Button>
                    ) : (
                      <Button variant="ghost" onClick={() => setConfirm(r.id)}>
                        {t('evaluate.past.remove')}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorNote error={remove.error} />
    </Card>
  );
}

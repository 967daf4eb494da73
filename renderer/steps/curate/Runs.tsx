import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { Button, Card, ErrorNote, inputClass } from '../../app/ui';
import type { RunSummary } from './types';

/** Stored runs: show one, compare two (what entered and left), freeze one as the selection. */
export function Runs({ runs, viewing, onView, onFrozen }: { runs: RunSummary[]; viewing: number | null; onView: (id: number) => void; onFrozen: () => void }) {
  const { t, i18n } = useTranslation();
  const [compareTo, setCompareTo] = useState<number | null>(null);
  const [confirm, setConfirm] = useState<RunSummary | null>(null);
  const [frozen, setFrozen] = useState<{ runId: number; frozen: number; pinned: number } | null>(null);
  const freeze = useApiMutation((runId: number) => api.curate.freeze.mutate({ runId }));
  const a = viewing;
  const other = compareTo ?? runs.find((r) => r.id !== a)?.id ?? null;
  const cmp = useApiQuery(() => api.curate.compare.query({ a: other as number, b: a as number }), [a, other], a !== null && other !== null && other !== a);
  const fmt = (n: number) => n.toLocaleString(i18n.language);
  const when = (s: string) => new Date(s).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });

  return (
    <Card title={t('curate.runs.title')} labelId="cur-runs-title">
      {runs.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">{t('curate.runs.none')}</p>
      ) : (
        <>
          <div className="max-h-64 overflow-y-auto">
            <table className="w-full text-sm" data-testid="runs">
              <thead className="text-left text-xs text-slate-500 dark:text-slate-400">
                <tr>
                  <th className="py-1 font-medium">{t('curate.runs.id')}</th>
                  <th className="py-1 font-medium">{t('curate.runs.created')}</th>
                  <th className="py-1 text-right font-medium">{t('curate.runs.seed')}</th>
                  <th className="py-1 text-right font-medium">{t('curate.runs.target')}</th>
                  <th className="py-1 text-right font-medium">{t('curate.runs.selected')}</th>
                  <th className="py-1" />
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id} data-testid="run-row" data-run={r.id} aria-current={r.id === viewing ? 'true' : undefined} className={r.id === viewing ? 'bg-indigo-50 dark:bg-indigo-950/50' : ''}>
                    <td className="py-1 pl-1 font-medium">
                      #{r.id}
                      {r.name && <span className="ml-1 text-slate-500">{r.name}</span>}
                      {r.frozenAt && (
                        <span data-testid="frozen-badge" className="ml-2 rounded bg-emerald-100 px-1.5 py-0.5 text-[11px] font-medium text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100">
                          {t('curate.runs.frozenBadge')}
                        </span>
                      )}
                    </td>
                    <td className="py-1 text-xs text-slate-500">{when(r.createdAt)}</td>
                    <td className="py-1 text-right tabular-nums">{r.seed}</td>
                    <td className="py-1 text-right tabular-nums">{fmt(r.target)}</td>
                    <td className="py-1 text-right font-semibold tabular-nums" data-testid="run-selected">
                      {fmt(r.selected)}
                    </td>
                    <td className="py-1 text-right">
                      <Button variant="ghost" className="!px-2 !py-0.5" disabled={r.id === viewing} onClick={() => onView(r.id)}>
                        {r.id === viewing ? t('curate.runs.viewing') : t('curate.runs.view')}
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {a !== null && (
            <div className="mt-3 flex flex-wrap items-center gap-2 border-t border-slate-200 pt-3 dark:border-slate-800">
              <Button variant="primary" onClick={() => setConfirm(runs.find((r) => r.id === a) ?? null)}>
                {t('curate.runs.freeze')}
              </Button>
              {runs.length > 1 && (
                <>
                  <label htmlFor="cur-compare" className="ml-auto text-xs text-slate-600 dark:text-slate-400">
                    {t('curate.runs.compareWith', { a })}
                  </label>
                  <select id="cur-compare" className={`${inputClass} !w-28`} value={other ?? ''} onChange={(e) => setCompareTo(Number(e.target.value))}>
                    {runs
                      .filter((r) => r.id !== a)
                      .map((r) => (
                        <option key={r.id} value={r.id}>
                          #{r.id}
                        </option>
                      ))}
                  </select>
                </>
              )}
            </div>
          )}
          {confirm && (
            <div role="alertdialog" aria-labelledby="cur-freeze-q" className="mt-3 rounded-lg border border-amber-200 bg-amber-50 p-3 dark:border-amber-900 dark:bg-amber-950/50">
              <p id="cur-freeze-q" className="text-sm text-amber-900 dark:text-amber-100">
                {t('curate.runs.freezeConfirm', { id: confirm.id, n: fmt(confirm.selected) })}
              </p>
              <div className="mt-2 flex justify-end gap-2">
                <Button variant="ghost" onClick={() => setConfirm(null)}>
                  {t('common.cancel')}
                </Button>
                <Button
                  variant="primary"
                  disabled={freeze.pending}
                  onClick={() =>
                    void freeze.run(confirm.id).then((r) => {
                      setConfirm(null);
                      if (r) {
                        setFrozen(r);
                        onFrozen();
                      }
                    })
                  }
                >
                  {t('curate.runs.freezeYes', { id: confirm.id })}
                </Button>
              </div>
            </div>
          )}
          {frozen && (
            <p role="status" data-testid="frozen-msg" className="mt-2 text-sm text-emerald-700 dark:text-emerald-300">
              {t('curate.runs.frozenDone', { id: frozen.runId, n: fmt(frozen.frozen), pinned: fmt(frozen.pinned) })}
            </p>
          )}
          <ErrorNote error={freeze.error ?? cmp.error} />
          {cmp.data && other !== null && other !== a && (
            <div className="mt-3 text-sm" data-testid="compare">
              <p className="text-slate-700 dark:text-slate-200">{t('curate.runs.compareResult', { a: cmp.data.a, b: cmp.data.b, kept: fmt(cmp.data.kept), entered: fmt(cmp.data.entered.length), left: fmt(cmp.data.left.length) })}</p>
              <IdList label={t('curate.runs.entered')} ids={cmp.data.entered} tone="text-emerald-700 dark:text-emerald-300" />
              <IdList label={t('curate.runs.left')} ids={cmp.data.left} tone="text-rose-700 dark:text-rose-300" />
            </div>
          )}
        </>
      )}
    </Card>
  );
}

function IdList({ label, ids, tone }: { label: string; ids: number[]; tone: string }) {
  if (ids.length === 0) return null;
  const shown = ids.slice(0, 60);
  return (
    <p className="mt-1 text-xs">
      <span className={`font-medium ${tone}`}>{label}:</span> <span className="font-mono text-slate-600 dark:text-slate-300">{shown.map((x) => `#${x}`).join(' ')}{ids.length > shown.length ? ` … (+${ids.length - shown.length})` : ''}</span>
    </p>
  );
}

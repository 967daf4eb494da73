import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../api/hooks';
import { ErrorNote } from '../../app/ui';
import { evalApi, type RunDetail } from './api';
import { muted, pct } from './format';
import { budgetLabel } from './Tables';

const select = 'rounded-md bg-white px-2 py-1 text-sm ring-1 ring-slate-300 dark:bg-slate-950 dark:ring-slate-700';
const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`;

/**
 * Two models of the run on the same questions (evaluate.runs.compare): A − B per benchmark and budget with its
 * paired bootstrap interval, and in words whether the interval leaves out 0. A defaults to the first model,
 * B to the second.
 */
export function Compare({ d, benchNames }: { d: RunDetail; benchNames: Map<string, string> }) {
  const { t } = useTranslation();
  const labels = d.config.models.map((m) => m.label);
  const [a, setA] = useState(labels[0] ?? '');
  const [b, setB] = useState(labels[1] ?? '');
  const ok = labels.length >= 2 && a !== b && labels.includes(a) && labels.includes(b);
  // Refetched as results arrive (the run's done count changes).
  const q = useApiQuery(() => (ok ? evalApi.runs.compare.query({ runId: d.run.id, a, b }) : Promise.resolve([])), [d.run.id, a, b, ok, d.run.done]);
  if (labels.length < 2) return <p className={muted}>{t('evaluate.compare.need')}</p>;
  const picker = (id: string, label: string, value: string, set: (v: string) => void) => (
    <label htmlFor={id} className="flex items-center gap-2 text-sm">
      <span className="text-xs font-medium text-slate-600 dark:text-slate-400">{label}</span>
      <select id={id} className={select} value={value} onChange={(e) => set(e.target.value)}>
        {labels.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
  const rows = q.data ?? [];
  return (
    <div data-testid="eval-compare">
      <div className="flex flex-wrap items-center gap-4">
        {picker('eval-compare-a', t('evaluate.compare.a'), a, setA)}
        {picker('eval-compare-b', t('evaluate.compare.b'), b, setB)}
      </div>
      <p className={`${muted} mt-2`}>{t('evaluate.compare.help')}</p>
      {!ok ? (
        <p className="mt-2 text-sm text-rose-700 dark:text-rose-300">{t('evaluate.compare.same')}</p>
      ) : rows.length === 0 && !q.loading ? (
        <p className={`${muted} mt-2`}>{t('evaluate.compare.empty')}</p>
      ) : (
        <ul className="mt-2 space-y-2">
          {rows.map((c) => (
            <li
              key={`${c.benchmark}-${c.budget}`}
              data-testid="compare-row"
              data-significant={c.significant ? 'yes' : 'no'}
              className={`rounded-md border px-3 py-2 text-sm ${c.significant ? 'border-emerald-300 bg-emerald-50 dark:border-emerald-800 dark:bg-emerald-950/40' : 'border-slate-200 dark:border-slate-800'}`}
            >
              <p className="font-medium">
                {benchNames.get(c.benchmark) ?? c.benchmark} · {budgetLabel(t, c)}: {c.a} {pct(c.accuracyA)} − {c.b} {pct(c.accuracyB)} ={' '}
                <span data-testid="compare-diff" className="tabular-nums">
                  {t('evaluate.compare.points', { v: points(c.diff) })}
                </span>{' '}
                <span className="text-xs text-slate-600 dark:text-slate-300" data-testid="compare-ci">
                  ({t('evaluate.table.ci')} {points(c.ci[0])} … {points(c.ci[1])}; {t('evaluate.compare.n')} {c.n})
                </span>
              </p>
              <p data-testid="compare-verdict">{c.significant ? t('evaluate.compare.significant', { winner: c.diff > 0 ? c.a : c.b }) : t('evaluate.compare.notSignificant')}</p>
              <p className={muted}>{t('evaluate.compare.better', { a: c.a, na: c.aBetter, b: c.b, nb: c.bBetter })}</p>
            </li>
          ))}
        </ul>
      )}
      <ErrorNote error={q.error} />
    </div>
  );
}


import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card } from '../../app/ui';
import type { RunSummary } from './api';

function flatten(o: unknown, prefix = ''): [string, string][] {
  if (o && typeof o === 'object' && !Array.isArray(o)) return Object.entries(o).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  return [[prefix, typeof o === 'string' ? o : JSON.stringify(o)]];
}

/** Two runs' configs side by side (plus the planner's figures); differing rows highlighted. */
function Compare({ a, b, onClose }: { a: RunSummary; b: RunSummary; onClose: () => void }) {
  const { t } = useTranslation();
  const fa = new Map(flatten({ ...a.config, plan: a.plan }));
  const fb = new Map(flatten({ ...b.config, plan: b.plan }));
  const keys = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  return (
    <div className="mt-4" data-testid="compare">
      <div className="mb-2 flex items-center justify-between">
        <p className="text-xs text-slate-500">{t('train.history.different')}</p>
        <Button variant="ghost" onClick={onClose}>
          {t('train.history.close')}
        </Button>
      </div>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-xs">
          <thead>
            <tr className="text-slate-500">
              <th className="py-1 pr-3">{t('train.history.field')}</th>
              <th className="py-1 pr-3 font-mono">{a.name ?? a.id}</th>
              <th className="py-1 font-mono">{b.name ?? b.id}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => {
              const va = fa.get(k) ?? '–';
              const vb = fb.get(k) ?? '–';
              const diff = va !== vb;
              return (
                <tr key={k} className={diff ? 'bg-amber-50 dark:bg-amber-950/40' : ''} data-diff={diff ? 'yes' : 'no'}>
                  <td className="py-0.5 pr-3 font-mono text-slate-600 dark:text-slate-400">{k}</td>
                  <td className="py-0.5 pr-3 font-mono break-all">{va}</td>
                  <td className="py-0.5 font-mono break-all">{vb}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Every run of the project: status, method, steps, last loss; open one, or tick two to compare. */
export function History({ runs, current, onOpen }: { runs: RunSummary[]; current: string | null; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const [ticked, setTicked] = useState<string[]>([]);
  const [comparing, setComparing] = useState(false);
  const pair = ticked.map((id) => runs.find((r) => r.id === id)).filter((r): r is RunSummary => r !== undefined);
  return (
    <Card title={t('train.history.title')}>
      {runs.length === 0 ? (
        <p className="text-sm text-slate-500">{t('train.history.empty')}</p>
      ) : (
        <>
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="text-xs text-slate-500 dark:text-slate-400">
                <th scope="col" className="py-1 pr-2">
                  <span className="sr-only">{t('train.history.compare')}</span>
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">{t('train.history.cols.run')}</th>
                <th scope="col" className="py-1 pr-2 font-medium">{t('train.history.cols.method')}</th>
                <th scope="col" className="py-1 pr-2 font-medium">{t('train.history.cols.status')}</th>
                <th scope="col" className="py-1 pr-2 font-medium">{t('train.history.cols.step')}</th>
                <th scope="col" className="py-1 pr-2 font-medium">{t('train.history.cols.loss')}</th>
                <th scope="col" className="py-1">
                  <span className="sr-only">{t('train.history.open')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <Fragment key={r.id}>
                  <tr data-testid="train-run-row" data-run={r.id} className={`border-t border-slate-100 dark:border-slate-800 ${current === r.id ? 'bg-indigo-50 dark:bg-indigo-950/40' : ''}`}>
                    <td className="py-1 pr-2">
                      <input
                        type="checkbox"
                        aria-label={`${t('train.history.compare')} ${r.id}`}
                        checked={ticked.includes(r.id)}
                        onChange={(e) => setTicked((s) => (e.target.checked ? [...s, r.id].slice(-2) : s.filter((x) => x !== r.id)))}
                      />
                    </td>
                    <td className="py-1 pr-2 font-mono text-xs">{r.name ? `${r.name} · ${r.id}` : r.id}</td>
                    <td className="py-1 pr-2 text-xs">{r.config.method}</td>
                    <td className="py-1 pr-2 text-xs">{t(`train.run.status.${r.status}`, { defaultValue: r.status })}</td>
                    <td className="py-1 pr-2 text-xs">{r.step !== null ? `${r.step}${r.maxSteps ? `/${r.maxSteps}` : ''}` : '–'}</td>
                    <td className="py-1 pr-2 text-xs">{r.loss !== null ? r.loss.toFixed(4) : '–'}</td>
                    <td className="py-1 text-right">
                      <Button variant="ghost" onClick={() => onOpen(r.id)}>
                        {t('train.history.open')}
                      </Button>
                    </td>
                  </tr>
                </Fragment>
              ))}
            </tbody>
          </table>
          <div className="mt-3 flex items-center gap-3">
            <Button disabled={pair.length !== 2} onClick={() => setComparing(true)}>
              {t('train.history.compare')}
            </Button>
            <span className="text-xs text-slate-500">{t('train.history.compareHint')}</span>
          </div>
          {comparing && pair.length === 2 && pair[0] && pair[1] && <Compare a={pair[0]} b={pair[1]} onClose={() => setComparing(false)} />}
        </>
      )}
    </Card>
  );
}

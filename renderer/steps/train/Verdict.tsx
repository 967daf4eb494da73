import { useTranslation } from 'react-i18next';
import type { Verdict } from './api';
import { formatCount } from './format';

const PARTS = ['weights', 'gradients', 'optimizer', 'activations', 'lora', 'teacher', 'overhead'] as const;
const PART_COLORS: Record<(typeof PARTS)[number], string> = {
  weights: 'bg-indigo-500', gradients: 'bg-sky-500', optimizer: 'bg-cyan-500', activations: 'bg-amber-500', lora: 'bg-fuchsia-500', teacher: 'bg-rose-500', overhead: 'bg-slate-400',
};

/** The planner's verdict: fits or not, per-GPU GiB, a breakdown bar and the cheapest change. */
export function VerdictView({ verdict }: { verdict: Verdict }) {
  const { t } = useTranslation();
  const total = Math.max(verdict.per_gpu_gib, verdict.gpuMemoryGib);
  return (
    <div data-testid="plan-verdict" data-fits={verdict.fits ? 'yes' : 'no'}>
      <p className={`text-sm font-semibold ${verdict.fits ? 'text-emerald-700 dark:text-emerald-300' : 'text-rose-700 dark:text-rose-300'}`}>
        {t(verdict.fits ? 'train.plan.fits' : 'train.plan.noFit', { gib: verdict.per_gpu_gib, total: verdict.gpuMemoryGib })}
      </p>
      <div className="relative mt-2 flex h-4 w-full overflow-hidden rounded bg-slate-100 dark:bg-slate-800" aria-hidden="true">
        {PARTS.map((p) =>
          verdict.breakdown[p] > 0 ? <div key={p} className={PART_COLORS[p]} style={{ width: `${(100 * verdict.breakdown[p]) / total}%` }} title={`${p} ${verdict.breakdown[p].toFixed(2)} GiB`} /> : null,
        )}
        <div className="absolute inset-y-0 border-r-2 border-slate-900 dark:border-white" style={{ left: `${(100 * verdict.gpuMemoryGib) / total}%` }} />
      </div>
      <ul className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
        {PARTS.filter((p) => verdict.breakdown[p] > 0).map((p) => (
          <li key={p} className="flex items-center gap-1">
            <span className={`inline-block h-2 w-3 rounded-sm ${PART_COLORS[p]}`} />
            {t(`train.plan.parts.${p}`)} {verdict.breakdown[p].toFixed(2)} GiB
          </li>
        ))}
      </ul>
      <p className="mt-1 text-xs text-slate-500">{t('train.plan.trainable', { trainable: formatCount(verdict.trainable_params), params: formatCount(verdict.params) })}</p>
      {verdict.suggestion && (
        <p className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/50 dark:text-amber-200" data-testid="plan-suggestion">
          <span className="font-medium">{t('train.plan.suggestion')}: </span>
          {verdict.suggestion}
        </p>
      )}
      {verdict.batch?.few && (
        <p className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/50 dark:text-amber-200" data-testid="plan-batch">
          {t('train.plan.fewExamples', { examples: verdict.batch.examples, effective: verdict.batch.effective })}
        </p>
      )}
      {verdict.blocked && (
        <p data-testid="plan-blocked" className="mt-2 text-sm text-rose-700 dark:text-rose-300">
          <span className="font-medium">{t('train.plan.blocked')}: </span>
          {verdict.blocked}
        </p>
      )}
    </div>
  );
}

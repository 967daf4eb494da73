import { useTranslation } from 'react-i18next';
import { inputClass } from '../../app/ui';
import type { Budget } from './api';
import { muted, parseBudgets } from './format';

export interface BudgetState {
  maxText: string;
  minThinking: string;
  waits: number[];
}

export const DEFAULT_BUDGETS: BudgetState = { maxText: '512, 1024, 2048, 4096, 8192', minThinking: '0', waits: [0] };

const PRESETS: { id: string; text: string }[] = [
  { id: 's1', text: '512, 1024, 2048, 4096, 8192' },
  { id: 'short', text: '256, 512, 1024' },
  { id: 'long', text: '2048, 4096, 8192, 16384' },
];

export const MAX_BUDGETS = 16;

/** Every (max thinking × Waits) pair; the minimum is clamped to each maximum. An error key when the text is not a list of numbers. */
export function expandBudgets(s: BudgetState): { budgets: Budget[]; error: string | null } {
  const maxes = parseBudgets(s.maxText);
  if (!maxes) return { budgets: [], error: 'evaluate.budgets.badList' };
  const min = s.minThinking.trim() === '' ? 0 : Number(s.minThinking);
  if (!Number.isInteger(min) || min < 0) return { budgets: [], error: 'evaluate.budgets.badMin' };
  const waits = s.waits.length ? [...s.waits].sort((a, b) => a - b) : [0];
  const budgets = maxes.flatMap((maxThinking) => waits.map((w) => ({ maxThinking, minThinking: Math.min(min, maxThinking), waits: w })));
  if (budgets.length > MAX_BUDGETS) return { budgets, error: 'evaluate.budgets.tooMany' };
  return { budgets, error: null };
}

/** Thinking budgets: the maximum thinking tokens to sweep, the minimum, and how many "Wait"s may extend a short thought. */
export function Budgets({ value, onChange }: { value: BudgetState; onChange: (v: BudgetState) => void }) {
  const { t } = useTranslation();
  const { budgets, error } = expandBudgets(value);
  return (
    <div className="space-y-3">
      <div>
        <label htmlFor="eval-max-thinking" className="block text-xs font-medium text-slate-600 dark:text-slate-400">
          {t('evaluate.budgets.max')}
        </label>
        <input
          id="eval-max-thinking"
          className={`${inputClass} font-mono`}
          value={value.maxText}
          spellCheck={false}
          aria-invalid={error === 'evaluate.budgets.badList'}
          aria-describedby="eval-budgets-note"
          onChange={(e) => onChange({ ...value, maxText: e.target.value })}
        />
        <div className="mt-1 flex flex-wrap gap-1">
          {PRESETS.map((p) => (
            <button
              key={p.id}
              type="button"
              className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-200 dark:hover:bg-slate-700"
              onClick={() => onChange({ ...value, maxText: p.text })}
            >
              {t(`evaluate.budgets.presets.${p.id}`)}
            </button>
          ))}
        </div>
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor="eval-min-thinking" className="block text-xs font-medium text-slate-600 dark:text-slate-400">
            {t('evaluate.budgets.min')}
          </label>
          <input id="eval-min-thinking" type="number" min={0} className={inputClass} value={value.minThinking} onChange={(e) => onChange({ ...value, minThinking: e.target.value })} />
        </div>
        <fieldset>
          <legend className="block text-xs font-medium text-slate-600 dark:text-slate-400">{t('evaluate.budgets.waits')}</legend>
          <div className="mt-1.5 flex gap-3">
            {[0, 1, 2, 3, 4].map((w) => (
              <label key={w} className="flex items-center gap-1 text-sm">
                <input
                  type="checkbox"
                  checked={value.waits.includes(w)}
                  aria-label={t('evaluate.budgets.waitsN', { n: w })}
                  onChange={(e) => onChange({ ...value, waits: e.target.checked ? [...value.waits, w] : value.waits.filter((x) => x !== w) })}
                />
                {w}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <p id="eval-budgets-note" className={error ? 'text-xs text-rose-700 dark:text-rose-300' : muted} role={error ? 'alert' : undefined} data-testid="eval-budget-count">
        {error ? t(error, { max: MAX_BUDGETS, n: budgets.length }) : t('evaluate.budgets.count', { n: budgets.length })}
      </p>
      <p className={muted}>{t('evaluate.budgets.help')}</p>
    </div>
  );
}

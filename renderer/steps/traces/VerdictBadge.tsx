import { useTranslation } from 'react-i18next';
import { pill, verdictKey, type Verdict } from './types';

const CLASS = {
  correct: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100',
  wrong: 'bg-rose-100 text-rose-800 dark:bg-rose-900 dark:text-rose-100',
  undecided: 'bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100',
} as const;

/** ✓ correct / ✗ wrong / ? undecided; the method and the reason on hover. Nothing when unchecked. */
export function VerdictBadge({ verdict }: { verdict: Verdict | undefined }) {
  const { t } = useTranslation();
  const k = verdictKey(verdict);
  if (!verdict || k === 'unchecked') return null;
  const title = t('traces.verdict.title', { method: verdict.method, reason: verdict.reason });
  return (
    <span data-testid="verdict" data-verdict={k} title={title} aria-label={`${t(`traces.verdict.${k}`)} — ${title}`} className={`${pill} ${CLASS[k]} cursor-help`}>
      {t(`traces.verdict.${k}`)}
    </span>
  );
}

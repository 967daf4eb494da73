import { useTranslation } from 'react-i18next';
import { STATUS_CLASS, pill, type Status, type Verdict } from './types';

export function StatusPill({ status }: { status: Status }) {
  const { t } = useTranslation();
  return (
    <span data-testid="status-pill" data-status={status} className={`${pill} ${STATUS_CLASS[status]}`}>
      {t(`review.status.${status}`)}
    </span>
  );
}

const VERDICT_CLASS = {
  correct: 'text-emerald-700 dark:text-emerald-300',
  wrong: 'text-rose-700 dark:text-rose-300',
  undecided: 'text-amber-700 dark:text-amber-300',
} as const;

/** ✓ / ✗ / ? for a checked answer (a queue row has only true / false / null); the full verdict adds its method and reason. */
export function VerdictMark({ verdict, full }: { verdict: boolean | null; full?: Verdict | null }) {
  const { t } = useTranslation();
  if (verdict === null && !full) return null;
  const k = verdict === true ? 'correct' : verdict === false ? 'wrong' : 'undecided';
  const label = t(`review.verdict.${k}`);
  const title = full ? t('review.verdict.title', { method: full.method, reason: full.reason }) : label;
  return (
    <span data-testid="verdict" data-verdict={k} title={title} aria-label={`${label}: ${title}`} className={`shrink-0 text-xs font-bold ${VERDICT_CLASS[k]}`}>
      {k === 'correct' ? '✓' : k === 'wrong' ? '✗' : '?'}
    </span>
  );
}

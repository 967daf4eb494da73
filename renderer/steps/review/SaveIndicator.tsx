import { useTranslation } from 'react-i18next';
import type { SaveState } from './useAutosave';

const CLASS: Record<SaveState, string> = {
  saved: 'text-emerald-700 dark:text-emerald-300',
  pending: 'text-slate-500 dark:text-slate-400',
  saving: 'text-slate-500 dark:text-slate-400',
  conflict: 'text-amber-700 dark:text-amber-300 font-medium',
  error: 'text-rose-700 dark:text-rose-300 font-medium',
};

/** Saved / saving / conflict, where the reviewer looks while typing. */
export function SaveIndicator({ state, savedAt, error }: { state: SaveState; savedAt: Date | null; error: string | null }) {
  const { t, i18n } = useTranslation();
  const label =
    state === 'saved' && savedAt
      ? t('review.save.savedAt', { time: savedAt.toLocaleTimeString(i18n.language) })
      : state === 'error' && error
        ? t('review.save.errorWith', { message: error })
        : t(`review.save.${state}`);
  return (
    <span role="status" aria-live="polite" data-testid="save-state" data-state={state} className={`text-xs ${CLASS[state]}`}>
      {label}
    </span>
  );
}

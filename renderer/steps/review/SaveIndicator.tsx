import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/hooks';
import { ErrorNote } from '../../app/ui';
import { useSaveState, type SaveState, type SaveStore } from './useAutosave';

const CLASS: Record<SaveState, string> = {
  saved: 'text-emerald-700 dark:text-emerald-300',
  pending: 'text-slate-500 dark:text-slate-400',
  saving: 'text-slate-500 dark:text-slate-400',
  conflict: 'text-amber-700 dark:text-amber-300 font-medium',
  error: 'text-rose-700 dark:text-rose-300 font-medium',
};

/** Saved / saving / conflict, where the reviewer looks while typing (the only part of the pane a save cycle re-renders). */
export function SaveIndicator({ store, error }: { store: SaveStore; error: string | null }) {
  const { t, i18n } = useTranslation();
  const { state, savedAt } = useSaveState(store);
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

/** An autosave error below the editors, unless the indicator already shows it (state "error"). */
export function SaveErrorNote({ store, error }: { store: SaveStore; error: ApiError | null }) {
  const { state } = useSaveState(store);
  return <ErrorNote error={state === 'error' ? null : error} />;
}

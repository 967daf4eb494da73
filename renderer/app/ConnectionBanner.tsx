import { useTranslation } from 'react-i18next';
import { useConnection } from '../api/hooks';

/** One banner for a stopped engine (retrying by itself) or a token this server no longer accepts. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const { state } = useConnection();
  if (state === 'ok') return null;
  const down = state === 'down';
  return (
    <div
      role="alert"
      data-testid="connection-banner"
      data-state={state}
      className={`flex items-center gap-3 border-b px-4 py-2 text-sm ${down ? 'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200' : 'border-rose-200 bg-rose-50 text-rose-800 dark:border-rose-900 dark:bg-rose-950/60 dark:text-rose-200'}`}
    >
      {down && <span aria-hidden="true" className="h-2 w-2 animate-pulse rounded-full bg-amber-500" />}
      <p>{down ? t('connection.down') : t('connection.tokenInvalid')}</p>
    </div>
  );
}

import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/hooks';
import { ErrorNote } from '../../app/ui';

/**
 * The engine's open/create errors carry a code (electron/core/store/open-errors.ts). The engine's sentence
 * names the file and is in English; a translated headline first says, in the user's language, what
 * happened and what to do, so that a locked or read-only project is never read as a damaged one.
 */
export const OPEN_ERROR_CODES = [
  'project_in_use',
  'read_only',
  'permission_denied',
  'disk_full',
  'not_found',
  'not_a_project',
  'newer_schema',
  'corrupt',
  'open_failed',
] as const;

export function OpenErrorNote({ error, children }: { error: ApiError | null; children?: ReactNode }) {
  const { t } = useTranslation();
  const code = OPEN_ERROR_CODES.find((c) => c === error?.code);
  if (!error || !code) return <ErrorNote error={error}>{children}</ErrorNote>;
  return (
    <ErrorNote error={{ ...error, message: t(`picker.openError.${code}`) }}>
      <p data-testid="open-error-detail" className="mt-1 text-xs break-words opacity-80">
        {error.message}
      </p>
      {children}
    </ErrorNote>
  );
}

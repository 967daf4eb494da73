import { useTranslation } from 'react-i18next';
import { RejectTable } from './RejectTable';
import { td, th } from './parts';
import type { PreviewResult } from './types';

function clip(s: string | null | undefined, n = 160): string {
  if (!s) return '';
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/** The dry run: counts, the first rows as they will be stored, and the rows that will be rejected. */
export function PreviewPanel({ preview, loading }: { preview: PreviewResult; loading: boolean }) {
  const { t } = useTranslation();
  const ok = preview.imported;
  return (
    <div className={`space-y-4 transition-opacity ${loading ? 'opacity-60' : ''}`} aria-busy={loading} data-testid="import-preview">
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="preview-counts">
        {t('questions.import.previewCounts', { read: preview.read, ok, duplicates: preview.duplicates, rejected: preview.rejectedTotal })}
      </p>
      {preview.read > 0 && !preview.mapping.answer && (
        <p role="status" data-testid="no-answer-column" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200">
          {t('questions.import.noAnswerColumn')}
        </p>
      )}
      <div>
        <h3 className="mb-1.5 text-sm font-semibold">{t('questions.import.firstRows')}</h3>
        <div className="max-h-72 overflow-auto rounded-md ring-1 ring-slate-200 dark:ring-slate-700">
          <table className="w-full border-collapse" data-testid="preview-rows">
            <thead>
              <tr>
                <th className={`${th} w-14`}>{t('questions.import.line')}</th>
                <th className={th}>{t('questions.import.question')}</th>
                <th className={th}>{t('questions.import.answer')}</th>
                <th className={th}>{t('questions.import.domain')}</th>
                <th className={`${th} w-16`}>{t('questions.import.traces')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.preview.map((r) => (
                <tr key={r.line}>
                  <td className={`${td} font-mono tabular-nums text-slate-500`}>{r.line}</td>
                  <td className={`${td} max-w-lg`}>
                    <span className="line-clamp-2 whitespace-pre-wrap">{clip(r.question, 300)}</span>
                  </td>
                  <td className={`${td} max-w-48 truncate`}>{clip(r.answer, 80)}</td>
                  <td className={td}>{r.domain ?? ''}</td>
                  <td className={`${td} tabular-nums`}>{r.traces.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <div>
        <h3 className="mb-1.5 text-sm font-semibold">{t('questions.import.willReject')}</h3>
        {preview.rejected.length === 0 ? (
          <p className="text-sm text-slate-500">{t('questions.import.noRejects')}</p>
        ) : (
          <RejectTable rows={preview.rejected} testId="preview-rejects" />
        )}
      </div>
    </div>
  );
}

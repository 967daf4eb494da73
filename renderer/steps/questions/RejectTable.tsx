import { useTranslation } from 'react-i18next';
import type { EngineMessage } from '../../../electron/core/util/messages';
import { messageText } from '../../api/messages';
import { td, th } from './parts';

export interface RejectRow {
  line: number;
  reason: string;
  /** The reason with a code (pool/row-reason.ts), said in the UI's language. */
  reasonMessage?: EngineMessage;
  raw?: string | null;
}

/** Rejected rows with their line (or data row) number and reason; raw excerpts shown as text. */
export function RejectTable({ rows, testId }: { rows: RejectRow[]; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="max-h-64 overflow-auto rounded-md ring-1 ring-slate-200 dark:ring-slate-700">
      <table data-testid={testId} className="w-full border-collapse">
        <thead>
          <tr>
            <th className={`${th} w-16`}>{t('questions.import.line')}</th>
            <th className={th}>{t('questions.import.reason')}</th>
            <th className={th}>{t('questions.import.raw')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={`${r.line}-${i}`}>
              <td className={`${td} font-mono tabular-nums text-slate-600 dark:text-slate-400`}>{r.line}</td>
              <td className={`${td} text-rose-700 dark:text-rose-300`}>{messageText(r.reasonMessage ?? r.reason)}</td>
              <td className={`${td} max-w-md truncate font-mono text-xs text-slate-500`} title={r.raw ?? ''}>
                {r.raw ?? ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { action, useApiMutation } from '../../api/hooks';
import { Button, Card, ErrorNote } from '../../app/ui';
import { RejectTable } from './RejectTable';
import type { ImportOutcome } from './types';

function Tile({ label, value, tone, testId }: { label: string; value: number; tone: string; testId: string }) {
  return (
    <div className="rounded-lg border border-slate-200 px-4 py-3 dark:border-slate-700">
      <div className={`text-2xl font-semibold tabular-nums ${tone}`} data-testid={testId}>
        {value.toLocaleString()}
      </div>
      <div className="text-xs text-slate-500">{label}</div>
    </div>
  );
}

/** What an import did: the four counts, the sum that proves nothing was lost, and the rejected rows. */
export function ImportResult({ result, onAnother, onShowPool }: { result: ImportOutcome; onAnother: () => void; onShowPool: () => void }) {
  const { t } = useTranslation();
  const save = useApiMutation((importId: number) => api.pool.saveRejectReport.mutate({ importId }));
  const [saved, setSaved] = useState<{ path: string; rows: number } | null>(null);
  const rejected = result.rejectedTotal;
  return (
    <Card title={t('questions.import.doneTitle')} labelId="import-done" actions={<Button onClick={onAnother}>{t('questions.import.another')}</Button>}>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Tile label={t('questions.import.read')} value={result.read} tone="text-slate-900 dark:text-slate-100" testId="count-read" />
        <Tile label={t('questions.import.imported')} value={result.imported} tone="text-emerald-700 dark:text-emerald-300" testId="count-imported" />
        <Tile label={t('questions.import.duplicates')} value={result.duplicates} tone="text-amber-700 dark:text-amber-300" testId="count-duplicates" />
        <Tile label={t('questions.import.rejected')} value={rejected} tone="text-rose-700 dark:text-rose-300" testId="count-rejected" />
      </div>
      <p
        data-testid="accounting"
        className="mt-3 rounded-md bg-slate-50 px-3 py-2 text-center font-mono text-sm text-slate-700 dark:bg-slate-800 dark:text-slate-200"
      >
        {result.imported.toLocaleString()} {t('questions.import.imported')} + {result.duplicates.toLocaleString()} {t('questions.import.duplicates')} +{' '}
        {rejected.toLocaleString()} {t('questions.import.rejected')} = {result.read.toLocaleString()} {t('questions.import.read')}
        {result.imported + result.duplicates + rejected === result.read ? ' ✓' : ' ✗'}
      </p>
      {result.traces > 0 && <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">{t('questions.import.tracesImported', { count: result.traces })}</p>}
      {rejected > 0 && (
        <div className="mt-4">
          <div className="mb-1.5 flex items-center justify-between gap-3">
            <h3 className="text-sm font-semibold">
              {t('questions.import.rejectedTitle')}{' '}
              {result.rejected.length < rejected && (
                <span className="font-normal text-slate-500">{t('questions.import.rejectedShown', { shown: result.rejected.length, total: rejected })}</span>
              )}
            </h3>
            <Button
              disabled={save.pending || result.importId === null}
              onClick={action(async () => {
                if (result.importId === null) return;
                const r = await save.run(result.importId);
                if (r) setSaved(r);
              })}
            >
              {t('questions.import.saveReport')}
            </Button>
          </div>
          <RejectTable rows={result.rejected} testId="import-rejects" />
          {saved && (
            <p className="mt-2 text-sm text-emerald-700 dark:text-emerald-300" data-testid="report-path">
              {t('questions.import.saved', { rows: saved.rows })} <code className="break-all">{saved.path}</code>
            </p>
          )}
          <ErrorNote error={save.error} />
        </div>
      )}
      <div className="mt-4 flex justify-end">
        <Button variant="primary" onClick={onShowPool}>
          {t('questions.import.viewPool')}
        </Button>
      </div>
    </Card>
  );
}

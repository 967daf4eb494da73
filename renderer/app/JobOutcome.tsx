import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../electron/core/jobs/types';

type Outcome = Pick<JobProgress, 'status' | 'outcome' | 'failures' | 'failureHint' | 'failed' | 'done' | 'total'>;

/** The status word of a job: a finished job with failures is not plainly "Done". */
export function statusKey(job: Pick<JobProgress, 'status' | 'outcome'>): string {
  if (job.outcome === 'all_failed') return 'jobs.outcome.allFailed';
  if (job.outcome === 'partial') return 'jobs.outcome.partial';
  return `jobs.status.${job.status}`;
}

/** The bar's colour: red when the job failed or every item failed, amber when some did. */
export function barClass(job: Pick<JobProgress, 'status' | 'outcome'>): string {
  if (job.status === 'failed' || job.outcome === 'all_failed') return 'bg-rose-500';
  if (job.outcome === 'partial') return 'bg-amber-500';
  return 'bg-indigo-500';
}

/** Under a finished job with failures: how many, the most frequent reasons, and what to fix. */
export function JobOutcomeNote({ job, testId }: { job: Outcome; testId?: string }) {
  const { t } = useTranslation();
  if (job.outcome !== 'partial' && job.outcome !== 'all_failed') return null;
  const all = job.outcome === 'all_failed';
  return (
    <div
      role="status"
      data-testid={testId ?? 'job-outcome'}
      data-outcome={job.outcome}
      className={`mt-2 rounded-md border px-3 py-2 text-xs ${all ? 'border-rose-200 bg-rose-50 text-rose-800 dark:border-rose-900 dark:bg-rose-950/60 dark:text-rose-200' : 'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200'}`}
    >
      <p className="font-medium">{all ? t('jobs.outcome.allFailedLine', { count: job.failed }) : t('jobs.outcome.partialLine', { failed: job.failed, total: job.done + job.failed })}</p>
      {job.failureHint && <p className="mt-1">{t(`jobs.outcome.hint.${job.failureHint}`)}</p>}
      {job.failures.length > 0 && (
        <ul className="mt-1 list-disc space-y-0.5 pl-4">
          {job.failures.map((f) => (
            <li key={f.reason} className="break-words">
              {t('jobs.outcome.reason', { count: f.count, reason: f.reason })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

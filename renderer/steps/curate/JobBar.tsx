import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../electron/core/jobs/types';
import { barClass, JobOutcomeNote, statusKey } from '../../app/JobOutcome';

function duration(sec: number): string {
  if (sec < 90) return `${Math.round(sec)} s`;
  if (sec < 5400) return `${Math.round(sec / 60)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}

/** A job's progress bar with its counts, rate and time left (`unit` items: batches of questions show questions). */
export function JobBar({ job, label, testId }: { job: Pick<JobProgress, 'status' | 'done' | 'total' | 'failed' | 'ratePerSec' | 'etaSec' | 'error' | 'extra'> & Partial<Pick<JobProgress, 'outcome' | 'failures' | 'failureHint'>>; label: string; testId?: string }) {
  const { t } = useTranslation();
  const pct = job.total ? Math.round(((job.done + job.failed) / job.total) * 100) : job.status === 'done' ? 100 : null;
  const qps = job.extra?.questions_per_s;
  const details = [
    t(statusKey({ status: job.status, outcome: job.outcome ?? null })),
    job.total !== null ? t('jobs.progress', { done: job.done, total: job.total }) : null,
    job.failed ? t('jobs.failed', { count: job.failed }) : null,
    job.status === 'running' && typeof qps === 'number' ? t('curateEmbed.speed', { rate: qps.toFixed(1) }) : job.status === 'running' && job.ratePerSec ? t('jobs.rate', { rate: job.ratePerSec.toFixed(1) }) : null,
    job.status === 'running' && job.etaSec !== null ? t('curateEmbed.eta', { time: duration(job.etaSec) }) : null,
  ].filter(Boolean);
  return (
    <div data-testid={testId}>
      <p className="text-xs font-medium text-slate-700 dark:text-slate-300">{label}</p>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined} className="mt-1 h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800">
        <div className={`h-full rounded-full ${barClass({ status: job.status, outcome: job.outcome ?? null })}`} style={{ width: `${pct ?? 0}%` }} />
      </div>
      <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{details.join(' · ')}</p>
      {job.error && <p className="text-xs text-rose-700 dark:text-rose-300">{job.error}</p>}
      <JobOutcomeNote job={{ ...job, outcome: job.outcome ?? null, failures: job.failures ?? [], failureHint: job.failureHint ?? null }} />
    </div>
  );
}

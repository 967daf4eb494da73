import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../electron/core/jobs/types';
import { api } from '../../api/client';
import { toApiError } from '../../api/hooks';
import { useProject } from '../../app/ProjectContext';
import { barClass, JobOutcomeNote, statusKey } from '../../app/JobOutcome';
import { Button, Card, ErrorNote } from '../../app/ui';
import { useJobs } from './useJobs';
import { messageText } from '../../api/messages';

function duration(sec: number): string {
  if (sec < 90) return `${Math.round(sec)} s`;
  if (sec < 5400) return `${Math.round(sec / 60)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}

export function JobsPanel() {
  const { t } = useTranslation();
  const { project } = useProject();
  const { jobs, error, live, setError } = useJobs(project?.path ?? '');

  const act = (fn: () => Promise<unknown>) => {
    setError(null);
    fn().catch((e: unknown) => setError(toApiError(e)));
  };

  return (
    <Card
      title={t('jobs.title')}
      labelId="jobs-title"
      actions={
        live && (
          <span className="flex items-center gap-1.5 text-xs text-emerald-700 dark:text-emerald-300">
            <span aria-hidden="true" className="h-2 w-2 rounded-full bg-emerald-500" />
            {t('jobs.live')}
          </span>
        )
      }
    >
      <ErrorNote error={error} />
      {jobs.length === 0 && <p className="text-sm text-slate-500 dark:text-slate-400">{t('jobs.empty')}</p>}
      <ul className="space-y-3" data-testid="jobs-list">
        {jobs.map((j) => (
          <JobRow
            key={j.jobId}
            job={j}
            onPause={() => act(() => api.jobs.pause.mutate({ id: j.jobId }))}
            onResume={() => act(() => api.jobs.resume.mutate({ id: j.jobId }))}
            onCancel={() => act(() => api.jobs.cancel.mutate({ id: j.jobId }))}
          />
        ))}
      </ul>
    </Card>
  );
}

function JobRow({ job, onPause, onResume, onCancel }: { job: JobProgress; onPause: () => void; onResume: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const pct = job.total ? Math.min(100, Math.round(((job.done + job.failed) / job.total) * 100)) : null;
  const active = job.status === 'running' || job.status === 'queued';
  // The label in the UI's language when the engine gave it a code (engine messages), else as stored.
  const label = job.labelMessage ? messageText(job.labelMessage) : job.label;
  const details = [
    job.total !== null ? t('jobs.progress', { done: job.done, total: job.total }) : t('jobs.progressUnknown', { done: job.done }),
    job.failed ? t('jobs.failed', { count: job.failed }) : null,
    job.status === 'running' && job.ratePerSec ? t('jobs.rate', { rate: job.ratePerSec.toFixed(1) }) : null,
    job.status === 'running' && job.etaSec !== null ? t('jobs.eta', { time: duration(job.etaSec) }) : null,
  ].filter(Boolean);
  return (
    <li className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
      <div className="flex items-center justify-between gap-2">
        <p className="truncate text-sm font-medium" title={label ?? job.kind}>
          {t(`jobs.kinds.${job.kind}`, { defaultValue: job.kind })}
          {label && <span className="ml-2 text-xs font-normal text-slate-500 dark:text-slate-400">{label}</span>}
        </p>
        <span className="shrink-0 rounded bg-slate-100 px-1.5 py-0.5 text-[11px] font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-200">{t(statusKey(job))}</span>
      </div>
      <div
        role="progressbar"
        aria-label={label ?? job.kind}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        className="mt-2 h-2 overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800"
      >
        <div className={`h-full rounded-full ${barClass(job)}`} style={{ width: `${pct ?? 0}%` }} />
      </div>
      <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{details.join(' · ')}</p>
      {job.error && <p className="mt-1 text-xs text-rose-700 dark:text-rose-300">{job.error}</p>}
      <JobOutcomeNote job={job} />
      <div className="mt-2 flex gap-2">
        {active && <Button onClick={onPause}>{t('jobs.pause')}</Button>}
        {job.status === 'paused' && <Button onClick={onResume}>{t('jobs.resume')}</Button>}
        {(active || job.status === 'paused') && (
          <Button variant="danger" onClick={onCancel}>
            {t('jobs.cancel')}
          </Button>
        )}
      </div>
    </li>
  );
}

import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../electron/core/jobs/types';
import { api } from '../../api/client';
import { useApiMutation } from '../../api/hooks';
import { messageText } from '../../api/messages';
import { barClass, JobOutcomeNote, statusKey } from '../../app/JobOutcome';
import { Button, ErrorNote } from '../../app/ui';
import { ProgressStats, type Stat } from '../../app/ProgressStats';
import { duration, muted } from './types';

/** A generation job's live progress: bar, done / failed / remaining, tokens/s, in flight, ETA, cost; pause / resume / cancel. */
export function ProgressPanel({ job }: { job: JobProgress }) {
  const { t } = useTranslation();
  const act = useApiMutation((a: 'pause' | 'resume' | 'cancel') => api.jobs[a].mutate({ id: job.jobId }));
  const finished = job.done + job.failed;
  const pct = job.total ? Math.min(100, Math.round((finished / job.total) * 100)) : 0;
  const remaining = job.remaining ?? (job.total !== null ? job.total - finished : null);
  const x = job.extra;
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const running = job.status === 'running' || job.status === 'queued';
  const stats: Stat[] = [
    ['done', t('traces.progress.done'), String(job.done)],
    ['failed', t('traces.progress.failed'), String(job.failed)],
    ['remaining', t('traces.progress.remaining'), remaining === null ? '–' : String(remaining)],
    ['tokens', t('traces.progress.tokensPerS'), num(x.tokens_per_s) === null ? '–' : Math.round(num(x.tokens_per_s) ?? 0).toLocaleString()],
    ['inflight', t('traces.progress.inFlight'), num(x.in_flight) === null ? '–' : `${num(x.in_flight)}${num(x.concurrency) !== null ? ` / ${num(x.concurrency)}` : ''}`],
    ['eta', t('traces.progress.eta'), running && job.etaSec !== null ? duration(job.etaSec) : '–'],
  ];
  if (num(x.cost) !== null) stats.push(['cost', t('traces.progress.cost'), (num(x.cost) ?? 0).toFixed((num(x.cost) ?? 0) < 1 ? 4 : 2)]);
  if (num(x.endpoints_down)) stats.push(['down', t('traces.progress.endpointsDown'), String(num(x.endpoints_down))]);
  return (
    <div data-testid="gen-progress" data-status={job.status} data-outcome={job.outcome ?? ''} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <div className="flex items-center justify-between gap-2">
        <p className="text-sm font-medium">
          {t('traces.progress.job', { id: job.jobId })} <span data-testid="gen-job-label" className={muted}>{job.labelMessage ? messageText(job.labelMessage) : job.label}</span>
        </p>
        <span data-testid="gen-status" className="rounded bg-slate-100 px-1.5 py-0.5 text-[11px] font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-200">
          {job.outcome === 'partial' || job.outcome === 'all_failed' ? t(statusKey(job)) : t(`traces.progress.status.${job.status}`)}
        </span>
      </div>
      <ProgressStats label={t('traces.progress.title')} pct={pct} barClass={barClass(job)} stats={stats} testIdPrefix="gen" gridClass="grid-cols-3 sm:grid-cols-7" className="mt-2" />
      <LimitNote extra={x} />
      {num(x.logprobs_missing) ? (
        <p data-testid="gen-logprobs-missing" className="mt-2 text-xs text-amber-700 dark:text-amber-300">
          {t('traces.progress.logprobsMissing', { k: num(x.logprobs_missing) })}
        </p>
      ) : null}
      <JobOutcomeNote job={job} testId="gen-outcome" />
      {job.error && <p className="mt-2 text-xs text-rose-700 dark:text-rose-300">{job.error}</p>}
      <div className="mt-3 flex gap-2">
        {running && <Button onClick={() => void act.run('pause')}>{t('traces.progress.pause')}</Button>}
        {job.status === 'paused' && <Button onClick={() => void act.run('resume')}>{t('traces.progress.resume')}</Button>}
        {(running || job.status === 'paused') && (
          <Button variant="danger" onClick={() => void act.run('cancel')}>
            {t('traces.progress.cancel')}
          </Button>
        )}
      </div>
      <ErrorNote error={act.error} />
    </div>
  );
}

const LIMIT_CODES = ['start', 'grew', 'no_gain', 'throughput_fell', 'overloaded'] as const;

/** Why the automatic concurrency is what it is (the engine sends a code and numbers; the words are here). */
function LimitNote({ extra }: { extra: Record<string, number | string | null> }) {
  const { t } = useTranslation();
  const code = LIMIT_CODES.find((c) => c === extra.concurrency_reason);
  if (!code) return null;
  const n = (k: string) => (typeof extra[`concurrency_${k}`] === 'number' ? (extra[`concurrency_${k}`] as number) : 0);
  return (
    <p data-testid="gen-limit-reason" className={`mt-2 text-xs ${muted}`}>
      {t(`traces.progress.limit.${code}`, { limit: n('limit'), cap: n('cap'), from: n('from'), to: n('to'), gain: Math.round(n('gain') * 100), drop: Math.round(n('drop') * 100) })}
    </p>
  );
}

import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useJobProgress } from '../../api/useJobProgress';
import { Button, Card, ErrorNote } from '../../app/ui';
import { trainApi } from './api';
import { Charts } from './Charts';
import { ExportRun } from '../../app/models/ExportRun';
import { KNOWN_METRICS, parseMetrics } from './logLine';

const LIVE = new Set(['queued', 'running']);

const fmt = (x: number | null | undefined, digits = 4) => (typeof x === 'number' ? (Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(2) : x.toFixed(digits)) : '–');

/** One run, live: status and controls, the four charts, checkpoints and the log tail (refreshed on the job's progress events). */
export function RunPanel({ runId, onChanged }: { runId: string; onChanged: () => void }) {
  const { t } = useTranslation();
  const detail = useApiQuery(() => trainApi.run.query({ id: runId }), [runId]);
  const status = detail.data?.run.status ?? 'queued';
  const jobStatus = detail.data?.run.jobStatus ?? null;
  const live = LIVE.has(status) || (jobStatus !== null && LIVE.has(jobStatus));
  const { refetch } = detail;
  useJobProgress(detail.data?.run.jobId ?? null, () => void refetch(), { enabled: live });
  useEffect(() => {
    if (!live) onChanged();
  }, [live, onChanged]);
  const control = useApiMutation(async (what: 'pause' | 'cancel' | 'resume') => {
    if (what === 'resume') await trainApi.resume.mutate({ id: runId });
    else await trainApi[what].mutate({ id: runId });
    await refetch();
    onChanged();
  });

  const d = detail.data;
  if (!d) return <ErrorNote error={detail.error} />;
  const last = d.steps[d.steps.length - 1];
  const total = d.run.maxSteps;
  const start = d.start as { device?: string; dtype?: string; train_examples?: number } | null;
  const canStop = live;
  const canResume = !live && status !== 'done';
  return (
    <Card
      title={t('train.run.title', { id: d.run.name ? `${d.run.name} (${d.run.id})` : d.run.id })}
      labelId="train-run-title"
      actions={
        <>
          {canStop && (
            <>
              <Button onClick={() => void control.run('pause')} disabled={control.pending}>
                {t('train.run.pause')}
              </Button>
              <Button variant="danger" onClick={() => void control.run('cancel')} disabled={control.pending}>
                {t('train.run.cancel')}
              </Button>
            </>
          )}
          {canResume && (
            <Button variant="primary" onClick={() => void control.run('resume')} disabled={control.pending}>
              {t('train.run.resume')}
            </Button>
          )}
        </>
      }
    >
      <div className="mb-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm" data-testid="run-status" data-status={status}>
        <span className="rounded bg-slate-100 px-2 py-0.5 font-medium dark:bg-slate-800">{t(`train.run.status.${status}`, { defaultValue: status })}</span>
        {last ? (
          <span data-testid="run-step">{total ? t('train.run.step', { step: last.step, total }) : t('train.run.stepUnknown', { step: last.step })}</span>
        ) : (
          live && <span className="text-slate-500">{t('train.run.starting')}</span>
        )}
        {last && <span>{t('train.run.loss', { loss: fmt(last.loss) })}</span>}
        {last?.tokens_per_sec != null && <span>{t('train.run.tps', { tps: Math.round(last.tokens_per_sec) })}</span>}
        {start?.device && <span className="text-xs text-slate-500">{t('train.run.device', { device: start.device, dtype: start.dtype ?? '', examples: start.train_examples ?? 0 })}</span>}
      </div>
      {total ? (
        <div className="mb-3 h-1.5 w-full overflow-hidden rounded bg-slate-100 dark:bg-slate-800" aria-hidden="true">
          <div className="h-full bg-indigo-500" style={{ width: `${Math.min(100, (100 * (last?.step ?? 0)) / total)}%` }} />
        </div>
      ) : null}
      {live && <p className="mb-3 text-xs text-slate-500">{t('train.run.stopNote')}</p>}
      {d.events
        .filter((e) => e.event.event === 'note' && typeof e.event.message === 'string')
        .map((e) => (
          <p key={e.seq} data-testid="run-note" className="mb-2 text-xs text-amber-700 dark:text-amber-300">
            {t('train.run.note')}: {String(e.event.message)}
          </p>
        ))}
      {d.run.error && (
        <div role="alert" className="mb-3 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-900 dark:bg-rose-950/60 dark:text-rose-200">
          <p className="font-medium">{t('train.run.error')}</p>
          <p>{d.run.error}</p>
        </div>
      )}
      <ErrorNote error={control.error} />
      <Charts steps={d.steps} />
      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        <div>
          <h3 className="mb-1 text-sm font-semibold">{t('train.checkpoints.title')}</h3>
          {d.checkpoints.length === 0 ? (
            <p className="text-xs text-slate-500">{t('train.checkpoints.empty')}</p>
          ) : (
            <ul className="space-y-1 text-xs" data-testid="checkpoints">
              {d.checkpoints.map((c) => (
                <li key={c.path} className="font-mono break-all" title={c.path}>
                  {t('train.checkpoints.step', { step: c.step })} · {c.path}
                </li>
              ))}
            </ul>
          )}
          <p className="mt-3 text-xs text-slate-500">
            {t('train.run.output')}: <span className="font-mono break-all">{d.run.config.output_dir}</span>
          </p>
          {status === 'done' && <ExportRun runId={d.run.id} lora={d.run.config.method === 'lora' || d.run.config.method === 'qlora'} />}
        </div>
        <div className="lg:col-span-2">
          <h3 className="mb-1 text-sm font-semibold">{t('train.log.title')}</h3>
          <pre className="max-h-56 overflow-auto rounded bg-slate-950 p-2 text-[11px] leading-snug whitespace-pre-wrap text-slate-100" data-testid="log-tail">
            {d.log.length ? d.log.map((line, i) => <LogLine key={i} line={line} />) : t('train.log.empty')}
          </pre>
        </div>
      </div>
    </Card>
  );
}

/** One log line: a metrics dict becomes named values; anything else stays as written (text only). */
function LogLine({ line }: { line: string }) {
  const { t } = useTranslation();
  const metrics = parseMetrics(line);
  if (!metrics) return <div>{line}</div>;
  return (
    <div data-testid="log-metrics" className="text-emerald-200">
      {metrics.map(([k, v], i) => (
        <span key={k}>
          {i > 0 && ' · '}
          <span className="text-slate-400">{(KNOWN_METRICS as readonly string[]).includes(k) ? t(`train.log.metrics.${k}`) : k.replace(/_/g, ' ')}</span> {v}
        </span>
      ))}
    </div>
  );
}

import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useJobProgress } from '../../api/useJobProgress';
import { Button, Card, ErrorNote } from '../../app/ui';
import { evalApi, type BenchmarkInfo, type RunDetail } from './api';
import { DrillDown } from './DrillDown';
import { duration, isoUtc, muted, shown } from './format';
import { ScalingChart, type ScalingSeries as ChartSeries } from './ScalingChart';
import { Compare } from './Compare';
import { ProgressStats, type Stat } from '../../app/ProgressStats';
import { BenchTable, budgetLabel, LatencyTable } from './Tables';

const LIVE = new Set(['queued', 'running']);

/** Progress of the run's job: bar, done / failed / remaining, generations per second, tokens/s, ETA, the model now running. */
function Progress({ d }: { d: RunDetail }) {
  const { t } = useTranslation();
  const p = d.progress;
  const total = p?.total ?? d.run.total;
  const finished = p ? p.done + p.failed : d.run.done;
  const failed = p?.failed ?? d.run.failed;
  const pctDone = total ? Math.min(100, Math.round((100 * finished) / total)) : 0;
  const live = LIVE.has(d.run.status);
  const x = p?.extra ?? {};
  // Live figures come from the job; once it has ended, the whole run's averages stand in.
  const gens = d.latency.reduce((n, r) => n + (r.tokensPerSecond !== null ? r.generations : 0), 0);
  const meanTps = gens ? d.latency.reduce((n, r) => n + (r.tokensPerSecond ?? 0) * r.generations, 0) / gens : null;
  const tps = typeof x.tokens_per_s === 'number' && live ? x.tokens_per_s : meanTps;
  const secs = d.run.endedAt ? (Date.parse(isoUtc(d.run.endedAt)) - Date.parse(isoUtc(d.run.createdAt))) / 1000 : NaN;
  const rate = live ? p?.ratePerSec ?? null : secs > 0 ? finished / secs : null;
  const stats: Stat[] = [
    ['done', t('evaluate.progress.done'), `${finished} / ${total}`],
    ['failed', t('evaluate.progress.failed'), String(failed)],
    ['rate', t('evaluate.progress.rate'), rate ? t('evaluate.progress.perMin', { n: (rate * 60).toFixed(1) }) : '–'],
    ['tokens', t('evaluate.progress.tokensPerS'), tps === null ? '–' : Math.round(tps).toLocaleString()],
    ['eta', t('evaluate.progress.eta'), live && p?.etaSec != null ? duration(p.etaSec) : '–'],
  ];
  return (
    <div data-testid="eval-progress" data-status={d.run.status}>
      <ProgressStats label={t('evaluate.progress.title')} pct={pctDone} barClass={d.run.status === 'failed' ? 'bg-rose-500' : 'bg-indigo-500'} stats={stats} testIdPrefix="eval" gridClass="grid-cols-2 sm:grid-cols-5" />
      {live && typeof x.current_model === 'string' && <p className={`${muted} mt-1`}>{t('evaluate.progress.current', { model: x.current_model })}</p>}
    </div>
  );
}

/** Export as one self-contained HTML file or as JSON; the path written is shown (and offered as a download in browser mode). */
function Export({ runId, paths, browser }: { runId: string; paths: RunDetail['reportPath']; browser: boolean }) {
  const { t } = useTranslation();
  const [last, setLast] = useState<{ format: 'html' | 'json'; path: string; bytes: number; url: string | null } | null>(null);
  const ex = useApiMutation(async (format: 'html' | 'json') => {
    const r = await evalApi.runs.exportReport.mutate({ runId, format, inline: browser });
    const url = r.content !== null ? URL.createObjectURL(new Blob([r.content], { type: format === 'html' ? 'text/html' : 'application/json' })) : null;
    setLast((prev) => {
      if (prev?.url) URL.revokeObjectURL(prev.url);
      return { format, path: r.path, bytes: r.bytes, url };
    });
    return r;
  });
  return (
    <div data-testid="eval-export">
      <div className="flex flex-wrap items-center gap-2">
        <Button onClick={() => void ex.run('html')} disabled={ex.pending} aria-keyshortcuts="e">
          {t('evaluate.export.html')}
        </Button>
        <Button onClick={() => void ex.run('json')} disabled={ex.pending}>
          {t('evaluate.export.json')}
        </Button>
        {last?.url && (
          <a className="text-sm font-medium text-indigo-700 underline dark:text-indigo-300" href={last.url} download={`${runId}.${last.format}`}>
            {t('evaluate.export.download')}
          </a>
        )}
      </div>
      {last ? (
        <p className="mt-1 text-xs" data-testid="eval-export-path">
          {t('evaluate.export.written', { bytes: last.bytes.toLocaleString() })} <span className="font-mono break-all select-all">{last.path}</span>
        </p>
      ) : (
        (paths.html || paths.json) && (
          <p className={`${muted} mt-1`}>
            {t('evaluate.export.previous')} <span className="font-mono break-all">{[paths.html, paths.json].filter(Boolean).join(' · ')}</span>
          </p>
        )
      )}
      <ErrorNote error={ex.error} />
    </div>
  );
}

/** One run, live: progress and controls, then the scaling plot, a table per benchmark, latency, export and the drill-down. */
export function RunView({ runId, benchmarks, browser, onChanged }: { runId: string; benchmarks: BenchmarkInfo[]; browser: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const detail = useApiQuery(() => evalApi.runs.get.query({ runId }), [runId]);
  const status = detail.data?.run.status ?? 'queued';
  const live = LIVE.has(status);
  const { refetch } = detail;
  useJobProgress(detail.data?.run.jobId ?? null, () => void refetch(), { enabled: live });
  useEffect(() => {
    if (!live) onChanged();
  }, [live, onChanged]);
  const control = useApiMutation(async (what: 'pause' | 'resume' | 'cancel') => {
    await evalApi.runs[what].mutate({ runId });
    await refetch();
    onChanged();
  });
  const names = useMemo(() => new Map(benchmarks.map((b) => [b.id, b.name] as const)), [benchmarks]);
  const [chartBench, setChartBench] = useState<string | null>(null);
  const d = detail.data;
  const bench = chartBench ?? d?.config.benchmarks[0] ?? '';
  const series: ChartSeries[] = useMemo(
    () =>
      (d?.scaling ?? [])
        .filter((s) => s.benchmark === bench)
        .map((s) => ({
          label: s.model,
          points: s.points.map((p) => ({ x: p.avgThinkingTokens, y: p.accuracy, ci: p.ci, budget: d?.config.budgets[p.budget] ? budgetLabel(t, d.config.budgets[p.budget] as RunDetail['config']['budgets'][number]) : String(p.maxThinking) })),
        })),
    [d, bench, t],
  );
  // e exports the HTML report.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (e.key !== 'e' || e.altKey || e.ctrlKey || e.metaKey || (el && ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))) return;
      const button = document.querySelector<HTMLButtonElement>('[data-testid="eval-export"] button');
      if (button && shown(button) && !button.disabled) button.click();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!d) return <ErrorNote error={detail.error} />;
  const title = d.run.name ? `${d.run.name} (${d.run.id})` : d.run.id;
  return (
    <div className="space-y-5" data-testid="eval-run" data-run={d.run.id}>
      <Card
        title={t('evaluate.runView.title', { id: title })}
        labelId="eval-run-title"
        actions={
          <>
            {live && <Button onClick={() => void control.run('pause')}>{t('evaluate.runView.pause')}</Button>}
            {(status === 'paused' || status === 'failed' || status === 'cancelled') && (
              <Button variant="primary" onClick={() => void control.run('resume')}>
                {t('evaluate.runView.resume')}
              </Button>
            )}
            {(live || status === 'paused') && (
              <Button variant="danger" onClick={() => void control.run('cancel')}>
                {t('evaluate.runView.cancel')}
              </Button>
            )}
          </>
        }
      >
        <p className={`${muted} mb-2`}>
          <span className="mr-2 rounded bg-slate-100 px-2 py-0.5 font-medium text-slate-800 dark:bg-slate-800 dark:text-slate-100" data-testid="eval-status">
            {t(`evaluate.status.${status}`)}
          </span>
          {t('evaluate.runView.what', { models: d.config.models.map((m) => m.label).join(', '), benchmarks: d.config.benchmarks.map((b) => names.get(b) ?? b).join(', '), samples: d.config.samples })}
          {d.config.repeats > 1 && t('evaluate.runView.repeats', { n: d.config.repeats })}
        </p>
        <Progress d={d} />
        {d.run.error && <p className="mt-2 text-sm text-rose-700 dark:text-rose-300">{d.run.error}</p>}
        <ErrorNote error={control.error} />
      </Card>

      <Card title={t('evaluate.chart.title')} labelId="eval-chart-title" actions={d.config.benchmarks.length > 1 ? (
        <select aria-label={t('evaluate.chart.benchmark')} className="rounded-md bg-white px-2 py-1 text-sm ring-1 ring-slate-300 dark:bg-slate-950 dark:ring-slate-700" value={bench} onChange={(e) => setChartBench(e.target.value)}>
          {d.config.benchmarks.map((b) => (
            <option key={b} value={b}>
              {names.get(b) ?? b}
            </option>
          ))}
        </select>
      ) : undefined}>
        <p className={`${muted} mb-2`}>
          {t('evaluate.chart.help')} {t('evaluate.chart.whiskers')}
        </p>
        <ScalingChart series={series} />
      </Card>

      <Card title={t('evaluate.table.title')} labelId="eval-tables-title">
        <div className="space-y-5">
          {d.config.benchmarks.map((b) => (
            <BenchTable key={b} benchmark={b} name={names.get(b) ?? b} cells={d.cells} models={d.config.models.map((m) => m.label)} />
          ))}
        </div>
      </Card>

      {d.config.models.length > 1 && (
        <Card title={t('evaluate.compare.title')} labelId="eval-compare-title">
          <Compare d={d} benchNames={names} />
        </Card>
      )}

      <div className="grid gap-5 xl:grid-cols-2">
        <Card title={t('evaluate.latency.title')} labelId="eval-latency-title">
          <LatencyTable latency={d.latency} config={d.config} />
        </Card>
        <Card title={t('evaluate.export.title')} labelId="eval-export-title">
          <Export runId={d.run.id} paths={d.reportPath} browser={browser} />
        </Card>
      </div>

      <Card title={t('evaluate.drill.title')} labelId="eval-drill-title">
        <DrillDown detail={d} benchNames={names} />
      </Card>
    </div>
  );
}

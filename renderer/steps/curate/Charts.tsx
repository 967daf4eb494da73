import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { stageName, type Funnel, type Histogram } from './types';
import { domainName } from './Embedding';

const fmt = (n: number, lang: string) => n.toLocaleString(lang);

/** The funnel: one horizontal bar per stage, its width the share of the pool that leaves the stage. */
export function FunnelChart({ funnel }: { funnel: Funnel }) {
  const { t, i18n } = useTranslation();
  const total = Math.max(1, funnel[0]?.in ?? 1);
  return (
    <table className="w-full table-fixed text-sm" data-testid="funnel">
      <caption className="sr-only">{t('curate.preview.funnel')}</caption>
      <thead className="text-left text-xs text-slate-500 dark:text-slate-400">
        <tr>
          <th className="w-20 py-1 font-medium">{t('curate.preview.stage')}</th>
          <th className="py-1 font-medium" aria-hidden />
          <th className="w-12 py-1 text-right font-medium">{t('curate.preview.in')}</th>
          <th className="w-12 py-1 text-right font-medium">{t('curate.preview.out')}</th>
          <th className="w-14 py-1 text-right font-medium">{t('curate.preview.dropped')}</th>
        </tr>
      </thead>
      <tbody>
        {funnel.map((s) => (
          <tr key={s.stage} data-testid={`funnel-${s.stage}`}>
            <th scope="row" className="py-1 pr-2 text-left font-medium text-slate-700 dark:text-slate-200">
              {stageName(t, s.stage)}
            </th>
            <td className="py-1">
              <div className="relative h-4 rounded bg-slate-100 dark:bg-slate-800">
                <div className="absolute inset-y-0 left-0 rounded bg-indigo-200 dark:bg-indigo-900" style={{ width: `${(100 * s.in) / total}%` }} />
                <div className="absolute inset-y-0 left-0 rounded bg-indigo-600 dark:bg-indigo-400" style={{ width: `${(100 * s.out) / total}%` }} />
              </div>
            </td>
            <td className="py-1 text-right tabular-nums" data-testid="in">
              {fmt(s.in, i18n.language)}
            </td>
            <td className="py-1 text-right font-semibold tabular-nums" data-testid="out">
              {fmt(s.out, i18n.language)}
            </td>
            <td className="py-1 text-right text-rose-700 tabular-nums dark:text-rose-300">{s.in - s.out > 0 ? `−${fmt(s.in - s.out, i18n.language)}` : '0'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Domains before (candidates) and after (selected), as paired bars, biggest first. */
export function DomainBars({ before, after, limit = 12 }: { before: Record<string, number>; after: Record<string, number>; limit?: number }) {
  const { t, i18n } = useTranslation();
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort((a, b) => (after[b] ?? 0) - (after[a] ?? 0) || (before[b] ?? 0) - (before[a] ?? 0) || a.localeCompare(b));
  const shown = names.slice(0, limit);
  const maxB = Math.max(1, ...Object.values(before));
  const maxA = Math.max(1, ...Object.values(after));
  return (
    <div data-testid="domains">
      <div className="mb-1 flex gap-4 text-xs text-slate-500 dark:text-slate-400">
        <span className="flex items-center gap-1">
          <span className="inline-block h-2 w-3 rounded-sm bg-slate-300 dark:bg-slate-600" />
          {t('curate.preview.domainsBefore')}
        </span>
        <span className="flex items-center gap-1">
          <span className="inline-block h-2 w-3 rounded-sm bg-emerald-600" />
          {t('curate.preview.domainsAfter')}
        </span>
      </div>
      <ul className="space-y-1">
        {shown.map((d) => (
          <li key={d} className="grid grid-cols-[8rem_1fr_5.5rem] items-center gap-2 text-xs">
            <span className="truncate text-slate-700 dark:text-slate-200" title={domainName(t, d)}>
              {domainName(t, d)}
            </span>
            <span className="space-y-0.5">
              <span className="block h-1.5 rounded-sm bg-slate-300 dark:bg-slate-600" style={{ width: `${(100 * (before[d] ?? 0)) / maxB}%` }} />
              <span className="block h-1.5 rounded-sm bg-emerald-600" style={{ width: `${(100 * (after[d] ?? 0)) / maxA}%` }} />
            </span>
            <span className="text-right text-slate-600 tabular-nums dark:text-slate-300">
              {fmt(before[d] ?? 0, i18n.language)} → <b>{fmt(after[d] ?? 0, i18n.language)}</b>
            </span>
          </li>
        ))}
      </ul>
      {names.length > limit && <p className="mt-1 text-xs text-slate-500">{t('curate.preview.moreDomains', { n: names.length - limit })}</p>}
    </div>
  );
}

/** The thinking-length histogram before and after, drawn by uPlot as overlapping bars. */
export function LengthHistogram({ histogram, width = 420, height = 180 }: { histogram: Histogram; width?: number; height?: number }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const before = t('curate.preview.before');
  const after = t('curate.preview.after');
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const step = (histogram.edges[1] ?? 1) - (histogram.edges[0] ?? 0);
    const xs = histogram.before.map((_, i) => (histogram.edges[i] ?? 0) + step / 2);
    const bars = uPlot.paths.bars?.({ size: [0.9, 60], align: 0 });
    const w = Math.max(240, Math.min(width, el.clientWidth || width));
    const plot = new uPlot(
      {
        width: w,
        height,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false, range: [histogram.edges[0] ?? 0, histogram.edges[histogram.edges.length - 1] ?? 1] } },
        axes: [{ stroke: '#64748b', grid: { stroke: '#e2e8f0' } }, { stroke: '#64748b', grid: { stroke: '#e2e8f0' }, size: 44 }],
        series: [
          { label: histogram.unit },
          { label: before, fill: 'rgba(148,163,184,0.55)', stroke: '#94a3b8', paths: bars, points: { show: false } },
          { label: after, fill: 'rgba(79,70,229,0.75)', stroke: '#4f46e5', paths: bars, points: { show: false } },
        ],
      },
      [xs, histogram.before, histogram.after],
      el,
    );
    return () => plot.destroy();
  }, [histogram, width, height, before, after]);
  return (
    <div>
      <div className="mb-1 flex gap-4 text-xs text-slate-500 dark:text-slate-400">
        <span className="flex items-center gap-1">
          <span className="inline-block h-2 w-3 rounded-sm bg-slate-400/60" />
          {before}
        </span>
        <span className="flex items-center gap-1">
          <span className="inline-block h-2 w-3 rounded-sm bg-indigo-600/80" />
          {after}
        </span>
      </div>
      <div ref={ref} data-testid="length-histogram" role="img" aria-label={t('curate.preview.histogram', { unit: histogram.unit })} />
    </div>
  );
}

import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One model's line on the test-time scaling plot: a point per budget (x: average thinking tokens, y: accuracy in [0, 1], ci: its 95 % interval). */
export interface ScalingSeries {
  label: string;
  points: { x: number; y: number; budget: string; ci?: [number, number] | null }[];
}

/** Draws each point's 95 % interval as a whisker with caps, in the series' colour, over the plotted lines; `el` keeps the count drawn. */
function whiskers(series: ScalingSeries[], el: HTMLElement) {
  return (u: uPlot) => {
    let drawn = 0;
    const ctx = u.ctx;
    const cap = 4 * devicePixelRatio;
    ctx.save();
    ctx.lineWidth = 1.5 * devicePixelRatio;
    series.forEach((s, i) => {
      ctx.strokeStyle = SERIES_COLORS[i % SERIES_COLORS.length] as string;
      for (const p of s.points) {
        if (!p.ci) continue;
        const x = u.valToPos(p.x, 'x', true);
        const [lo, hi] = [u.valToPos(p.ci[0], 'y', true), u.valToPos(p.ci[1], 'y', true)];
        ctx.beginPath();
        ctx.moveTo(x, lo);
        ctx.lineTo(x, hi);
        ctx.moveTo(x - cap, lo);
        ctx.lineTo(x + cap, lo);
        ctx.moveTo(x - cap, hi);
        ctx.lineTo(x + cap, hi);
        ctx.stroke();
        drawn++;
      }
    });
    ctx.restore();
    el.dataset.whiskers = String(drawn);
  };
}

export const SERIES_COLORS = ['#4f46e5', '#059669', '#d97706', '#db2777', '#0891b2', '#7c3aed', '#65a30d', '#dc2626'];

const pct = (v: number) => `${Math.round(v * 100)}%`;

/**
 * The test-time scaling plot (uPlot): accuracy against average thinking tokens, one line per model, one point
 * per budget. Series have different x values, so they are merged with uPlot.join and the gaps spanned.
 */
export function ScalingChart({ series, testId = 'scaling-chart' }: { series: ScalingSeries[]; testId?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const data = useMemo(() => {
    const tables = series.map((s) => {
      const pts = [...s.points].sort((a, b) => a.x - b.x);
      // uPlot.join wants strictly ascending x within a table: equal x values (two budgets the model never reached) are nudged apart.
      const xs: number[] = [];
      for (const p of pts) xs.push(xs.length && p.x <= (xs[xs.length - 1] ?? 0) ? (xs[xs.length - 1] ?? 0) + 1e-6 : p.x);
      return [xs, pts.map((p) => p.y)] as uPlot.AlignedData;
    });
    const empty: uPlot.AlignedData = [[]];
    return tables.length ? uPlot.join(tables) : empty;
  }, [series]);
  const labels = series.map((s) => s.label).join('\u0000');
  const xLabel = t('evaluate.chart.x');
  const yLabel = t('evaluate.chart.y');

  useEffect(() => {
    const el = ref.current;
    if (!el || series.length === 0) return;
    const p = new uPlot(
      {
        width: Math.max(260, el.clientWidth || 480),
        height: 280,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        hooks: { draw: [whiskers(series, el)] },
        scales: { x: { time: false }, y: { range: (_u, min, max) => [Math.min(0, min), Math.max(1, max)] } },
        axes: [
          { stroke: '#64748b', grid: { stroke: '#e2e8f0' }, label: xLabel, values: (_u, vals) => vals.map((v) => String(Math.round(v))) },
          { stroke: '#64748b', grid: { stroke: '#e2e8f0' }, label: yLabel, size: 56, values: (_u, vals) => vals.map(pct) },
        ],
        series: [
          { label: xLabel },
          ...series.map((s, i) => ({ label: s.label, stroke: SERIES_COLORS[i % SERIES_COLORS.length], width: 2, spanGaps: true, points: { show: true, size: 7 } })),
        ],
      },
      data,
      el,
    );
    const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => p.setSize({ width: Math.max(260, el.clientWidth), height: 280 })) : null;
    ro?.observe(el);
    return () => {
      ro?.disconnect();
      p.destroy();
    };
    // `labels` stands for the series' identity (their colours and names); `data` is their content.
  }, [labels, data, xLabel, yLabel, series.length]);

  if (series.length === 0) return <p className="text-sm text-slate-500 dark:text-slate-400">{t('evaluate.chart.empty')}</p>;
  return (
    <figure className="min-w-0">
      <figcaption className="sr-only">{t('evaluate.chart.title')}</figcaption>
      <div ref={ref} data-testid={testId} data-series={series.length} role="img" aria-label={t('evaluate.chart.title')} />
      <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs" aria-label={t('evaluate.chart.legend')}>
        {series.map((s, i) => (
          <li key={s.label} data-testid="scaling-series" data-label={s.label} data-points={s.points.length} className="flex items-center gap-1.5">
            <span aria-hidden="true" className="inline-block h-2.5 w-2.5 rounded-full" style={{ background: SERIES_COLORS[i % SERIES_COLORS.length] }} />
            <span className="font-medium">{s.label}</span>
            <span className="text-slate-500 dark:text-slate-400">
              {s.points
                .map((p) =>
                  p.ci
                    ? t('evaluate.chart.pointCi', { budget: p.budget, acc: pct(p.y), lo: pct(p.ci[0]), hi: pct(p.ci[1]), tokens: Math.round(p.x) })
                    : t('evaluate.chart.point', { budget: p.budget, acc: pct(p.y), tokens: Math.round(p.x) }),
                )
                .join(' · ')}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

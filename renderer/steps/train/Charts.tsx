import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RunDetail } from './api';

/** Axis ticks: small values (learning rates) in exponent form so that they do not round to the same label. */
function tick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 0.01 || a >= 1e5 ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}

type Key = 'loss' | 'learning_rate' | 'grad_norm' | 'tokens_per_sec';

/** One live line chart (uPlot): created once, then fed with setData as steps arrive. */
function LineChart({ testId, label, xs, ys, color }: { testId: string; label: string; xs: number[]; ys: (number | null)[]; color: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const p = new uPlot(
      {
        width: Math.max(220, el.clientWidth || 320),
        height: 160,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false } },
        axes: [{ stroke: '#64748b', grid: { stroke: '#e2e8f0' } }, { stroke: '#64748b', grid: { stroke: '#e2e8f0' }, size: 56, values: (_u, vals) => vals.map(tick) }],
        series: [{ label: 'step' }, { label, stroke: color, width: 2, points: { show: true, size: 4 } }],
      },
      [[], []],
      el,
    );
    plot.current = p;
    const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => p.setSize({ width: Math.max(220, el.clientWidth), height: 160 })) : null;
    ro?.observe(el);
    return () => {
      ro?.disconnect();
      p.destroy();
      plot.current = null;
    };
  }, [label, color]);
  useEffect(() => {
    plot.current?.setData([xs, ys]);
  }, [xs, ys]);
  const n = ys.filter((y) => y !== null).length;
  return (
    <figure className="min-w-0">
      <figcaption className="mb-1 text-xs font-medium text-slate-600 dark:text-slate-300">{label}</figcaption>
      <div ref={ref} data-testid={testId} data-points={n} role="img" aria-label={label} />
    </figure>
  );
}

const SERIES: { key: Key; i18n: string; color: string; testId: string }[] = [
  { key: 'loss', i18n: 'train.charts.loss', color: '#4f46e5', testId: 'chart-loss' },
  { key: 'learning_rate', i18n: 'train.charts.lr', color: '#0891b2', testId: 'chart-lr' },
  { key: 'grad_norm', i18n: 'train.charts.grad', color: '#d97706', testId: 'chart-grad' },
  { key: 'tokens_per_sec', i18n: 'train.charts.tps', color: '#059669', testId: 'chart-tps' },
];

/** Loss, learning rate, grad norm and throughput against the step. */
export function Charts({ steps }: { steps: RunDetail['steps'] }) {
  const { t } = useTranslation();
  const xs = steps.map((s) => s.step);
  return (
    <div>
      <p className="mb-2 text-xs text-slate-500 dark:text-slate-400" data-testid="chart-points" data-points={steps.length}>
        {steps.length === 0 ? t('train.charts.empty') : t('train.charts.points', { n: steps.length })}
      </p>
      <div className="grid gap-4 md:grid-cols-2">
        {SERIES.map((s) => (
          <LineChart key={s.key} testId={s.testId} label={t(s.i18n)} xs={xs} ys={steps.map((p) => p[s.key])} color={s.color} />
        ))}
      </div>
    </div>
  );
}

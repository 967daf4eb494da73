import { useTranslation } from 'react-i18next';
import type { Cell, LatencyRow, RunDetail } from './api';
import { ms, muted, num, pct } from './format';

/** "43.8–68.8%": a 95 % interval, as the table and the plot print it. */
export const ciText = (c: [number, number] | null | undefined) => (c ? `${(c[0] * 100).toFixed(1)}–${(c[1] * 100).toFixed(1)}%` : '–');

/** "≤ 512 · min 128 · 2 Waits": one budget, as the tables and the plot name it. */
export function budgetLabel(t: (k: string, o?: Record<string, unknown>) => string, b: { maxThinking: number; minThinking: number; waits: number }): string {
  const parts = [t('evaluate.table.max', { n: b.maxThinking })];
  if (b.minThinking > 0) parts.push(t('evaluate.table.min', { n: b.minThinking }));
  if (b.waits > 0) parts.push(t('evaluate.table.waits', { n: b.waits }));
  return parts.join(' · ');
}

const th = 'px-2 py-1 text-right font-medium';
const td = 'px-2 py-1 text-right tabular-nums';

/** One benchmark: a row per (model, budget) with accuracy, majority vote, average thinking tokens and n. */
export function BenchTable({ benchmark, name, cells, models }: { benchmark: string; name: string; cells: Cell[]; models: string[] }) {
  const { t } = useTranslation();
  const rows = cells.filter((c) => c.benchmark === benchmark).sort((a, b) => models.indexOf(a.model) - models.indexOf(b.model) || a.budget - b.budget);
  const budgets = new Set(rows.map((c) => c.budget)).size;
  const repeats = rows.some((c) => c.repeats > 1);
  return (
    <div className="overflow-x-auto" data-testid="bench-table" data-benchmark={benchmark} data-budgets={budgets}>
      <table className="w-full text-sm">
        <caption className="mb-1 text-left text-sm font-semibold">{t('evaluate.table.caption', { name })}</caption>
        <thead className="text-xs text-slate-500 dark:text-slate-400">
          <tr className="border-b border-slate-200 dark:border-slate-800">
            <th className="px-2 py-1 text-left font-medium">{t('evaluate.table.model')}</th>
            <th className="px-2 py-1 text-left font-medium">{t('evaluate.table.budget')}</th>
            <th className={th}>{t('evaluate.table.accuracy')}</th>
            <th className={th}>{t('evaluate.table.ci')}</th>
            {repeats && <th className={th}>{t('evaluate.table.perRepeat')}</th>}
            <th className={th}>{t('evaluate.table.majority')}</th>
            <th className={th}>{t('evaluate.table.passK')}</th>
            <th className={th}>{t('evaluate.table.thinking')}</th>
            <th className={th}>{t('evaluate.table.answerTokens')}</th>
            <th className={th}>{t('evaluate.table.avgWaits')}</th>
            <th className={th}>{t('evaluate.table.hitBudget')}</th>
            <th className={th}>{t('evaluate.table.n')}</th>
            <th className={th}>{t('evaluate.table.failed')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={`${c.model}-${c.budget}`} className="border-b border-slate-100 dark:border-slate-800" data-testid="cell-row" data-model={c.model} data-budget={c.maxThinking}>
              <td className="px-2 py-1 font-medium">{c.model}</td>
              <td className="px-2 py-1 whitespace-nowrap">{budgetLabel(t, c)}</td>
              <td className={`${td} font-semibold`} data-testid="cell-accuracy">
                {pct(c.accuracy)}
              </td>
              <td className={`${td} text-xs whitespace-nowrap text-slate-600 dark:text-slate-300`} data-testid="cell-accuracy-ci">
                {ciText(c.accuracyCi)}
              </td>
              {repeats && (
                <td className={`${td} text-xs whitespace-nowrap`} data-testid="cell-repeats">
                  {c.accuracyByRepeat.map((a) => pct(a)).join(' · ')}
                </td>
              )}
              <td className={td} title={c.majorityCi ? t('evaluate.table.majorityCi', { ci: ciText(c.majorityCi) }) : undefined}>
                {pct(c.majority)}
              </td>
              <td className={`${td} text-xs whitespace-nowrap`} data-testid="cell-passk">
                {c.passAtK.length ? c.passAtK.map((p) => `@${p.k} ${pct(p.value)}`).join(' · ') : '–'}
              </td>
              <td className={td} data-testid="cell-thinking">
                {num(c.avgThinkingTokens, 1)}
              </td>
              <td className={td}>{num(c.avgAnswerTokens, 1)}</td>
              <td className={td}>{num(c.avgWaits, 2)}</td>
              <td className={td}>{pct(c.hitBudget, 0)}</td>
              <td className={td} data-testid="cell-n">
                {c.n}
              </td>
              <td className={td}>{c.failed}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={`${muted} mt-1`}>{t('evaluate.table.intervalNote')}</p>
    </div>
  );
}

/**
 * Time to first token and tokens/s per model, on this machine. Served and in-app models (students, bases)
 * come first, then teachers, each with its speed as a multiple of the first teacher's.
 */
export function LatencyTable({ latency, config }: { latency: LatencyRow[]; config: RunDetail['config'] }) {
  const { t } = useTranslation();
  const kind = new Map(config.models.map((m) => [m.label, m.kind] as const));
  const rows = [...latency].sort((a, b) => Number(kind.get(a.model) === 'endpoint') - Number(kind.get(b.model) === 'endpoint'));
  const teacher = rows.find((r) => kind.get(r.model) === 'endpoint' && r.tokensPerSecond);
  if (rows.length === 0) return <p className={muted}>{t('evaluate.latency.empty')}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="latency-table">
        <caption className="sr-only">{t('evaluate.latency.title')}</caption>
        <thead className="text-xs text-slate-500 dark:text-slate-400">
          <tr className="border-b border-slate-200 dark:border-slate-800">
            <th className="px-2 py-1 text-left font-medium">{t('evaluate.table.model')}</th>
            <th className="px-2 py-1 text-left font-medium">{t('evaluate.latency.runsOn')}</th>
            <th className={th}>{t('evaluate.latency.generations')}</th>
            <th className={th}>{t('evaluate.latency.ttft50')}</th>
            <th className={th}>{t('evaluate.latency.ttft95')}</th>
            <th className={th}>{t('evaluate.latency.tps')}</th>
            <th className={th}>{t('evaluate.latency.tps50')}</th>
            {teacher && <th className={th}>{t('evaluate.latency.vsTeacher', { teacher: teacher.model })}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.model} className="border-b border-slate-100 dark:border-slate-800" data-testid="latency-row" data-model={r.model}>
              <td className="px-2 py-1 font-medium">{r.model}</td>
              <td className="px-2 py-1 text-xs">{t(`evaluate.latency.kind.${kind.get(r.model) ?? 'local'}`)}</td>
              <td className={td}>{r.generations}</td>
              <td className={td} data-testid="latency-ttft50">
                {ms(r.ttftP50Ms)}
              </td>
              <td className={td}>{ms(r.ttftP95Ms)}</td>
              <td className={`${td} font-semibold`} data-testid="latency-tps">
                {num(r.tokensPerSecond, 1)}
              </td>
              <td className={td}>{num(r.tokensPerSecondP50, 1)}</td>
              {teacher && <td className={td}>{r.tokensPerSecond && teacher.tokensPerSecond ? `${(r.tokensPerSecond / teacher.tokensPerSecond).toFixed(2)}×` : '–'}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      <p className={`${muted} mt-1`}>{t('evaluate.latency.note')}</p>
      <TargetLines rows={rows.filter((r) => kind.get(r.model) !== 'endpoint')} />
    </div>
  );
}

/** The seed's target use: does each served or in-app model answer with a first token under 200 ms (p95)? */
function TargetLines({ rows }: { rows: LatencyRow[] }) {
  const { t } = useTranslation();
  const measured = rows.filter((r) => r.ttftTargetMet !== null && r.ttftP95Ms !== null);
  if (measured.length === 0) return null;
  return (
    <ul className="mt-2 space-y-1 text-sm">
      {measured.map((r) => (
        <li
          key={r.model}
          data-testid="latency-target"
          data-model={r.model}
          data-met={String(r.ttftTargetMet)}
          className={r.ttftTargetMet ? 'text-emerald-700 dark:text-emerald-300' : 'text-amber-800 dark:text-amber-200'}
        >
          {t(r.ttftTargetMet ? 'evaluate.latency.targetMet' : 'evaluate.latency.targetMissed', { model: r.model, target: r.ttftTargetMs, p95: ms(r.ttftP95Ms) })}
        </li>
      ))}
    </ul>
  );
}

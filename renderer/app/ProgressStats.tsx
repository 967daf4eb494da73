/** One figure under a progress bar: its id (the test id's suffix), its name and its value. */
export type Stat = [id: string, name: string, value: string];

/**
 * A job's progress: the bar (with its percentage) and a row of figures. The figures' test ids are
 * `<testIdPrefix>-<id>`.
 */
export function ProgressStats({ label, pct, barClass, stats, testIdPrefix, gridClass, className = '' }: { label: string; pct: number; barClass: string; stats: Stat[]; testIdPrefix: string; gridClass: string; className?: string }) {
  return (
    <>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className={`${className} h-2.5 overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800`}>
        <div className={`h-full rounded-full transition-all ${barClass}`} style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-1 text-right text-xs font-medium tabular-nums">{pct}%</p>
      <dl className={`mt-1 grid gap-3 ${gridClass}`}>
        {stats.map(([id, k, v]) => (
          <div key={id}>
            <dt className="text-xs text-slate-500 dark:text-slate-400">{k}</dt>
            <dd data-testid={`${testIdPrefix}-${id}`} className="text-sm font-semibold tabular-nums">
              {v}
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}

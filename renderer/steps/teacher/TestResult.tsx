import { useTranslation } from 'react-i18next';
import { Button } from '../../app/ui';
import type { TestReport } from './types';

/** One endpoint's test: latency, where reasoning arrives, context length, finish reason, the start of the reply. */
export function TestResult({ report: r, onReasoning, busy }: { report: TestReport; onReasoning?: (mode: 'prompt' | 'split') => void; busy?: boolean }) {
  const { t } = useTranslation();
  const ms = (v: number | null) => (v === null ? null : `${Math.round(v)} ms`);
  // A failed test shows only what was measured: an unreachable server leaves the error alone, without
  // "no reasoning seen" or dashes that would read like findings.
  const rows = (
    [
      [t('teacher.test.latency'), ms(r.latencyMs)],
      [t('teacher.test.firstToken'), ms(r.firstTokenMs)],
      [t('teacher.test.reasoning'), r.reasoning ? t(`teacher.test.src.${r.reasoning}`, { defaultValue: r.reasoning }) : r.ok ? t('teacher.test.reasoningNone') : null],
      [t('teacher.test.context'), r.contextLength === null ? (r.ok ? t('teacher.test.unknown') : null) : r.contextLength.toLocaleString()],
      [t('teacher.test.finish'), r.finishReason],
    ] as [string, string | null][]
  ).filter(([, v]) => r.ok || v !== null);
  return (
    <div data-testid="test-result" className={`mt-3 rounded-md border p-3 text-sm ${r.ok ? 'border-emerald-200 bg-emerald-50/60 dark:border-emerald-900 dark:bg-emerald-950/40' : 'border-rose-200 bg-rose-50 dark:border-rose-900 dark:bg-rose-950/50'}`}>
      <p className="flex flex-wrap items-center gap-2 font-medium">
        <span className={r.ok ? 'text-emerald-700 dark:text-emerald-300' : 'text-rose-700 dark:text-rose-300'}>{r.ok ? `✓ ${t('teacher.test.ok')}` : `✗ ${t('teacher.test.failed')}`}</span>
        <code className="text-xs font-normal text-slate-600 dark:text-slate-400">{r.endpoint}</code>
      </p>
      {r.error && (
        <p className="mt-1 break-words text-rose-800 dark:text-rose-200" data-testid="test-error">
          {r.error}
        </p>
      )}
      {rows.length > 0 && (
        <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 sm:grid-cols-5">
          {rows.map(([k, v]) => (
            <div key={k}>
              <dt className="text-xs text-slate-500 dark:text-slate-400">{k}</dt>
              <dd className="font-medium">{v ?? '–'}</dd>
            </div>
          ))}
        </dl>
      )}
      {r.ok && r.flags.includes('no_thinking') && (
        // Found here, before a whole pool comes back without thinking: offer the two ways to get some.
        <div className="mt-2 rounded border border-amber-300 bg-amber-50 p-2 text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100" data-testid="no-thinking">
          <p>{t('teacherPrompt.noThinking')}</p>
          {onReasoning && (
            <div className="mt-2 flex flex-wrap gap-2">
              <Button variant="primary" disabled={busy} onClick={() => onReasoning('prompt')}>
                {t('teacherPrompt.usePrompt')}
              </Button>
              <Button disabled={busy} onClick={() => onReasoning('split')}>
                {t('teacherPrompt.useSplit')}
              </Button>
            </div>
          )}
        </div>
      )}
      {r.sample !== null && r.sample.trim() !== '' && (
        <div className="mt-2">
          <p className="text-xs text-slate-500 dark:text-slate-400">{t('teacher.test.sample')}</p>
          <pre className="mt-0.5 max-h-24 overflow-auto font-mono text-xs whitespace-pre-wrap">{r.sample}</pre>
        </div>
      )}
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { plainVerdict } from './plainVerdict';
import { VerdictBadge } from './VerdictBadge';
import { muted, pill, type TraceRow, type Verdict } from './types';

const block = 'mt-1 max-h-80 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs leading-relaxed whitespace-pre-wrap break-words text-slate-800 ring-1 ring-slate-200 dark:bg-slate-950 dark:text-slate-200 dark:ring-slate-800';

/** One attempt: thinking and answer apart (React text only), tokens, latency, finish reason, flags, verdict, raw on demand. */
export function Attempt({ row, verdict, showRaw, onToggleRaw }: { row: TraceRow; verdict: Verdict | undefined; showRaw: boolean; onToggleRaw: () => void }) {
  const { t } = useTranslation();
  const n = (v: number | null) => (v === null ? '–' : v.toLocaleString());
  return (
    <article data-testid="attempt" data-status={row.status} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
      <header className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium">{t('traces.view.sampleN', { n: row.sample_index + 1 })}</span>
        <span className={muted}>{row.teacher}</span>
        <span className={`${pill} ${row.status === 'done' ? 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200' : 'bg-rose-50 text-rose-800 dark:bg-rose-950 dark:text-rose-200'}`}>
          {t(`traces.view.${row.status}`)}
        </span>
        <VerdictBadge verdict={verdict} />
        {row.flags.map((f) => (
          <span key={f} data-testid="flag" className={`${pill} bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-200`}>
            {t(`traces.view.flag.${f}`, { defaultValue: f })}
          </span>
        ))}
      </header>
      {verdict && <PlainVerdict verdict={verdict} finishReason={row.finish_reason} />}
      <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-xs">
        <div>
          <dt className={muted}>{t('traces.view.tokens')}</dt>
          <dd className="tabular-nums">{t('traces.view.tokensValue', { prompt: n(row.prompt_tokens), thinking: n(row.thinking_tokens), answer: n(row.answer_tokens) })}</dd>
        </div>
        <div>
          <dt className={muted}>{t('traces.view.latency')}</dt>
          <dd className="tabular-nums">{row.latency_ms === null ? '–' : `${(row.latency_ms / 1000).toFixed(2)} s`}</dd>
        </div>
        <div>
          <dt className={muted}>{t('traces.view.finish')}</dt>
          <dd>{row.finish_reason ?? '–'}</dd>
        </div>
        <div>
          <dt className={muted}>{t('traces.view.tries')}</dt>
          <dd className="tabular-nums">{row.attempts}</dd>
        </div>
        {row.endpoint && (
          <div>
            <dt className={muted}>{t('traces.view.endpoint')}</dt>
            <dd className="font-mono">{row.endpoint}</dd>
          </div>
        )}
      </dl>
      {row.error && (
        <p className="mt-2 text-xs text-rose-700 dark:text-rose-300">
          {t('traces.view.error')}: {row.error}
        </p>
      )}
      {row.status === 'done' && (
        <div className="mt-3 grid gap-3 lg:grid-cols-2">
          <section>
            <h4 className="text-xs font-semibold text-slate-600 uppercase dark:text-slate-400">{t('traces.view.thinking')}</h4>
            <pre data-testid="thinking" className={block}>
              {row.thinking ?? t('traces.view.none')}
            </pre>
          </section>
          <section>
            <h4 className="text-xs font-semibold text-slate-600 uppercase dark:text-slate-400">{t('traces.view.answer')}</h4>
            <pre data-testid="answer" className={block}>
              {row.answer ?? t('traces.view.none')}
            </pre>
          </section>
        </div>
      )}
      <button type="button" className="mt-2 text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-300" aria-expanded={showRaw} onClick={onToggleRaw}>
        {showRaw ? t('traces.view.hideRaw') : t('traces.view.raw')} <kbd className="ml-1 rounded bg-slate-100 px-1 font-mono text-[10px] dark:bg-slate-800">r</kbd>
      </button>
      {showRaw && <Raw id={row.id} />}
    </article>
  );
}

function Raw({ id }: { id: number }) {
  const { t } = useTranslation();
  const raw = useApiQuery(() => api.teacher.traceRaw.query({ id }), [id]);
  let text = raw.data?.raw ?? null;
  if (text) {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // Not JSON: shown as stored.
    }
  }
  return (
    <pre data-testid="raw" className={block}>
      {raw.loading ? t('common.loading') : raw.error ? raw.error.message : (text ?? t('traces.view.rawNone'))}
    </pre>
  );
}

/** The verdict in plain words beside the badge; the checker's method and reason one click away. */
function PlainVerdict({ verdict, finishReason }: { verdict: Verdict; finishReason: string | null }) {
  const { t } = useTranslation();
  const p = plainVerdict(verdict, finishReason);
  return (
    <div className="mt-2 text-sm" data-testid="verdict-plain" data-key={p.key}>
      <p>{t(`traces.verdict.plain.${p.key}`, { answer: p.answer || '–' })}</p>
      <details className="mt-0.5">
        <summary className={`${muted} cursor-pointer`}>{t('traces.verdict.details')}</summary>
        <p className={`${muted} font-mono break-words`}>{t('traces.verdict.title', { method: verdict.method, reason: verdict.reason })}</p>
      </details>
    </div>
  );
}

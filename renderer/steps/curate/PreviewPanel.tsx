import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/hooks';
import { messageText } from '../../api/messages';
import { Card, ErrorNote } from '../../app/ui';
import { DomainBars, FunnelChart, LengthHistogram } from './Charts';
import type { TFunction } from 'i18next';
import { stageName, type Preview } from './types';

/** The live preview of the recipe: funnel, domains before/after, thinking-length histogram before/after. */
export function PreviewPanel({ preview, loading, error, actions }: { preview: Preview | undefined; loading: boolean; error: ApiError | null; actions: ReactNode }) {
  const { t, i18n } = useTranslation();
  const dropped = Object.entries(preview?.dropped ?? {}).sort((a, b) => b[1] - a[1]);
  const unit = preview ? (preview.lengthUnit === 'tokens' ? t('curate.knobs.unitTokens') : `${t('curate.knobs.unitChars')} / 4`) : '';
  return (
    <Card
      title={
        <span className="flex items-center gap-3">
          {t('curate.preview.title')}
          {preview && (
            <span data-testid="preview-selected" className="rounded-full bg-indigo-100 px-2 py-0.5 text-xs font-semibold text-indigo-800 tabular-nums dark:bg-indigo-900 dark:text-indigo-100">
              {t('curate.preview.selected', { n: preview.selected.toLocaleString(i18n.language) })}
            </span>
          )}
          {preview && preview.traces > preview.selected && (
            <span data-testid="preview-traces" className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-800 tabular-nums dark:bg-emerald-900 dark:text-emerald-100">
              {t('curatePresets.tracesKept', { n: preview.traces.toLocaleString(i18n.language) })}
            </span>
          )}
          <span aria-live="polite" className="text-xs font-normal text-slate-500" data-testid="preview-status">
            {loading ? t('curate.preview.updating') : ''}
          </span>
        </span>
      }
      labelId="cur-preview-title"
      actions={actions}
    >
      <ErrorNote error={error} />
      {preview && (
        <div className={`grid gap-6 xl:grid-cols-2 ${loading ? 'opacity-80' : ''}`} aria-busy={loading}>
          <div>
            <h3 className="mb-2 text-sm font-semibold text-slate-700 dark:text-slate-200">{t('curate.preview.funnel')}</h3>
            <FunnelChart funnel={preview.funnel} />
            {dropped.length > 0 && (
              <details className="mt-3 text-xs" open>
                <summary className="cursor-pointer font-medium text-slate-600 dark:text-slate-300">{t('curate.preview.rules')}</summary>
                <ul className="mt-1 space-y-0.5" data-testid="dropped-rules">
                  {dropped.slice(0, 10).map(([k, n]) => {
                    const [stage = '', ...rest] = k.split(':');
                    return (
                      <li key={k} className="flex justify-between gap-2">
                        <span className="truncate text-slate-600 dark:text-slate-400">
                          {stageName(t, stage)} · {ruleLabel(rest.join(':'), t)}
                        </span>
                        <span className="tabular-nums">{n.toLocaleString(i18n.language)}</span>
                      </li>
                    );
                  })}
                </ul>
              </details>
            )}
            {preview.notes.length > 0 && (
              <ul className="mt-3 list-disc space-y-0.5 pl-4 text-xs text-amber-800 dark:text-amber-200" data-testid="notes">
                {/* Each note carries a code and params (engine messages): shown in the UI's language. */}
                {(preview.messages ?? preview.notes).map((n, i) => (
                  <li key={i}>{messageText(n)}</li>
                ))}
              </ul>
            )}
          </div>
          <div className="space-y-5">
            <div>
              <h3 className="mb-2 text-sm font-semibold text-slate-700 dark:text-slate-200">{t('curate.preview.domains')}</h3>
              <DomainBars before={preview.domains.before} after={preview.domains.after} />
            </div>
            <div>
              <h3 className="mb-1 text-sm font-semibold text-slate-700 dark:text-slate-200">{t('curate.preview.histogram', { unit })}</h3>
              {preview.histogram.before.some((n) => n > 0) ? <LengthHistogram histogram={{ ...preview.histogram, unit }} /> : <p className="text-xs text-slate-500">{t('curate.preview.empty')}</p>}
            </div>
          </div>
        </div>
      )}
    </Card>
  );
}

/** A rule name without its values (the counts list): the reason sentence's first clause would need values. */
function ruleLabel(rule: string, t: TFunction): string {
  if (rule.startsWith('format:')) return rule;
  const known = ['no_trace', 'missing_thinking', 'unterminated_thinking', 'unextractable_answer', 'wrong_answer', 'excluded_by_user'];
  if (known.includes(rule)) return t(`curate.reason.${rule}`).replace(/[.。]$/, '');
  return rule.replace(/_/g, ' ');
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { Button, ErrorNote, inputClass } from '../../app/ui';
import { DiffView } from './monaco/DiffView';
import type { MonacoApi } from './monaco/load';
import { muted, type Sample, type Texts } from './types';

/** Monaco's diff editor: the current text against the teacher's original or any earlier revision. */
export function ComparePanel({ monaco, sample, current, initial = 0, onClose }: { monaco: MonacoApi; sample: Sample; current: Texts; initial?: number; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [against, setAgainst] = useState<number>(initial);
  const [field, setField] = useState<'thinking' | 'answer'>('thinking');
  const revisions = useApiQuery(() => api.review.revisions.query({ traceId: sample.traceId }), [sample.traceId, sample.head]);
  const older = useApiQuery(() => api.review.revision.query({ traceId: sample.traceId, n: against }), [sample.traceId, against], against > 0);
  const base: Texts | undefined = against === 0 ? sample.original : older.data;
  const time = (iso: string) => new Date(iso).toLocaleString(i18n.language);

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2" data-testid="compare">
      <div className="flex flex-wrap items-center gap-2">
        <label className="text-xs font-medium text-slate-600 dark:text-slate-300" htmlFor="compare-against">
          {t('review.compare.against')}
        </label>
        <select id="compare-against" data-testid="compare-against" className={`${inputClass} !w-auto`} value={against} onChange={(e) => setAgainst(Number(e.target.value))}>
          <option value={0}>{t('review.compare.original')}</option>
          {(revisions.data?.revisions ?? [])
            .filter((r) => r.n > 0 && r.n !== sample.head)
            .map((r) => (
              <option key={r.n} value={r.n}>
                {t('review.compare.revision', { n: r.n, kind: t(`review.kinds.${r.kind}`), author: r.author ?? '—', at: time(r.at) })}
              </option>
            ))}
        </select>
        <div role="group" aria-label={t('review.compare.field')} className="flex gap-1">
          {(['thinking', 'answer'] as const).map((f) => (
            <Button key={f} variant={field === f ? 'primary' : 'secondary'} className="!px-2 !py-1 text-xs" aria-pressed={field === f} onClick={() => setField(f)}>
              {t(`review.editor.${f}`)}
            </Button>
          ))}
        </div>
        <Button variant="ghost" className="ml-auto" onClick={onClose}>
          {t('review.compare.close')}
        </Button>
      </div>
      <p className={muted}>{t('review.compare.sides', { left: against === 0 ? t('review.compare.original') : `#${against}` })}</p>
      <ErrorNote error={revisions.error ?? older.error} />
      {base ? (
        <DiffView monaco={monaco} original={base[field]} modified={current[field]} label={t('review.compare.label')} testId="diff-editor" className="flex-1 rounded-md ring-1 ring-slate-200 dark:ring-slate-700" />
      ) : (
        <p className={muted}>{t('review.loading')}</p>
      )}
    </div>
  );
}

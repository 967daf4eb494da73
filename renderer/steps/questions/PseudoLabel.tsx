import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { Markdown } from '../../app/markdown';
import { Badge } from './parts';

export type PseudoLabelRow = Awaited<ReturnType<typeof api.augment.pseudoLabels.query>>[number];
export type VariantRow = Awaited<ReturnType<typeof api.augment.variants.query>>[number];

/**
 * A question's pseudo-label, never shown as if it were a checked reference: a badge with its agreement (6/8,
 * "teacher unsure" below the minimum) and the answer under its own heading. Also says which question a
 * variant was written from. Renders nothing for a question that has neither.
 */
export function PseudoLabel({ questionId, version = 0 }: { questionId: number; version?: number }) {
  const labels = useApiQuery(() => api.augment.pseudoLabels.query({ ids: [questionId] }), [questionId, version]);
  const variants = useApiQuery(() => api.augment.variants.query({ ids: [questionId] }), [questionId, version]);
  const l = labels.data?.find((x) => x.questionId === questionId);
  const v = variants.data?.find((x) => x.questionId === questionId);
  if (!l && !v) return null;
  return (
    <div className="space-y-1.5" data-testid="pseudo-label">
      <PseudoView label={l} variant={v} />
    </div>
  );
}

/** The variant line and the pseudo-label badge with its answer (also the Review view's provenance). */
export function PseudoView({ label: l, variant: v, answer = true }: { label?: PseudoLabelRow; variant?: VariantRow; answer?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {v && (
        <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="variant-of">
          <Badge tone="violet">{t('distil.badge.variant', { kind: t(`distil.augment.kind.${v.kind}`), parent: v.parentId })}</Badge>{' '}
          {t(`distil.badge.origin.${v.answerOrigin}`)}
        </p>
      )}
      {l && (
        <div>
          <div className="flex flex-wrap items-center gap-1.5" title={t('distil.badge.title', { votes: l.votes, samples: l.samples })}>
            <Badge tone={l.unsure ? 'amber' : 'indigo'}>
              <span data-testid="pseudo-badge">{t('distil.badge.label', { votes: l.votes, samples: l.samples })}</span>
            </Badge>
            {l.unsure && (
              <Badge tone="rose">
                <span data-testid="pseudo-unsure">{t('distil.badge.unsure')}</span>
              </Badge>
            )}
            <span className="text-xs text-slate-500">{t('distil.badge.answer')}</span>
          </div>
          {answer && l.answer && <Markdown text={l.answer} className="mt-1" testId="pseudo-answer" />}
        </div>
      )}
    </>
  );
}

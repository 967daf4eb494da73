import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { PseudoView } from '../questions/PseudoLabel';
import { SourceView } from '../questions/SourceChunk';

/**
 * Where the sample's question came from, in the Review view: the document passage a synthesized question was
 * written from (file, pages, heading path, the quote highlighted — text only, never HTML), the parent of an
 * augmented variant (and the parent's own passage), and a pseudo-labelled reference with its agreement ("pseudo-label
 * 6/8"). Nothing for a question imported with its answer.
 */
export function Provenance({ questionId }: { questionId: number }) {
  const { t } = useTranslation();
  const source = useApiQuery(() => api.docs.questionSource.query({ id: questionId }), [questionId]);
  const labels = useApiQuery(() => api.augment.pseudoLabels.query({ ids: [questionId] }), [questionId]);
  const variants = useApiQuery(() => api.augment.variants.query({ ids: [questionId] }), [questionId]);
  // A query keeps its last answer while the next one runs: only what belongs to this question is shown.
  const s = source.data?.questionId === questionId ? source.data : null;
  const l = labels.data?.find((x) => x.questionId === questionId);
  const v = variants.data?.find((x) => x.questionId === questionId);
  const parentId = v?.parentId ?? null;
  const parentSource = useApiQuery(() => (parentId === null ? Promise.resolve(null) : api.docs.questionSource.query({ id: parentId })), [parentId]);
  const ps = parentId !== null && parentSource.data?.questionId === parentId ? parentSource.data : null;
  if (!s && !l && !v) return null;
  return (
    <details className="rounded-md bg-slate-50 px-3 py-2 dark:bg-slate-800/60" open data-testid="provenance">
      <summary className="cursor-pointer text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-300">{t('review.provenance.title')}</summary>
      <div className="mt-1 max-h-52 space-y-2 overflow-y-auto text-sm">
        {l && (
          <div data-testid="provenance-pseudo">
            <PseudoView label={l} />
            <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{t('review.provenance.pseudo', { votes: l.votes, samples: l.samples })}</p>
          </div>
        )}
        {v && (
          <div data-testid="provenance-parent">
            <PseudoView variant={v} />
            {v.parentQuestion === null ? (
              <p className="text-xs text-slate-500">{t('review.provenance.parentGone', { id: v.parentId })}</p>
            ) : (
              <>
                <p className="mt-1 text-xs text-slate-500">{t('review.provenance.variantOf', { id: v.parentId })}</p>
                <p className="max-h-24 overflow-y-auto rounded bg-white p-1.5 whitespace-pre-wrap ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700" data-testid="provenance-parent-text">
                  {v.parentQuestion}
                </p>
              </>
            )}
          </div>
        )}
        {s && (
          <div data-testid="provenance-source">
            <p className="mb-1 text-xs text-slate-500">{t('review.provenance.synthesized')}</p>
            <SourceView source={s} testId="provenance-source" textClass="max-h-28 bg-white ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700" title={false} />
          </div>
        )}
        {!s && ps && (
          <div data-testid="provenance-parent-source">
            <p className="mb-1 text-xs text-slate-500">{t('review.provenance.parentSource')}</p>
            <SourceView source={ps} testId="provenance-parent-source" textClass="max-h-28 bg-white ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700" title={false} />
          </div>
        )}
      </div>
    </details>
  );
}

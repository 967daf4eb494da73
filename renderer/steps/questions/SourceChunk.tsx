import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';

/**
 * Where a synthesized question came from: the document, pages and headings, and the chunk's text with the
 * supporting quote highlighted. Text nodes only (a <mark> around the quote): document text is never HTML.
 */
export function SourceChunk({ questionId }: { questionId: number }) {
  const { t } = useTranslation();
  const q = useApiQuery(() => api.docs.questionSource.query({ id: questionId }), [questionId]);
  const s = q.data;
  if (!s) return null;
  const text = s.chunk.text;
  const a = s.quoteStart ?? 0;
  const b = s.quoteEnd ?? 0;
  return (
    <section className="border-t border-slate-100 pt-3 dark:border-slate-800" data-testid="detail-source">
      <h3 className="mb-1.5 text-xs font-semibold tracking-wide text-slate-500 uppercase">{t('questions.sources.sourceTitle')}</h3>
      <p className="text-sm font-medium">
        {s.document.paged ? t('questions.sources.sourceDoc', { name: s.document.name, from: s.chunk.pageFrom, to: s.chunk.pageTo }) : t('questions.sources.sourceDocOne', { name: s.document.name })}
        {s.chunk.headingPath.length > 0 && <span className="font-normal text-slate-500">{` · ${s.chunk.headingPath.join(' › ')}`}</span>}
      </p>
      {s.qtype && <p className="text-xs text-slate-500">{t('questions.sources.sourceType', { type: s.qtype })}</p>}
      <p className="mt-1 text-xs text-slate-500">{t('questions.sources.sourceQuote')}</p>
      <p className="mt-1 max-h-64 overflow-y-auto rounded-md bg-slate-50 p-2 text-sm whitespace-pre-wrap dark:bg-slate-800/60" data-testid="detail-source-text">
        {b > a ? (
          <>
            {text.slice(0, a)}
            <mark className="rounded bg-amber-200 px-0.5 dark:bg-amber-700/60" data-testid="detail-source-quote">
              {text.slice(a, b)}
            </mark>
            {text.slice(b)}
          </>
        ) : (
          text
        )}
      </p>
    </section>
  );
}

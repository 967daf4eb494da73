import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';

export type QuestionSource = NonNullable<Awaited<ReturnType<typeof api.docs.questionSource.query>>>;

/**
 * Where a synthesized question came from: the document, pages and headings, and the chunk's text with the
 * supporting quote highlighted. Text nodes only (a <mark> around the quote): document text is never HTML.
 */
export function SourceChunk({ questionId }: { questionId: number }) {
  const q = useApiQuery(() => api.docs.questionSource.query({ id: questionId }), [questionId]);
  const s = q.data;
  if (!s || s.questionId !== questionId) return null;
  return (
    <section className="border-t border-slate-100 pt-3 dark:border-slate-800" data-testid="detail-source">
      <SourceView source={s} />
    </section>
  );
}

/** The source itself (the Questions detail and the Review view's provenance both show it). */
export function SourceView({ source: s, testId = 'detail-source', textClass = 'max-h-64 bg-slate-50 dark:bg-slate-800/60', title = true }: { source: QuestionSource; testId?: string; textClass?: string; title?: boolean }) {
  const { t } = useTranslation();
  const text = s.chunk.text;
  const a = s.quoteStart ?? 0;
  const b = s.quoteEnd ?? 0;
  const box = useRef<HTMLParagraphElement>(null);
  const mark = useRef<HTMLElement>(null);
  // The quote in view inside the passage's own scroll box (not the page's): a long chunk may start far above it.
  useLayoutEffect(() => {
    if (box.current && mark.current) box.current.scrollTop = Math.max(0, mark.current.offsetTop - 8);
  }, [s.questionId, a, b]);
  return (
    <>
      {title && <h3 className="mb-1.5 text-xs font-semibold tracking-wide text-slate-500 uppercase">{t('questions.sources.sourceTitle')}</h3>}
      <p className="text-sm font-medium" data-testid={`${testId}-doc`}>
        {s.document.paged ? t('questions.sources.sourceDoc', { name: s.document.name, from: s.chunk.pageFrom, to: s.chunk.pageTo }) : t('questions.sources.sourceDocOne', { name: s.document.name })}
        {s.chunk.headingPath.length > 0 && <span className="font-normal text-slate-500">{` · ${s.chunk.headingPath.join(' › ')}`}</span>}
      </p>
      {s.qtype && <p className="text-xs text-slate-500">{t('questions.sources.sourceType', { type: s.qtype })}</p>}
      <p className="mt-1 text-xs text-slate-500">{t('questions.sources.sourceQuote')}</p>
      <p ref={box} className={`relative mt-1 overflow-y-auto rounded-md p-2 text-sm whitespace-pre-wrap ${textClass}`} data-testid={`${testId}-text`}>
        {b > a ? (
          <>
            {text.slice(0, a)}
            <mark ref={mark} className="rounded bg-amber-200 px-0.5 dark:bg-amber-700/60" data-testid={`${testId}-quote`}>
              {text.slice(a, b)}
            </mark>
            {text.slice(b)}
          </>
        ) : (
          text
        )}
      </p>
    </>
  );
}

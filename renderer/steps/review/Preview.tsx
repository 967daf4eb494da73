import { memo, startTransition, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Markdown } from '../../app/markdown';
import { muted, type Texts } from './types';

const CHUNK = 1500;
/** The preview follows the open sample once the reviewer stays on it (moving quickly never waits for typesetting). */
const SETTLE_MS = 250;

/**
 * Splits a long text into blocks of about CHUNK characters at blank lines, never inside display math, so
 * each block renders on its own (React yields between them) and an edit re-renders only its block.
 */
export function chunks(text: string): string[] {
  const parts = text.split(/\n{2,}/);
  const out: string[] = [];
  let cur = '';
  for (const p of parts) {
    cur = cur ? `${cur}\n\n${p}` : p;
    const open = (cur.match(/\$\$/g)?.length ?? 0) % 2 === 1 || (cur.match(/\\\[/g)?.length ?? 0) > (cur.match(/\\\]/g)?.length ?? 0);
    if (cur.length >= CHUNK && !open) {
      out.push(cur);
      cur = '';
    }
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * One block, rendered once it comes near the visible part of the panel (a 30,000-token trace is a few
 * screens of the first blocks, not 2,000 formulas typeset on every move); until then a placeholder of
 * about its height keeps the scroll bar honest.
 */
const Block = memo(function Block({ text }: { text: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || seen) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setSeen(true);
    }, { rootMargin: '600px 0px' });
    io.observe(el);
    return () => io.disconnect();
  }, [seen]);
  if (seen) return <Markdown text={text} />;
  return <div ref={ref} data-testid="preview-pending" style={{ height: Math.ceil(text.length / 40) * 22 }} />;
});

/** The side panel: thinking and answer rendered as Markdown with KaTeX (never as raw HTML), kept a step behind the typing. */
export const Preview = memo(function Preview({ texts, version }: { texts: Texts; version: string }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState<{ thinking: string[]; answer: string[]; version: string } | null>(null);
  useEffect(() => {
    const id = window.setTimeout(() => startTransition(() => setShown({ thinking: chunks(texts.thinking), answer: chunks(texts.answer), version })), SETTLE_MS);
    return () => window.clearTimeout(id);
  }, [texts, version]);
  if (!shown) return <p className={muted}>{t('review.loading')}</p>;
  return (
    <div className="space-y-3" data-testid="preview" data-version={shown.version}>
      <section>
        <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-300">{t('review.editor.thinking')}</h3>
        <div data-testid="preview-thinking">
          {shown.thinking.map((c, i) => (
            <Block key={i} text={c} />
          ))}
        </div>
      </section>
      <section>
        <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-300">{t('review.editor.answer')}</h3>
        <div data-testid="preview-answer">
          {shown.answer.map((c, i) => (
            <Block key={i} text={c} />
          ))}
        </div>
      </section>
    </div>
  );
});

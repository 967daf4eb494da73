import i18next from 'i18next';
import MarkdownIt from 'markdown-it';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { escapeHtml, findMath, typeset, type MarkerText, type MathBudget } from './math';

/**
 * The shared Markdown + KaTeX renderer for text from projects (questions, answers, traces).
 *
 * Markdown is rendered by markdown-it with `html: false` (raw HTML in the text is escaped and shows as
 * text), no linkify, and without links and images (a question never loads anything or navigates away).
 * Math ($…$, $$…$$, \(…\), \[…\]) is cut out first (math.ts: findMath), replaced by private-use
 * placeholders, and typeset by KaTeX with `trust: false` within the limits of math.ts; a formula past them,
 * or one KaTeX fails on, shows as written (escaped text) with a marker saying why.
 */
const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true });
md.disable(['image', 'link', 'autolink', 'html_inline', 'html_block']);

const OPEN = '\uE000';
const CLOSE = '\uE001';

const i18nLabel: MarkerText = (key, vars) => i18next.t(key, vars);

/**
 * Markdown with math → HTML. Every byte of the output comes from markdown-it's escaping renderer, from
 * KaTeX, or from escapeHtml. Never throws: a text markdown-it fails on is shown as written.
 */
export function renderMarkdown(input: string, label: MarkerText = i18nLabel): string {
  // A non-string (a damaged row) is shown as what it is rather than breaking the panel.
  const text = typeof input === 'string' ? input : String(input ?? '');
  try {
    const parts: string[] = [];
    const budget: MathBudget = { chars: 0, formulas: 0 };
    const clean = text.replace(/[\uE000\uE001]/g, '');
    let src = '';
    let at = 0;
    for (const m of findMath(clean)) {
      parts.push(typeset(clean.slice(m.start, m.end), m.tex, m.display, budget, label));
      src += `${clean.slice(at, m.start)}${OPEN}${parts.length - 1}${CLOSE}`;
      at = m.end;
    }
    src += clean.slice(at);
    const html = md.render(src);
    return html.replace(new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g'), (_m, i: string) => parts[Number(i)] ?? '');
  } catch (e) {
    console.error('[distillery] a text could not be formatted; it is shown as written', e);
    const why = label('safe.text.failed', { message: e instanceof Error ? e.message.slice(0, 200) : String(e).slice(0, 200) });
    return `<p class="whitespace-pre-wrap break-words">${escapeHtml(text)}</p><p role="note" class="text-xs text-amber-800 dark:text-amber-200">${escapeHtml(why)}</p>`;
  }
}

const PROSE =
  'min-w-0 break-words text-sm leading-relaxed text-slate-800 dark:text-slate-200 [&_p]:my-1.5 [&_ul]:my-1.5 [&_ul]:list-disc [&_ul]:pl-5 [&_ol]:my-1.5 [&_ol]:list-decimal [&_ol]:pl-5 ' +
  '[&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_code]:text-[0.85em] dark:[&_code]:bg-slate-800 [&_pre]:my-2 [&_pre]:overflow-x-auto [&_pre]:rounded-md [&_pre]:bg-slate-100 [&_pre]:p-2 dark:[&_pre]:bg-slate-800 ' +
  '[&_h1]:text-base [&_h1]:font-semibold [&_h2]:font-semibold [&_h3]:font-semibold [&_blockquote]:border-l-2 [&_blockquote]:border-slate-300 [&_blockquote]:pl-3 [&_.katex-display]:my-2 [&_.katex-display]:overflow-x-auto [&_table]:my-2 [&_td]:border [&_td]:border-slate-200 [&_td]:px-2 [&_th]:border [&_th]:border-slate-200 [&_th]:px-2';

export function Markdown({ text, className = '', testId }: { text: string; className?: string; testId?: string }) {
  const { t, i18n } = useTranslation();
  // The markers follow the language switch.
  const html = useMemo(() => renderMarkdown(text, (key, vars) => t(key, vars)), [text, t, i18n.language]);
  // Safe: `html` is produced only by renderMarkdown above — markdown-it with html:false escapes every
  // raw tag of the input, links and images are disabled, and KaTeX runs with trust:false. This is the
  // one dangerouslySetInnerHTML in the renderer (renderer/README.md: text is never rendered as HTML
  // except KaTeX output). The markers of formulas not typeset are escaped text in fixed markup (math.ts).
  return <div data-testid={testId} className={`${PROSE} ${className}`} dangerouslySetInnerHTML={{ __html: html }} />;
}

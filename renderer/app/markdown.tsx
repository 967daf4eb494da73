import katex from 'katex';
import MarkdownIt from 'markdown-it';
import { useMemo } from 'react';

/**
 * The shared Markdown + KaTeX renderer for text from projects (questions, answers, traces).
 *
 * Markdown is rendered by markdown-it with `html: false` (raw HTML in the text is escaped and shows as
 * text), no linkify, and without links and images (a question never loads anything or navigates away).
 * Math ($…$, $$…$$, \(…\), \[…\]) is cut out first, replaced by private-use placeholders, and rendered
 * by KaTeX with `trust: false` (no \href, \url, \htmlClass …) and `throwOnError: false`.
 */
const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true });
md.disable(['image', 'link', 'autolink', 'html_inline', 'html_block']);

const OPEN = '\uE000';
const CLOSE = '\uE001';
// $$…$$ | \[…\] | \(…\) | $…$ (not \$, no blank line inside, content not starting with a space)
const MATH = /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|(?<![\\$])\$(?!\s)((?:\\.|[^$\\\n])+?)\$(?!\d)/g;

function renderMath(tex: string, display: boolean): string {
  return katex.renderToString(tex, { displayMode: display, throwOnError: false, trust: false, strict: 'ignore', output: 'htmlAndMathml' });
}

/** Markdown with math → HTML. Every byte of the output comes from markdown-it's escaping renderer or from KaTeX. */
export function renderMarkdown(text: string): string {
  const parts: string[] = [];
  const src = text.replace(/[\uE000\uE001]/g, '').replace(MATH, (_m, dd?: string, sb?: string, pr?: string, d?: string) => {
    const display = dd !== undefined || sb !== undefined;
    parts.push(renderMath((dd ?? sb ?? pr ?? d ?? '').trim(), display));
    return `${OPEN}${parts.length - 1}${CLOSE}`;
  });
  const html = md.render(src);
  return html.replace(new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g'), (_m, i: string) => parts[Number(i)] ?? '');
}

const PROSE =
  'min-w-0 break-words text-sm leading-relaxed text-slate-800 dark:text-slate-200 [&_p]:my-1.5 [&_ul]:my-1.5 [&_ul]:list-disc [&_ul]:pl-5 [&_ol]:my-1.5 [&_ol]:list-decimal [&_ol]:pl-5 ' +
  '[&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_code]:text-[0.85em] dark:[&_code]:bg-slate-800 [&_pre]:my-2 [&_pre]:overflow-x-auto [&_pre]:rounded-md [&_pre]:bg-slate-100 [&_pre]:p-2 dark:[&_pre]:bg-slate-800 ' +
  '[&_h1]:text-base [&_h1]:font-semibold [&_h2]:font-semibold [&_h3]:font-semibold [&_blockquote]:border-l-2 [&_blockquote]:border-slate-300 [&_blockquote]:pl-3 [&_.katex-display]:my-2 [&_.katex-display]:overflow-x-auto [&_table]:my-2 [&_td]:border [&_td]:border-slate-200 [&_td]:px-2 [&_th]:border [&_th]:border-slate-200 [&_th]:px-2';

export function Markdown({ text, className = '', testId }: { text: string; className?: string; testId?: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  // Safe: `html` is produced only by renderMarkdown above — markdown-it with html:false escapes every
  // raw tag of the input, links and images are disabled, and KaTeX runs with trust:false. This is the
  // one dangerouslySetInnerHTML in the renderer (renderer/README.md: text is never rendered as HTML
  // except KaTeX output).
  return <div data-testid={testId} className={`${PROSE} ${className}`} dangerouslySetInnerHTML={{ __html: html }} />;
}

import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown, renderMarkdown } from '../../app/markdown';

describe('shared Markdown + KaTeX renderer', () => {
  it('shows raw HTML as text, never as markup', () => {
    const html = renderMarkdown('Look: <img src=x onerror=alert(1)> and <b>bold</b> <script>alert(2)</script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    const el = renderToStaticMarkup(<Markdown text="<img src=x onerror=alert(1)>" />);
    expect(el).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(el).not.toMatch(/<img/);
  });

  it('renders Markdown and all four math delimiters with KaTeX', () => {
    const html = renderMarkdown('**Find** $x^2$ where \\(y\\) and\n\n$$\\frac{1}{2}$$\n\n\\[z\\]');
    expect(html).toContain('<strong>Find</strong>');
    expect((html.match(/class="katex"/g) ?? []).length).toBe(4);
    expect((html.match(/katex-display/g) ?? []).length).toBe(2);
  });

  it('keeps money amounts, escaped dollars and bad TeX safe', () => {
    expect(renderMarkdown('It costs \\$5 and \\$6.')).not.toContain('katex');
    const bad = renderMarkdown('$\\href{javascript:alert(1)}{x}$ and $\\frac{$');
    expect(bad).not.toContain('href="javascript');
    expect(bad).not.toContain('<a ');
  });

  it('does not turn links or images into elements', () => {
    const html = renderMarkdown('[click](javascript:alert(1)) ![i](http://example.com/x.png) http://example.com');
    expect(html).not.toContain('<a');
    expect(html).not.toContain('<img');
  });
});

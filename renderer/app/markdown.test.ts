import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';
import { findMath, MATH_LIMITS, nestingDepth, type MarkerText } from './math';

// The marker's sentence with its key and figures, so the tests see which limit stopped a formula.
const label: MarkerText = (key, vars) => `[${key} ${Object.entries(vars).map(([k, v]) => `${k}=${v}`).join(' ')}]`;
const render = (text: string) => renderMarkdown(text, label);
const typesetCount = (html: string) => (html.match(/class="katex"/g) ?? []).length;
const markers = (html: string) => [...html.matchAll(/data-reason="(\w+)"/g)].map((m) => m[1]);

describe('math renderer with hostile input', () => {
  it('shows $ + 3,000 nested braces + $ as written, with a marker, instead of overflowing the stack', () => {
    const tex = `${'{'.repeat(3000)}x${'}'.repeat(3000)}`;
    const html = render(`Evil: $${tex}$ and fine: $x^2$`);
    expect(markers(html)).toEqual(['tooDeep']);
    expect(html).toContain(`$${tex}$`);
    expect(html).toContain(`[safe.math.tooDeep max=${MATH_LIMITS.depth}]`);
    // The rest of the text is still typeset.
    expect(typesetCount(html)).toBe(1);
  });

  it('catches what the static checks let through (a macro that expands into deep nesting: RangeError)', () => {
    const html = render('$\\def\\a{\\sqrt{\\a}}\\a$ then $y$');
    expect(markers(html)).toEqual(['failed']);
    expect(html).toContain('RangeError');
    expect(typesetCount(html)).toBe(1);
  });

  it('stops macro loops with maxExpand and shows KaTeX’s reason', () => {
    for (const loop of ['\\def\\a{\\a}\\a', '\\def\\a{\\a\\a}\\a', '\\def\\a{{\\a}}\\a']) {
      const html = render(`$${loop}$`);
      expect(markers(html), loop).toEqual(['invalid']);
      expect(html).toContain('Too many expansions');
    }
  });

  it('does not typeset a 100 KB formula (longer than the per-formula limit) and keeps its text', () => {
    const tex = 'x+'.repeat(50_000);
    const html = render(`$$${tex}$$`);
    expect(markers(html)).toEqual(['tooLong']);
    expect(html).toContain(tex);
    expect(typesetCount(html)).toBe(0);
  });

  it('caps the math typeset per text', () => {
    const f = `$${'a+'.repeat(2_000)}b$`;
    const html = render(Array.from({ length: 20 }, () => f).join('\n\n'));
    const typeset = Math.floor(MATH_LIMITS.totalChars / (f.length - 2));
    expect(typesetCount(html)).toBe(typeset);
    expect(markers(html)).toEqual(Array.from({ length: 20 - typeset }, () => 'tooMuch'));
  });

  it('shows unbalanced braces as written with KaTeX’s parse error', () => {
    const html = render('$\\frac{{{x$ and $x}}}$');
    expect(markers(html)).toEqual(['invalid', 'invalid']);
    expect(html).toContain('\\frac{{{x');
  });

  it('never makes a link of \\href{javascript:…}, \\url or \\htmlClass (trust: false)', () => {
    const html = render('$\\href{javascript:alert(1)}{x}$ $\\url{javascript:alert(2)}$ $\\htmlClass{x}{y}$ $\\includegraphics{http://e.x/a.png}$');
    expect(html).not.toMatch(/<a[\s>]/);
    expect(html).not.toMatch(/href="/);
    expect(html).not.toMatch(/<img/);
  });

  it('caps huge sizes (\\rule, \\kern) at maxSize', () => {
    const html = render('$\\rule{100000em}{100000em}\\kern{100000em}$');
    expect(typesetCount(html)).toBe(1);
    const sizes = [...html.matchAll(/(?:width|height|margin-right|border-right-width|border-top-width):\s*([\d.]+)em/g)].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MATH_LIMITS.maxSize);
  });

  it('escapes the raw text of a formula that is not typeset (never HTML)', () => {
    const html = render(`$${'{'.repeat(60)}<img src=x onerror=alert(1)>${'}'.repeat(60)}$`);
    expect(markers(html)).toEqual(['tooDeep']);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('finds math in linear time: 200 KB of unclosed \\( and \\[ still come back at once as text', () => {
    const html = render(`${'\\('.repeat(50_000)}${'\\['.repeat(50_000)}`);
    expect(typesetCount(html)).toBe(0);
    // markdown-it shows each escaped \( as "(": all 100,000 characters are there.
    expect(html.length).toBeGreaterThan(100_000);
  });

  it('keeps real math typeset: nesting of real formulas is far below the limit', () => {
    const real = '\\left( \\frac{\\sqrt{a^{2}+b^{2}}}{\\left\\{ c \\right\\}} \\right) \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}';
    expect(nestingDepth(real)).toBeLessThan(10);
    expect(nestingDepth('\\{\\{\\{x\\}\\}\\}')).toBe(0);
    expect(markers(render(`$$${real}$$`))).toEqual([]);
  });
});

describe('findMath', () => {
  // The regular expression findMath replaces: same matches, found in linear time.
  const OLD = /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|(?<![\\$])\$(?!\s)((?:\\.|[^$\\\n])+?)\$(?!\d)/g;
  const old = (text: string) =>
    [...text.matchAll(OLD)].map((m) => ({ start: m.index, end: m.index + m[0].length, tex: (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim(), display: m[1] !== undefined || m[2] !== undefined }));

  it('matches what the former regular expression matched, on 20,000 generated texts', () => {
    const alphabet = ['$', '$', '$', '\\', '\\', '[', ']', '(', ')', 'a', '1', ' ', '\n', '\r', '{', '}'];
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let n = 0; n < 20_000; n++) {
      const len = 1 + Math.floor(rnd() * 24);
      let s = '';
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      expect(findMath(s), JSON.stringify(s)).toEqual(old(s));
    }
  });

  it('keeps money and escaped dollars as text', () => {
    expect(findMath('It costs $5 and $6.')).toEqual([]);
    expect(findMath('It costs \\$5 and \\$6.')).toEqual([]);
    expect(findMath('$x$ and $$y$$').map((m) => [m.tex, m.display])).toEqual([
      ['x', false],
      ['y', true],
    ]);
  });
});

import katex from 'katex';

/**
 * Finding and typesetting the math in project text (questions, answers, traces) with hostile input in
 * mind: a question is data from somebody else's file, and one crafted formula must never take the page
 * down (`$` + 3,000 nested `{` overflowed KaTeX's recursive parser, and `throwOnError: false` does not
 * cover a RangeError).
 *
 * The limits sit far above real math, so they only ever stop crafted or broken text:
 * - MAX_FORMULA_CHARS: the longest formulas in competition solutions are a few hundred characters; a
 *   5,000-character formula already takes KaTeX ~250 ms (a dense 100 KB one took 5 s and 15 MB of HTML).
 * - MAX_DEPTH: real math nests braces, \left…\right and environments fewer than 10 levels deep; KaTeX
 *   recurses per level and overflows the stack somewhere between 1,000 and 3,000 (depending on the
 *   construct and the browser), so 50 leaves a wide margin on both sides.
 * - MAX_TOTAL_CHARS / MAX_FORMULAS per text: a 30,000-token reasoning trace holds roughly 20,000
 *   characters of math in about 2,000 formulas; past these a text is not worth seconds of typesetting.
 * - KaTeX's own options: maxSize caps user sizes (\rule{1e5em}{1e5em}, \kern, \hspace) at 20em,
 *   maxExpand stops macro loops (\def\a{\a}\a) after 1,000 expansions (KaTeX's default, stated here
 *   because built-in macros like \dots and \neq count too), trust:false refuses \href, \url, \includegraphics
 *   and \htmlClass & co.
 * Whatever still fails (a macro that expands into deep nesting, a KaTeX bug) is caught, RangeError
 * included, and the formula is shown as written, as escaped text, with a marker that says why.
 */
export const MATH_LIMITS = { formulaChars: 5_000, depth: 50, totalChars: 50_000, formulas: 3_000, maxSize: 20, maxExpand: 1_000 } as const;

export type NotTypesetReason = 'tooLong' | 'tooDeep' | 'tooMuch' | 'invalid' | 'failed';
/** Turns a reason (and its figures) into the marker's sentence; the Markdown component passes i18next's t. */
export type MarkerText = (key: `safe.math.${NotTypesetReason}` | 'safe.text.failed', vars: Record<string, string | number>) => string;

export interface MathSpan {
  start: number;
  end: number;
  /** The formula without its delimiters, trimmed. */
  tex: string;
  display: boolean;
}

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
// `.` in the former regular expression: any character but a line terminator.
const isLineEnd = (c: string) => c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';

/**
 * The math in a text: $$…$$, \[…\], \(…\) (display for the first two) and $…$ (not \$, not across a line,
 * not starting with a space, not closed by a $ followed by a digit, so "$5 and $6" stays money).
 *
 * Same matches as the regular expression it replaces
 * (/\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|(?<![\\$])\$(?!\s)((?:\\.|[^$\\\n])+?)\$(?!\d)/g),
 * but in linear time: that one searched the rest of the text again for every unclosed \[ or \(, so 100 KB
 * of "\(" froze the page for seconds. Here a closing delimiter that is not found once is never searched again.
 */
export function findMath(text: string): MathSpan[] {
  const out: MathSpan[] = [];
  const closes = { $$: '$$', '\\[': '\\]', '\\(': '\\)' } as const;
  const exhausted = new Set<string>();
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '$' || c === '\\') {
      const two = text.slice(i, i + 2);
      if (two === '$$' || two === '\\[' || two === '\\(') {
        const close = closes[two];
        // At least one character of content, as `[\s\S]+?` required.
        const at = exhausted.has(close) ? -1 : text.indexOf(close, i + 3);
        if (at >= 0) {
          out.push({ start: i, end: at + 2, tex: text.slice(i + 2, at).trim(), display: two !== '\\(' });
          i = at + 2;
          continue;
        }
        exhausted.add(close);
        // An unclosed $$ is no single $ either (its content would start with $), nor is \[ or \(.
        i++;
        continue;
      }
      if (c === '$' && text[i - 1] !== '\\' && text[i - 1] !== '$' && i + 1 < n && !isSpace(text[i + 1])) {
        const end = inlineEnd(text, i + 1);
        if (end >= 0) {
          out.push({ start: i, end: end + 1, tex: text.slice(i + 1, end).trim(), display: false });
          i = end + 1;
          continue;
        }
      }
    }
    i++;
  }
  return out;
}

/** The closing $ of an inline formula whose content starts at `from`, or -1. Stops at the next $ or line end. */
function inlineEnd(text: string, from: number): number {
  let j = from;
  while (j < text.length) {
    const c = text[j]!;
    if (c === '$') return j > from && !/\d/.test(text[j + 1] ?? '') ? j : -1;
    if (c === '\\') {
      if (j + 1 >= text.length || isLineEnd(text[j + 1]!)) return -1;
      j += 2;
      continue;
    }
    if (c === '\n') return -1;
    j++;
  }
  return -1;
}

/** How deep braces, \left…\right and \begin…\end nest in a formula (escaped \{ and \} do not count). */
export function nestingDepth(tex: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === '\\') {
      const word = /^[a-zA-Z]+/.exec(tex.slice(i + 1, i + 7))?.[0] ?? '';
      if (word === 'left' || word === 'begin') depth++;
      else if (word === 'right' || word === 'end') depth--;
      // Skips the command's name, or the escaped character (\{, \}, \\).
      i += word ? word.length : 1;
    } else if (c === '{') depth++;
    else if (c === '}') depth--;
    if (depth > max) max = depth;
  }
  return max;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

const clip = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * A formula that is not typeset: a marker saying why (first, so it is seen before a long formula), then the
 * text as written (escaped, never HTML).
 */
export function notTypeset(raw: string, reason: NotTypesetReason, label: MarkerText, vars: Record<string, string | number> = {}): string {
  const why = label(`safe.math.${reason}`, vars);
  return (
    `<span class="math-raw" data-math="not-typeset" data-reason="${reason}">` +
    `<span role="note" class="rounded bg-amber-100 px-1 text-[0.75em] text-amber-900 dark:bg-amber-900/60 dark:text-amber-100" data-testid="math-not-typeset">${escapeHtml(why)}</span> ` +
    `<span class="font-mono text-[0.9em] whitespace-pre-wrap break-all">${escapeHtml(raw)}</span>` +
    `</span>`
  );
}

/** Running totals for one text, so the per-text limits hold across its formulas. */
export interface MathBudget {
  chars: number;
  formulas: number;
}

/** One formula → KaTeX's HTML, or the raw text with a marker. Never throws. */
export function typeset(raw: string, tex: string, display: boolean, budget: MathBudget, label: MarkerText): string {
  const L = MATH_LIMITS;
  // Depth first: it is what would overflow KaTeX, so it is the most telling reason.
  if (nestingDepth(tex) > L.depth) return notTypeset(raw, 'tooDeep', label, { max: L.depth });
  if (tex.length > L.formulaChars) return notTypeset(raw, 'tooLong', label, { max: L.formulaChars.toLocaleString('en') });
  if (budget.chars + tex.length > L.totalChars || budget.formulas + 1 > L.formulas) {
    return notTypeset(raw, 'tooMuch', label, { max: L.totalChars.toLocaleString('en'), count: L.formulas.toLocaleString('en') });
  }
  budget.chars += tex.length;
  budget.formulas += 1;
  try {
    return katex.renderToString(tex, {
      displayMode: display,
      throwOnError: true,
      trust: false,
      strict: 'ignore',
      output: 'htmlAndMathml',
      maxSize: L.maxSize,
      maxExpand: L.maxExpand,
      // A fresh table per formula: a \gdef in one question never changes how another one reads.
      macros: {},
    });
  } catch (e) {
    if (e instanceof katex.ParseError) return notTypeset(raw, 'invalid', label, { message: clip(e.message.replace(/^KaTeX parse error: /, '')) });
    // RangeError (stack), or anything else KaTeX let escape.
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return notTypeset(raw, 'failed', label, { message: clip(message) });
  }
}

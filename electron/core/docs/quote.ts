/**
 * Whether a teacher's "verbatim" quote really occurs in the chunk it was given. Both sides are compared after
 * normalisation: Unicode compatibility forms (full-width → half-width), case, curly and CJK quotes, dashes, and
 * all whitespace (PDF text layers put spaces between Chinese characters and digits, and line breaks anywhere).
 * An ellipsis in the quote ("…" or "...") stands for omitted text: its parts must occur in order.
 */

const QUOTES: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u00ab': '"', '\u00bb': '"', '\u300c': '"', '\u300d': '"', '\u300e': '"', '\u300f': '"' };
const DASHES = /[\u2010-\u2015\u2212]/;
/** Shorter (normalised) quotes say nothing about where an answer comes from. */
export const MIN_QUOTE_CHARS = 8;

/** The normalised text and, for each of its characters, the index of the character it came from. */
export function normalizeWithMap(s: string): { norm: string; map: number[] } {
  let norm = '';
  const map: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const code = s.codePointAt(i)!;
    const ch = String.fromCodePoint(code);
    const width = ch.length;
    let n = ch.normalize('NFKC').toLowerCase();
    n = [...n].map((c) => (/\s/.test(c) ? '' : (QUOTES[c] ?? (DASHES.test(c) ? '-' : c)))).join('');
    for (const c of n) {
      norm += c;
      map.push(i);
    }
    i += width - 1;
  }
  return { norm, map };
}

export const normalizeQuote = (s: string): string => normalizeWithMap(s).norm;

export type QuoteCheck = { ok: true; start: number; end: number } | { ok: false; reason: string };

/** Finds `quote` in `text`; on success, the character range of `text` it covers (for highlighting). */
export function findQuote(text: string, quote: string): QuoteCheck {
  const parts = quote
    .split(/\.{3,}|…+|\[\.\.\.\]/)
    .map((p) => normalizeQuote(p).replace(/^["']+|["']+$/g, ''))
    .filter((p) => p.length > 0);
  const total = parts.reduce((n, p) => n + p.length, 0);
  if (total < MIN_QUOTE_CHARS) return { ok: false, reason: `the supporting quote is missing or too short (${total} characters after normalisation; at least ${MIN_QUOTE_CHARS})` };
  const { norm, map } = normalizeWithMap(text);
  let from = 0;
  let start = -1;
  let end = -1;
  for (const p of parts) {
    const at = norm.indexOf(p, from);
    if (at < 0) {
      const shown = quote.length > 160 ? `${quote.slice(0, 157)}…` : quote;
      return { ok: false, reason: `the quote does not occur in the chunk: "${shown}"` };
    }
    if (start < 0) start = map[at]!;
    const lastIdx = map[at + p.length - 1]!;
    end = lastIdx + (text.codePointAt(lastIdx)! > 0xffff ? 2 : 1);
    from = at + p.length;
  }
  return { ok: true, start, end };
}

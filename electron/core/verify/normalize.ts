import { LIMITS } from './types';

/** Why an input is refused before parsing, or null when it is safe to parse. */
export function guardInput(s: string): string | null {
  if (s.length > LIMITS.maxAnswerChars) return `input too long (${s.length} chars > ${LIMITS.maxAnswerChars})`;
  let depth = 0;
  let max = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 123 || c === 40 || c === 91) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 125 || c === 41 || c === 93) depth--;
  }
  if (max > LIMITS.maxDepth) return `nesting too deep (${max} > ${LIMITS.maxDepth})`;
  const digits = /\d{301,}/.exec(s);
  if (digits) return `number literal too long (${digits[0].length} digits)`;
  // Exponents are checked on the raw text because a parser would try to expand them.
  const expRe = /(?:\^|[eE]|\\times\s*10\s*\^|\*\*)\s*\{?\s*\(?\s*([+-]?\s*\d+)/g;
  for (let m = expRe.exec(s); m; m = expRe.exec(s)) {
    const v = Math.abs(parseInt((m[1] ?? '0').replace(/\s/g, ''), 10));
    if (v > LIMITS.maxExponent) return `exponent too large (${v} > ${LIMITS.maxExponent})`;
  }
  if (/\^\s*\{[^{}]*\^\s*\{?[^{}]*\^/.test(s)) return 'exponent tower too deep';
  if (/\d{4,}\s*!/.test(s)) return 'factorial too large';
  if (/\\(?:uparrow|underbrace)/.test(s)) return 'unsupported notation';
  return null;
}

/** Flags recorded while normalising, so comparisons can account for what was removed. */
export type Norm = { text: string; percent: boolean; degrees: boolean; unit: string | null; lhs: string | null };

const UNIT_WORDS =
  /^(?:cm|mm|km|kg|mg|sec|seconds?|min|minutes?|hours?|hrs?|days?|years?|weeks?|months?|miles?|mph|feet|foot|ft|inch(?:es)?|yards?|meters?|metres?|kilometers?|centimeters?|units?|square|sq|cubic|degrees?|deg|dollars?|cents?|points?|people|students|ways|ml|liters?|litres?|kwh|kw|kj|ev|kev|mev|gev|pc|kpc|mpc|au|ly|hz|pa|nm|angstroms?|yr|gyr|myr|msun|rad|radians?|erg|ergs|tons?|lbs?|pounds?|percent|\/|\^|\d|\s|\.|\(|\))+$/i;

/** Strip markup that never changes a mathematical answer. Idempotent, never throws. */
export function normalize(input: string, light = false): Norm {
  let s = input.trim();
  let percent = false;
  let degrees = false;
  let unit: string | null = null;
  let lhs: string | null = null;
  // Outer math delimiters and display wrappers.
  for (let k = 0; k < 3; k++) {
    const before = s;
    s = s.replace(/^\$+([\s\S]*?)\$+$/, '$1').trim();
    s = s.replace(/^\\\(([\s\S]*)\\\)$/, '$1').trim();
    s = s.replace(/^\\\[([\s\S]*)\\\]$/, '$1').trim();
    s = s.replace(/^\*\*([\s\S]*)\*\*$/, '$1').trim();
    s = s.replace(/^\\(?:boxed|fbox)\s*\{([\s\S]*)\}$/, '$1').trim();
    s = s.replace(/[.;,。]+$/, '').trim();
    if (s === before) break;
  }
  s = s.replace(/\\\$/g, '').replace(/\$/g, ' ');
  // A mixed number 4\frac{2}{3} means 4 + 2/3, not 4 · 2/3.
  s = s.replace(/^(-?)(\d+)\s*\\[dt]?frac\s*\{(\d+)\}\s*\{(\d+)\}$/, '$1($2+\\frac{$3}{$4})');
  s = s.replace(/\\(?:displaystyle|textstyle|left|right|bigl|bigr|Bigl|Bigr|big|Big|middle)(?![a-zA-Z])/g, '');
  s = s.replace(/\\[dt]frac(?![a-zA-Z])/g, '\\frac');
  // LaTeX thousands separators: 1{,}000 and 1\,000.
  s = s.replace(/(\d)\{,\}(?=\d{3})/g, '$1').replace(/(\d),\\!\s*(?=\d{3}(?!\d))/g, '$1').replace(/(\d)\\[,;!:]\s*(?=\d{3}(?!\d))/g, '$1');
  s = s.replace(/\\[,;!:>]|\\q?quad(?![a-zA-Z])|~/g, ' ');
  s = s.replace(/\\(?:le|leq|leqslant)(?![a-zA-Z])/g, '\\le ').replace(/\\(?:ge|geq|geqslant)(?![a-zA-Z])/g, '\\ge ');
  s = s.replace(/\\neq?(?![a-zA-Z])/g, '\\ne ');
  s = s.replace(/−/g, '-').replace(/×/g, '\\times ').replace(/·/g, '\\cdot ').replace(/π/g, '\\pi ').replace(/√/g, '\\sqrt');
  s = s.replace(/∞/g, '\\infty ');
  // Degrees before \text unwrapping so "^{\circ}" is seen whole.
  if (!light && /\^\s*\{?\s*\\circ\s*\}?|°|\\degree(?![a-zA-Z])/.test(s)) {
    degrees = true;
    s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|°|\\degree(?![a-zA-Z])/g, ' ');
  }
  if (!light && /\\?%/.test(s)) {
    percent = true;
    s = s.replace(/\\?%/g, ' ');
  }
  // A trailing \text{ cm} / \mathrm{~m} after a number is a unit, even a one-letter one.
  const tu = /^(.*?\d)\s*\\(?:text|mathrm|mbox|textrm)\s*\{\s*([a-zA-Z][a-zA-Z\s/^\d.]*)\}\s*$/.exec(s);
  if (!light && tu && tu[1] !== undefined && !/[a-zA-Z]\s*$/.test(tu[1])) {
    unit = (tu[2] ?? '').trim();
    s = tu[1];
  }
  // \text{...}-like wrappers keep their content; units inside are handled below.
  for (let k = 0; k < 4 && /\\(?:text|textbf|textit|textrm|mathrm|mathbf|mathit|mbox|operatorname|mathsf)\s*\{/.test(s); k++) {
    s = s.replace(/\\(?:text|textbf|textit|textrm|mathrm|mathbf|mathit|mbox|operatorname|mathsf)\s*\{([^{}]*)\}/g, ' $1 ');
  }
  s = s.replace(/\\(?:text|mathrm|mathbf)\s*(?=\w)/g, '');
  s = s.replace(/\s+/g, ' ').trim();
  s = s.replace(/[.;,。]+$/, '').trim();
  // "x = 5", "f(x) = ...", "X_{d} = ...": keep the right-hand side of one simple equation.
  const eq = /^([a-zA-Z](?:_\{?[\w]+\}?)?(?:\s*\([a-zA-Z, ]*\))?|\\[a-zA-Z]+(?:_\{?\w+\}?)?|[a-zA-Z]+)\s*=\s*([^=<>]+)$/.exec(s);
  if (eq && !/\\(?:le|ge|ne)/.test(s)) {
    lhs = (eq[1] ?? '').replace(/\s+/g, '');
    s = (eq[2] ?? '').trim();
  }
  // Trailing units after a plain number: "27 miles", "6.5 m", "5 cm^2".
  const um = /^([+-]?(?:\d[\d,]*\.?\d*|\.\d+)(?:\s*(?:e|E)\s*[+-]?\d+)?(?:\s*(?:\\times|\\cdot)\s*10\s*\^\s*\{?\s*[+-]?\d+\s*\}?)?)\s*([a-zA-Z][a-zA-Z0-9^/. ()\\{}-]*)$/.exec(s);
  if (!light && um && um[2] !== undefined && UNIT_WORDS.test(um[2].replace(/[{}\\]/g, '').replace(/\^\s*-?\d/g, ''))) {
    unit = um[2].trim();
    s = (um[1] ?? '').trim();
  }
  return { text: s, percent, degrees, unit, lhs };
}

/** Plain thousands-separated numbers: "1,000", "-12,345.5". "1.000" stays the decimal 1. */
export function stripThousands(s: string): string {
  return /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(s) ? s.replace(/,/g, '') : s;
}

/** Split at top-level separators (outside any bracket). */
export function splitTopLevel(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && (s[i + 1] === '{' || s[i + 1] === '}')) {
      depth += s[i + 1] === '{' ? 1 : -1;
      i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && s.startsWith(sep, i)) {
      out.push(s.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim());
}

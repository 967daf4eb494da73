import { createHash } from 'node:crypto';

/**
 * Text normalisation and hashing shared by exact dedup, near dedup and decontamination.
 * Normalising removes what does not change a question's meaning: case, whitespace, math delimiters
 * and LaTeX spacing commands, so that "$x + y$" and "x+y" compare equal.
 */
const LATEX_SPACING = /\\(?:left|right|big|Big|bigg|Bigg)(?![a-zA-Z])|\\[,;:! ]|\\q?quad(?![a-zA-Z])|\\displaystyle(?![a-zA-Z])|~/g;
const FRAC = /\\[dt]frac(?![a-zA-Z])/g;
const MATH_DELIMS = /\$+|\\[()[\]]/g;

export function normalizeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) return normalizeUnicode(s);
  // ASCII fast path: the same result as normalizeUnicode, without NFKC or Unicode regexes.
  let t = s.toLowerCase();
  if (t.includes('\\') || t.includes('~')) t = t.replace(LATEX_SPACING, ' ').replace(FRAC, '\\frac');
  if (t.includes('$') || t.includes('\\')) t = t.replace(MATH_DELIMS, ' ');
  // One pass: collapse whitespace, drop one space on either side of a symbol, trim.
  let out = '';
  let space = false;
  let afterSymbol = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) {
      space = true;
      continue;
    }
    const word = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
    if (space && !afterSymbol && word && out.length) out += ' ';
    space = false;
    afterSymbol = !word;
    out += t[i];
  }
  return out;
}

function normalizeUnicode(s: string): string {
  let t = s.normalize('NFKC').toLowerCase();
  t = t.replace(LATEX_SPACING, ' ').replace(FRAC, '\\frac').replace(MATH_DELIMS, ' ');
  t = t.replace(/\s+/g, ' ');
  // Spacing around symbols carries no meaning in math text ("x + y" = "x+y", "a , b" = "a, b").
  t = t.replace(/ ?([^\p{L}\p{N}\s]) ?/gu, '$1');
  return t.trim();
}

/** A 64-bit (16 hex digits) hash of the normalised text: the key of exact deduplication. */
export function normHash(s: string): string {
  return createHash('sha1').update(normalizeText(s)).digest('hex').slice(0, 16);
}

export interface Tokens {
  /** 32-bit FNV-1a hash of each token. */
  hashes: Uint32Array;
  /** Start and end offsets of each token in the normalised text. */
  starts: Uint32Array;
  ends: Uint32Array;
  count: number;
  text: string;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c > 127;
}

/**
 * Splits normalised text into tokens without allocating substrings: runs of letters/digits, LaTeX
 * commands (\frac) and (unless `wordsOnly`) single symbols. Each token is hashed with FNV-1a as it is scanned.
 */
export function tokenize(norm: string, withOffsets = false, wordsOnly = false): Tokens {
  const n = norm.length;
  const hashes = new Uint32Array(n + 1);
  const starts = withOffsets ? new Uint32Array(n + 1) : EMPTY;
  const ends = withOffsets ? new Uint32Array(n + 1) : EMPTY;
  let count = 0;
  let i = 0;
  while (i < n) {
    const c = norm.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) {
      i++;
      continue;
    }
    const start = i;
    let h = 0x811c9dc5;
    if (isWordChar(c)) {
      while (i < n && isWordChar(norm.charCodeAt(i))) {
        h = Math.imul(h ^ norm.charCodeAt(i), 0x01000193);
        i++;
      }
    } else if (c === 92 && i + 1 < n && isWordChar(norm.charCodeAt(i + 1))) {
      h = Math.imul(h ^ c, 0x01000193);
      i++;
      while (i < n && isWordChar(norm.charCodeAt(i))) {
        h = Math.imul(h ^ norm.charCodeAt(i), 0x01000193);
        i++;
      }
    } else {
      i++;
      if (wordsOnly) continue;
      h = Math.imul(h ^ c, 0x01000193);
    }
    hashes[count] = h >>> 0;
    if (withOffsets) {
      starts[count] = start;
      ends[count] = i;
    }
    count++;
  }
  return { hashes, starts, ends, count, text: norm };
}
const EMPTY = new Uint32Array(0);

/** murmur3's 32-bit finaliser: a cheap, well-mixed permutation of 32-bit integers. */
export function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

import crypto from 'node:crypto';

/**
 * Text normalisation and hashing shared by exact dedup, near dedup and decontamination.
 * Normalising removes what does not change a question's meaning: case, whitespace, math delimiters
 * and LaTeX spacing commands, so that "$x + y$" and "x+y" compare equal.
 */
const LATEX_SPACING = /\\(?:left|right|big|Big|bigg|Bigg)(?![a-zA-Z])|\\[,;:! ]|\\q?quad(?![a-zA-Z])|\\displaystyle(?![a-zA-Z])|~/g;
const FRAC = /\\[dt]frac(?![a-zA-Z])/g;
const MATH_DELIMS = /\$+|\\[()[\]]/g;

/** Output buffer of the ASCII fast path (grown on demand); decoded once per call. */
let nbuf = Buffer.allocUnsafe(4096);

/** Lower-case letter runs after a backslash that LATEX_SPACING turns into a space (ASCII fast path). */
const SPACING_WORDS = new Set(['left', 'right', 'big', 'bigg', 'quad', 'qquad', 'displaystyle']);
/** By run length, a bit per first letter (a = bit 0) of SPACING_WORDS, "dfrac" and "tfrac". */
const CANDIDATE_FIRST = new Int32Array(13);
for (const w of [...SPACING_WORDS, 'dfrac', 'tfrac']) CANDIDATE_FIRST[w.length]! |= 1 << (w.charCodeAt(0) - 97);

export function normalizeText(s: string): string {
  // Non-ASCII text (a character ≥ 128 takes more than one UTF-8 byte) takes the Unicode path.
  if (Buffer.byteLength(s, 'utf8') !== s.length) return normalizeUnicode(s);
  // ASCII fast path: the same result as normalizeUnicode (lower case, LATEX_SPACING and `~` → space,
  // \dfrac/\tfrac → \frac, MATH_DELIMS → space, whitespace collapsed, one space on either side of a
  // symbol dropped, trimmed), in one pass over the bytes: the text is copied into a byte buffer and
  // compacted in place (the output never outruns the input), then decoded once.
  const n = s.length;
  if (nbuf.length < n) nbuf = Buffer.allocUnsafe(Math.max(n, nbuf.length * 2));
  const b = nbuf;
  b.write(s, 0, n, 'latin1');
  let len = 0;
  let space = false;
  let afterSymbol = false;
  let i = 0;
  while (i < n) {
    let c = b[i]!;
    if (c >= 65 && c <= 90) c += 32;
    if (c === 32 || (c >= 9 && c <= 13) || c === 36 || c === 126) {
      space = true;
      i++;
      continue;
    }
    if (c === 92 && i + 1 < n) {
      let d = b[i + 1]!;
      if (d >= 65 && d <= 90) d += 32;
      if (d === 40 || d === 41 || d === 91 || d === 93 || d === 44 || d === 59 || d === 58 || d === 33 || d === 32) {
        // \( \) \[ \] (math delimiters) and \, \; \: \! \  (spacing) are spaces.
        space = true;
        i += 2;
        continue;
      }
      if (d >= 97 && d <= 122) {
        let j = i + 2;
        while (j < n && isLetter(b[j]!)) j++;
        const runLen = j - i - 1;
        // Only runs whose length and first letter fit a word below are decoded (not \sqrt, \cdot, \frac, …).
        if (runLen >= 3 && runLen <= 12 && (CANDIDATE_FIRST[runLen]! & (1 << (d - 97))) !== 0) {
          const word = b.toString('latin1', i + 1, j).toLowerCase();
          if (SPACING_WORDS.has(word)) {
            space = true;
            i = j;
            continue;
          }
          if (word === 'dfrac' || word === 'tfrac') {
            // "\frac", as the code below would write it: a symbol (no space before it), then letters.
            space = false;
            b[len++] = 92;
            b[len++] = 102;
            b[len++] = 114;
            b[len++] = 97;
            b[len++] = 99;
            afterSymbol = false;
            i = j;
            continue;
          }
        }
      }
    }
    const word = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (space && !afterSymbol && word && len) b[len++] = 32;
    space = false;
    afterSymbol = !word;
    b[len++] = c;
    i++;
  }
  return b.toString('latin1', 0, len);
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function normalizeUnicode(s: string): string {
  let t = s.normalize('NFKC').toLowerCase();
  t = t.replace(LATEX_SPACING, ' ').replace(FRAC, '\\frac').replace(MATH_DELIMS, ' ');
  t = t.replace(/\s+/g, ' ');
  // Spacing around symbols carries no meaning in math text ("x + y" = "x+y", "a , b" = "a, b").
  t = t.replace(/ ?([^\p{L}\p{N}\s]) ?/gu, '$1');
  return t.trim();
}

const oneShot = typeof crypto.hash === 'function' ? crypto.hash : null;

/** A 64-bit (16 hex digits) hash of the normalised text: the key of exact deduplication. */
export function normHash(s: string): string {
  const norm = normalizeText(s);
  // crypto.hash (Node ≥ 20.12) is the one-shot form: no Hash object per row.
  return (oneShot ? oneShot('sha1', norm, 'hex') : crypto.createHash('sha1').update(norm).digest('hex')).slice(0, 16);
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
export function tokenize(norm: string, withOffsets = false, wordsOnly = false, reuse?: Tokens): Tokens {
  const n = norm.length;
  // `reuse`: a previous result whose arrays are big enough is filled again (and returned) instead of allocating.
  const fits = reuse !== undefined && reuse.hashes.length > n && (!withOffsets || reuse.starts.length > n);
  const hashes = fits ? reuse.hashes : new Uint32Array(n + 1);
  const starts = fits && withOffsets ? reuse.starts : withOffsets ? new Uint32Array(n + 1) : EMPTY;
  const ends = fits && withOffsets ? reuse.ends : withOffsets ? new Uint32Array(n + 1) : EMPTY;
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
  if (fits) {
    reuse.count = count;
    reuse.text = norm;
    return reuse;
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

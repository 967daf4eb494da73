let wordBuf = new Int32Array(1 << 14);
let table = new Float64Array(1 << 15);

const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0x3000;

/**
 * Share of repeated word n-grams in `text`: 0 when every n-gram is new, close to 1 when the same phrase
 * loops. Looping traces ("Wait, let me recompute..." a hundred times) are what s1's quality stage removes.
 * One pass over the characters and an open-addressing table of n-gram hashes: 60K traces in about a second.
 */
export function repetitionRatio(text: string, n = 8): number {
  // Word hashes (FNV-1a) without building substrings.
  let words = 0;
  let h = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (inWord) {
        if (words === wordBuf.length) {
          const b = new Int32Array(wordBuf.length * 2);
          b.set(wordBuf);
          wordBuf = b;
        }
        wordBuf[words++] = h;
        inWord = false;
      }
    } else {
      if (!inWord) {
        h = -2128831035;
        inWord = true;
      }
      h = Math.imul(h ^ c, 16777619);
    }
  }
  if (inWord) {
    if (words === wordBuf.length) {
      const b = new Int32Array(wordBuf.length * 2);
      b.set(wordBuf);
      wordBuf = b;
    }
    wordBuf[words++] = h;
  }
  const total = words - n + 1;
  if (total <= 1) return 0;
  let size = 1024;
  while (size < total * 2) size *= 2;
  if (table.length < size) table = new Float64Array(size);
  table.fill(0, 0, size);
  const mask = size - 1;
  // Two polynomial rolling hashes over the word hashes: each n-gram costs O(1), not O(n).
  const B1 = 0x01000193;
  const B2 = 0x5bd1e995;
  let p1 = 1;
  let p2 = 1;
  for (let j = 1; j < n; j++) {
    p1 = Math.imul(p1, B1);
    p2 = Math.imul(p2, B2);
  }
  let x = 0;
  let y = 0;
  for (let j = 0; j < n; j++) {
    const v = wordBuf[j] as number;
    x = (Math.imul(x, B1) + v) | 0;
    y = (Math.imul(y, B2) + (v ^ 0x2545f491)) | 0;
  }
  let repeated = 0;
  for (let i = 0; i < total; i++) {
    if (i > 0) {
      const out = wordBuf[i - 1] as number;
      const inn = wordBuf[i + n - 1] as number;
      x = (Math.imul(x - Math.imul(out, p1), B1) + inn) | 0;
      y = (Math.imul(y - Math.imul(out ^ 0x2545f491, p2), B2) + (inn ^ 0x2545f491)) | 0;
    }
    // A 53-bit key (never 0, the empty marker): 32 bits of one hash and 21 of the other.
    const key = (x >>> 0) * 2097152 + ((y >>> 0) & 0x1fffff) + 1;
    let slot = (x ^ (y >>> 7)) & mask;
    for (;;) {
      const k = table[slot] as number;
      if (k === 0) {
        table[slot] = key;
        break;
      }
      if (k === key) {
        repeated++;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return repeated / total;
}

/** Share of CJK ideographs, kana and hangul among letters (a cheap script detector: enough for en vs zh). */
export function cjkRatio(text: string): number {
  let cjk = 0;
  let letters = 0;
  const end = Math.min(text.length, 2_000);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 65) continue;
    if (c <= 122) {
      if (c <= 90 || c >= 97) letters++;
    } else if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x3040 && c <= 0x30ff) || (c >= 0xac00 && c <= 0xd7af)) {
      cjk++;
      letters++;
    }
  }
  return letters === 0 ? 0 : cjk / letters;
}

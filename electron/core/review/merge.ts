import type { MergedTexts, Texts } from './types';

/**
 * Matched line pairs of a longest common subsequence of `a` and `b` (Myers' O(ND) diff), as an array over
 * `a`: the index in `b` of each matched line of `a`, or -1. Common prefix and suffix are matched first.
 * Beyond `maxD` differences the middle is treated as wholly different (still a correct, if coarse, diff).
 */
export function matchLines(a: readonly string[], b: readonly string[], maxD = 2000): Int32Array {
  const m = new Int32Array(a.length).fill(-1);
  let s = 0;
  while (s < a.length && s < b.length && a[s] === b[s]) {
    m[s] = s;
    s++;
  }
  let ea = a.length;
  let eb = b.length;
  while (ea > s && eb > s && a[ea - 1] === b[eb - 1]) {
    ea--;
    eb--;
    m[ea] = eb;
  }
  const n1 = ea - s;
  const n2 = eb - s;
  if (n1 === 0 || n2 === 0) return m;
  // Intern lines so comparisons are integer compares.
  const ids = new Map<string, number>();
  const id = (x: string) => {
    let v = ids.get(x);
    if (v === undefined) ids.set(x, (v = ids.size));
    return v;
  };
  const A = Int32Array.from({ length: n1 }, (_, i) => id(a[s + i] as string));
  const B = Int32Array.from({ length: n2 }, (_, i) => id(b[s + i] as string));
  const max = Math.min(n1 + n2, maxD);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2)); // k maps to k + d + 1
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[off + k - 1] as number) < (v[off + k + 1] as number)) ? (v[off + k + 1] as number) : (v[off + k - 1] as number) + 1;
      let y = x - k;
      while (x < n1 && y < n2 && A[x] === B[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n1 && y >= n2) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return m; // too different: no matches in the middle
  // Walk back through the snapshots to recover the diagonals (matched lines).
  let x = n1;
  let y = n2;
  for (let d = found; d > 0; d--) {
    const pv = trace[d] as Int32Array; // v before step d
    const at = (kk: number) => pv[kk + d + 1] as number;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const pk = down ? k + 1 : k - 1;
    const px = at(pk);
    const py = px - pk;
    const sx = down ? px : px + 1; // where the snake of step d starts
    while (x > sx && y > sx - k) {
      x--;
      y--;
      m[s + x] = s + y;
    }
    x = px;
    y = py;
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    m[s + x] = s + y;
  }
  return m;
}

const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((l, i) => l === y[i]);

/**
 * A diff3-style three-way merge of lines: changes made on one side only are taken; the same change on both
 * sides is taken once; different changes to the same lines become a conflict block with git-style markers.
 */
export function merge3(base: string, mine: string, theirs: string): { text: string; clean: boolean } {
  if (mine === theirs) return { text: mine, clean: true };
  if (base === mine) return { text: theirs, clean: true };
  if (base === theirs) return { text: mine, clean: true };
  const O = base.split('\n');
  const A = mine.split('\n');
  const B = theirs.split('\n');
  const ma = matchLines(O, A);
  const mb = matchLines(O, B);
  const out: string[] = [];
  let clean = true;
  let o = 0;
  let ia = 0;
  let ib = 0;
  while (o < O.length || ia < A.length || ib < B.length) {
    if (o < O.length && ma[o] === ia && mb[o] === ib) {
      out.push(O[o] as string);
      o++;
      ia++;
      ib++;
      continue;
    }
    // The next base line matched on both sides (a sync point), or the ends.
    let so = o;
    while (so < O.length && ((ma[so] as number) < ia || (mb[so] as number) < ib)) so++;
    const sa = so < O.length ? (ma[so] as number) : A.length;
    const sb = so < O.length ? (mb[so] as number) : B.length;
    const co = O.slice(o, so);
    const ca = A.slice(ia, sa);
    const cb = B.slice(ib, sb);
    if (same(ca, co)) out.push(...cb);
    else if (same(cb, co) || same(ca, cb)) out.push(...ca);
    else {
      clean = false;
      out.push('<<<<<<< mine', ...ca, '||||||| base', ...co, '=======', ...cb, '>>>>>>> theirs');
    }
    o = so;
    ia = sa;
    ib = sb;
  }
  return { text: out.join('\n'), clean };
}

/** Merges thinking and answer separately. */
export function mergeTexts(base: Texts, mine: Texts, theirs: Texts): MergedTexts {
  const t = merge3(base.thinking, mine.thinking, theirs.thinking);
  const a = merge3(base.answer, mine.answer, theirs.answer);
  return { thinking: t.text, answer: a.text, clean: t.clean && a.clean };
}

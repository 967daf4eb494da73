/** A word-level diff of a cluster member against its representative, for highlighting what differs. */
export interface DiffPart {
  text: string;
  changed: boolean;
}

const TOKEN = /\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;

/**
 * Longest common subsequence over tokens (words, numbers, single symbols, whitespace kept as its own token
 * so the text reads as written). Texts are capped at 2,000 characters by the API, so the table stays small.
 */
export function wordDiff(base: string, text: string): DiffPart[] {
  const a = base.match(TOKEN) ?? [];
  const b = text.match(TOKEN) ?? [];
  const n = a.length;
  const m = b.length;
  const L = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) L[i]![j] = a[i] === b[j] ? L[i + 1]![j + 1]! + 1 : Math.max(L[i + 1]![j]!, L[i]![j + 1]!);
  }
  const out: DiffPart[] = [];
  const push = (t: string, changed: boolean) => {
    const last = out[out.length - 1];
    if (last && last.changed === changed) last.text += t;
    else out.push({ text: t, changed });
  };
  let i = 0;
  let j = 0;
  while (j < m) {
    if (i < n && a[i] === b[j]) {
      push(b[j]!, false);
      i++;
      j++;
    } else if (i < n && L[i + 1]![j]! >= L[i]![j + 1]!) {
      i++;
    } else {
      // Whitespace is never a difference worth highlighting.
      push(b[j]!, !/^\s+$/.test(b[j]!));
      j++;
    }
  }
  return out;
}

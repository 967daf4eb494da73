/**
 * Where the reasoning steps of a trace start, for highlighting and folding. Pure functions (no Monaco),
 * shared by the Monarch language and the folding provider, and tested on their own.
 */

/** Words that open a new step when they start a sentence ("Wait, …", "Alternatively, …"). */
export const STEP_WORDS = ['Wait', 'Alternatively', 'But', 'Hmm', 'However', 'Actually'] as const;
/** The same in Chinese traces, recognised at the start of a line. */
export const STEP_WORDS_ZH = ['等等', '或者', '但是', '不过', '嗯', '另外'] as const;

/** A numbered step at the start of a line: "1." "2)" "Step 3:" "步骤 4：" "第5步". */
export const NUMBERED_STEP = /^\s*(?:(?:Step|步骤)\s*\d+\s*[:：.)]|第\s*\d+\s*步|\d{1,3}[.)](?=\s|$))/;

const WORD_START = new RegExp(`^\\s*(?:(?:${STEP_WORDS.join('|')})\\b|${STEP_WORDS_ZH.join('|')})`);
const THINK_OPEN = /<think>/;
const THINK_CLOSE = /<\/think>/;

/** Whether a line begins a new reasoning step. */
export function isStepStart(line: string): boolean {
  return NUMBERED_STEP.test(line) || WORD_START.test(line);
}

export interface FoldRange {
  /** 1-based, inclusive. */
  start: number;
  end: number;
  kind: 'think' | 'step';
}

/**
 * Folding ranges by step: each step runs from its first line to the line before the next step (trailing
 * blank lines left out), a step of one line does not fold; a <think>…</think> block folds as a whole.
 */
export function stepFolds(lines: readonly string[]): FoldRange[] {
  const out: FoldRange[] = [];
  const n = lines.length;
  let thinkOpen = -1;
  const starts: number[] = [];
  const closes: number[] = [];
  for (let i = 0; i < n; i++) {
    const l = lines[i] ?? '';
    if (THINK_OPEN.test(l) && thinkOpen < 0) thinkOpen = i;
    if (THINK_CLOSE.test(l)) {
      if (thinkOpen >= 0 && i > thinkOpen) out.push({ start: thinkOpen + 1, end: i + 1, kind: 'think' });
      thinkOpen = -1;
      closes.push(i);
    }
    if (isStepStart(l)) starts.push(i);
  }
  let c = 0;
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k] as number;
    while (c < closes.length && (closes[c] as number) <= s) c++;
    const limit = Math.min(k + 1 < starts.length ? (starts[k + 1] as number) : n, c < closes.length ? (closes[c] as number) : n);
    let e = limit - 1;
    while (e > s && (lines[e] ?? '').trim() === '') e--;
    if (e > s) out.push({ start: s + 1, end: e + 1, kind: 'step' });
  }
  return out;
}

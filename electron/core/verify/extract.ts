import type { Extraction } from './types';

/** Longest response tail we scan: answers sit at the end, and this keeps extraction linear and bounded. */
const MAX_SCAN = 200_000;
const MAX_EXTRACTED = 5_000;

/** Content of the brace group opening at `open` (index of '{'), or the rest of the text when unbalanced. */
function braceGroup(s: string, open: number): { body: string; balanced: boolean } {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') { i++; continue; } // \{ and \} are literal braces, not groups
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return { body: s.slice(open + 1, i), balanced: true };
    }
  }
  return { body: s.slice(open + 1), balanced: false };
}

/** The argument of the last \boxed / \fbox, trying earlier ones when the last is empty. */
function lastBoxed(s: string): { body: string; balanced: boolean } | null {
  const re = /\\(?:boxed|fbox)(?![a-zA-Z])/g;
  const starts: number[] = [];
  for (let m = re.exec(s); m; m = re.exec(s)) starts.push(m.index + m[0].length);
  for (let k = starts.length - 1; k >= 0 && k >= starts.length - 5; k--) {
    const at = starts[k] as number;
    let i = at;
    while (s[i] === ' ') i++;
    if (s[i] === '{') {
      const g = braceGroup(s, i);
      if (g.body.trim()) return g;
    } else {
      // "\boxed 5" form: one token.
      const m = /^[^\s$]+/.exec(s.slice(i, i + 200));
      if (m) return { body: m[0], balanced: true };
    }
  }
  return null;
}

function cleanLine(x: string): string {
  let s = x.trim();
  s = s.replace(/^[:：\s*_]+/, '').replace(/[*_]+$/, '').replace(/^\*\*|\*\*$/g, '').trim();
  // If the line holds inline math, the math is the answer.
  const math = /\$\$?([^$]+)\$\$?/.exec(s);
  if (math?.[1] && !/^[A-E]\b/.test(s)) s = math[1];
  const disp = /\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)/.exec(s);
  if (disp) s = (disp[1] ?? disp[2] ?? s).trim();
  return s.replace(/[。.]\s*$/, '').trim();
}

/** "(B)", "B.", "B) 42", "**B**": a lone multiple-choice letter. */
export function choiceLetter(s: string): string | null {
  const t = s.trim().replace(/^\*\*|\*\*$/g, '').replace(/^\$+|\$+$/g, '').trim().replace(/^\\text(?:bf)?\{(.*)\}$/, '$1').trim();
  const m = /^\(?\s*([A-E])\s*\)?(?:[.:)]\s*.*|\s+.+)?$/.exec(t);
  if (!m) return null;
  // A bare letter followed by text must be marked like an option ("B. 42", "(B) 42", "B) 42").
  if (t.length > 3 && !/^\(?\s*[A-E]\s*[.:)]/.test(t) && !/^\([A-E]\)/.test(t)) return null;
  return m[1] ?? null;
}

/**
 * Pull the final answer out of a model response. Never throws. `how` says which rule fired,
 * so a reviewer can see why a verdict used that span.
 */
export function extractAnswer(response: string): Extraction {
  try {
    return extractInner(typeof response === 'string' ? response : String(response));
  } catch {
    return { extracted: null, how: 'error' };
  }
}

/**
 * Delimiters models use around their thinking: <think>, <thinking>, <reasoning>, <seed:think>, Kimi's
 * ◁think▷, OpenThoughts' <|begin_of_thought|> / <|begin_of_solution|>. A model that writes a stray closing
 * tag into its answer ("…highest</think>") must not leak it into the extracted span.
 */
const END_THINK = /<\/think>|<\/thinking>|<\/reasoning>|<\/seed:think>|◁\/think▷|<\|end_of_thought\|>/gi;
const THINK_DELIMS = /<\/?(?:think|thinking|reasoning|seed:think)>|◁\/?think▷|<\|(?:begin|end)_of_(?:thought|solution)\|>/gi;

/** The text without any thinking delimiter (the tags only: the words between them stay). */
export function stripThinkDelimiters(s: string): string {
  return s.replace(THINK_DELIMS, ' ');
}

function cap(s: string): string {
  return s.length > MAX_EXTRACTED ? s.slice(0, MAX_EXTRACTED) : s;
}

function extractInner(input: string): Extraction {
  let s = input.length > MAX_SCAN ? input.slice(-MAX_SCAN) : input;
  let how = '';
  // The answer follows the last end-of-thinking delimiter that has text after it: a stray closing tag at
  // the very end ("…highest</think>") does not count.
  const ends: number[] = [];
  for (let m = END_THINK.exec(s); m; m = END_THINK.exec(s)) ends.push(m.index + m[0].length);
  END_THINK.lastIndex = 0;
  for (let k = ends.length - 1; k >= 0; k--) {
    const rest = s.slice(ends[k]);
    if (stripThinkDelimiters(rest).trim()) {
      s = rest;
      how = 'after-think+';
      break;
    }
  }
  s = stripThinkDelimiters(s);
  const boxed = lastBoxed(s);
  if (boxed) return { extracted: cap(boxed.body.trim()), how: how + (boxed.balanced ? 'boxed' : 'boxed-unbalanced') };

  const lines = s.split(/\r?\n/);
  const marker = /(?:final\s+answer|answer|最终答案|答案)\s*(?:is)?\s*[:：]|(?:最终答案|答案)\s*(?:是|为)/i;
  for (let i = lines.length - 1; i >= 0 && i >= lines.length - 200; i--) {
    const line = lines[i] ?? '';
    const m = marker.exec(line);
    if (!m) continue;
    let rest = line.slice(m.index + m[0].length);
    if (!cleanLine(rest)) rest = lines.slice(i + 1).find((l) => l.trim()) ?? '';
    const c = cleanLine(rest);
    if (c) {
      const letter = choiceLetter(c);
      return letter ? { extracted: letter, how: how + 'answer-line+choice' } : { extracted: cap(c), how: how + 'answer-line' };
    }
  }
  const is = /(?:final answer|answer|correct (?:option|choice))\s+is\s*[:：]?\s*([^\n]+)/gi;
  let last: string | null = null;
  for (let m = is.exec(s); m; m = is.exec(s)) last = m[1] ?? null;
  if (last !== null) {
    const c = cleanLine(last.replace(/^(?:option|choice)\s+/i, ''));
    const letter = choiceLetter(c);
    if (letter) return { extracted: letter, how: how + 'answer-is+choice' };
    if (c) return { extracted: cap(c), how: how + 'answer-is' };
  }
  const trimmed = s.trim();
  if (!trimmed) return { extracted: null, how: how + 'empty' };
  // Short single-line input is a bare answer already.
  // Long single lines are still bare answers when they are not prose (a list of 16 tuples).
  const prose = (trimmed.slice(0, 2000).match(/(?<![\\a-zA-Z])[a-zA-Z]{4,}/g) ?? []).length;
  if (!trimmed.includes('\n') && (trimmed.length <= 200 || (trimmed.length <= 2000 && prose < 3))) {
    const letter = /^\(?[A-E]\)?[.:)]/.test(trimmed) ? choiceLetter(trimmed) : null;
    return letter ? { extracted: letter, how: how + 'choice' } : { extracted: trimmed, how: how + 'bare' };
  }
  const tail = trimmed.slice(-2000);
  const mathRe = /\$\$([^$]+)\$\$|\$([^$]+)\$|\\\[([\s\S]+?)\\\]/g;
  let lastMath: string | null = null;
  for (let m = mathRe.exec(tail); m; m = mathRe.exec(tail)) lastMath = m[1] ?? m[2] ?? m[3] ?? null;
  if (lastMath?.trim()) return { extracted: cap(lastMath.trim()), how: how + 'last-math' };
  const nums = tail.match(/-?\d[\d,]*(?:\.\d+)?(?:\s*%)?/g);
  const n = nums?.[nums.length - 1];
  if (n) return { extracted: n.replace(/,$/, '').trim(), how: how + 'last-number' };
  return { extracted: null, how: how + 'none' };
}

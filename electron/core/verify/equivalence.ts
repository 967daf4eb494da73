import { compareScalar } from './compare';
import type { Outcome } from './compare';
import { choiceLetter, extractAnswer } from './extract';
import { guardInput, normalize, splitTopLevel, stripThousands } from './normalize';
import type { CheckOptions, Verdict } from './types';

/** Answer shape: a scalar, an unordered collection (set, bare list) or an ordered bracket (tuple, interval). */
type Shape =
  | { kind: 'scalar'; text: string }
  | { kind: 'set'; items: string[]; bare: boolean }
  | { kind: 'bracket'; open: string; close: string; items: string[] }
  | { kind: 'union'; parts: string[] };

function enclosed(s: string, open: string, close: string): boolean {
  if (!s.startsWith(open) || !s.endsWith(close)) return false;
  // The opening bracket must close at the very end, so "(1)+(2)" is not a bracket.
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && (s[i + 1] === '{' || s[i + 1] === '}')) {
      depth += s[i + 1] === '{' ? 1 : -1;
      i++;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    if (depth === 0 && i < s.length - 1) return false;
  }
  return true;
}

function shapeOf(raw: string): Shape {
  // Light normalisation keeps degree and percent marks so each component keeps its own.
  const n = normalize(raw, true);
  const s = stripThousands(n.text);
  if (/^\\(?:emptyset|varnothing)$|^\\\{\s*\\\}$|^\\o$/.test(s)) return { kind: 'set', items: [], bare: false };
  const union = splitTopLevel(s, '\\cup');
  if (union.length > 1) return { kind: 'union', parts: union };
  if (s.startsWith('\\{') && s.endsWith('\\}') && enclosed(s, '\\{', '\\}')) {
    return { kind: 'set', items: splitTopLevel(s.slice(2, -2), ',').filter((x) => x !== ''), bare: false };
  }
  if (/^[([]/.test(s) && /[)\]]$/.test(s)) {
    const inner = s.slice(1, -1);
    const items = splitTopLevel(inner, ',');
    if (items.length >= 2 && enclosed(s.replace(/^\[/, '(').replace(/\]$/, ')'), '(', ')')) {
      return { kind: 'bracket', open: s[0] as string, close: s[s.length - 1] as string, items };
    }
  }
  let items = splitTopLevel(s, ',');
  if (items.length === 1) items = splitTopLevel(s, ';');
  if (items.length === 1) items = s.split(/\s+(?:or|and)\s+/);
  if (items.length > 1 && items.every((x) => x !== '')) return { kind: 'set', items, bare: true };
  // a ± b stands for the two values a + b and a - b.
  if (s.split('\\pm').length === 2 && !s.includes('=')) {
    return { kind: 'set', items: [s.replace('\\pm', '+'), s.replace('\\pm', '-')], bare: true };
  }
  return { kind: 'scalar', text: raw };
}

function same(a: string, b: string, relTol: number, depth: number): boolean {
  return compareShapes(a, b, relTol, depth + 1).equivalent === true;
}

/** Multiset match: every reference item pairs with a distinct equivalent answer item. */
function matchUnordered(a: string[], r: string[], relTol: number, depth: number): boolean {
  if (a.length !== r.length) return false;
  const used = new Array<boolean>(a.length).fill(false);
  for (const x of r) {
    const j = a.findIndex((y, k) => !used[k] && same(y, x, relTol, depth));
    if (j < 0) return false;
    used[j] = true;
  }
  return true;
}

function compareShapes(ans: string, ref: string, relTol: number, depth: number): Outcome {
  if (depth > 6) return { equivalent: null, method: 'none', reason: 'structure nested too deeply' };
  const a = shapeOf(ans);
  const r = shapeOf(ref);
  if (a.kind === 'scalar' && r.kind === 'scalar') return compareScalar(a.text, r.text, relTol);
  if (a.kind === 'union' || r.kind === 'union') {
    if (a.kind !== 'union' || r.kind !== 'union') return { equivalent: false, method: 'interval', reason: 'interval: union vs single set' };
    const eq = matchUnordered(a.parts, r.parts, relTol, depth);
    return { equivalent: eq, method: 'interval', reason: `interval: unions ${eq ? 'match' : 'differ'}` };
  }
  if (a.kind === 'set' && r.kind === 'set') {
    const eq = matchUnordered(a.items, r.items, relTol, depth);
    const why = a.items.length !== r.items.length ? `${a.items.length} vs ${r.items.length} elements` : eq ? 'same elements in any order' : 'elements differ';
    return { equivalent: eq, method: 'set', reason: `set: ${why}` };
  }
  if (a.kind === 'bracket' && r.kind === 'bracket') {
    const method = a.open === '(' && a.close === ')' && r.open === '(' && r.close === ')' ? 'tuple' : 'interval';
    if (a.open !== r.open || a.close !== r.close) {
      return { equivalent: false, method, reason: `${method}: ${a.open}…${a.close} vs ${r.open}…${r.close}` };
    }
    if (a.items.length !== r.items.length) return { equivalent: false, method, reason: `${method}: ${a.items.length} vs ${r.items.length} components` };
    const bad = a.items.findIndex((x, i) => !same(x, r.items[i] as string, relTol, depth));
    return { equivalent: bad < 0, method, reason: bad < 0 ? `${method}: all components match in order` : `${method}: component ${bad + 1} differs` };
  }
  // A bare list against a tuple: compare in order (the tuple fixes the order).
  if (a.kind === 'bracket' && r.kind === 'set' && r.bare && a.open === '(') {
    const eq = a.items.length === r.items.length && a.items.every((x, i) => same(x, r.items[i] as string, relTol, depth));
    return { equivalent: eq, method: 'tuple', reason: `tuple: ${eq ? 'components match the listed values' : 'components differ from the listed values'}` };
  }
  if (r.kind === 'bracket' && a.kind === 'set' && a.bare && r.open === '(') {
    const eq = a.items.length === r.items.length && a.items.every((x, i) => same(x, r.items[i] as string, relTol, depth));
    return { equivalent: eq, method: 'tuple', reason: `tuple: ${eq ? 'listed values match the components' : 'listed values differ from the components'}` };
  }
  const kind = (s: Shape): string => (s.kind === 'bracket' ? (s.open === '(' && s.close === ')' ? 'tuple' : 'interval') : s.kind === 'set' ? (s.bare ? 'list' : 'set') : s.kind);
  return { equivalent: false, method: r.kind === 'set' ? 'set' : r.kind === 'bracket' ? 'tuple' : 'exact', reason: `shape: ${kind(a)} vs ${kind(r)}` };
}

/**
 * Decide whether `answer` (a whole response or a bare answer) matches `reference`.
 * Never throws; `equivalent: null` means the rules could not decide.
 */
export function checkEquivalence(answer: string, reference: string, opts: CheckOptions = {}): Verdict {
  const relTol = opts.relTol ?? 1e-6;
  let extracted: string | null = null;
  try {
    extracted = opts.bare ? answer : extractAnswer(answer).extracted;
    if (extracted === null) return { equivalent: null, method: 'none', reason: 'no final answer found in the response', extracted };
    const ga = guardInput(extracted);
    if (ga) return { equivalent: null, method: 'none', reason: `answer refused: ${ga}`, extracted: extracted.slice(0, 200) };
    const gr = guardInput(reference);
    if (gr) return { equivalent: null, method: 'none', reason: `reference refused: ${gr}`, extracted };
    const refLetter = choiceLetter(reference);
    if (refLetter && /^\s*\(?\s*[A-E]\s*\)?\s*\.?\s*$/.test(reference.replace(/\$|\\text\{|\}/g, ''))) {
      const got = choiceLetter(extracted) ?? (/^\s*\\?\(?([A-E])\)?\s*$/.exec(extracted)?.[1] ?? null);
      if (!got) return { equivalent: false, method: 'choice', reason: `choice: no option letter in '${extracted.slice(0, 40)}'`, extracted };
      return { equivalent: got === refLetter, method: 'choice', reason: `choice: ${got} ${got === refLetter ? '=' : '≠'} ${refLetter}`, extracted };
    }
    const out = compareShapes(extracted, reference, relTol, 0);
    return { ...out, extracted };
  } catch (e) {
    return { equivalent: null, method: 'none', reason: `checker error: ${(e as Error).message?.slice(0, 80) ?? 'unknown'}`, extracted };
  }
}

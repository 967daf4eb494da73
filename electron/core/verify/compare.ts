import { ceEval, ceIsEqual, ceParse, ceUnknowns } from './cortex';
import { evaluate, hasDecimal, integerLiteral, parseFast, Unsupported, variables } from './fasteval';
import type { Node } from './fasteval';
import { normalize, stripThousands } from './normalize';
import type { Norm } from './normalize';
import type { VerdictMethod } from './types';

export type Outcome = { equivalent: boolean | null; method: VerdictMethod; reason: string };

/** Deterministic sample points; non-integers so that x^2 and 2x (equal at 2) are told apart. */
const POINTS = [0.7318, 1.6203, 2.4471];
const ABS_TOL = 1e-12;
/** Tolerance between two exact forms: only float rounding can separate them. */
const EXACT_TOL = 1e-9;

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return String(Number(v.toPrecision(6)));
}

function close(a: number, b: number, tol: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  // Absolute tolerance only against zero: 7.4e-12 and 8.4e-12 must stay different.
  if (a === 0 || b === 0) return Math.abs(a - b) <= ABS_TOL;
  return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b));
}

/** Values a normalised scalar may stand for: 50% is 50 or 0.5; 90° is 90 or π/2. */
function candidates(v: number, n: Norm): number[] {
  const out = [v];
  if (n.percent) out.push(v / 100);
  if (n.degrees) out.push((v * Math.PI) / 180);
  return out;
}

function varEnv(names: Iterable<string>, point: number): Record<string, number> {
  const env: Record<string, number> = {};
  let i = 0;
  for (const n of [...names].sort()) env[n] = point + 0.3137 * i++;
  return env;
}

const textLike = (s: string): boolean => /^[A-Za-z][A-Za-z' -]*$/.test(s) && /[A-Za-z]{3,}/.test(s);
const squash = (s: string): string => s.replace(/(\d)\s+(?=\d)/g, '$1·').replace(/\s+/g, '').replace(/\{(\w)\}/g, '$1');

function fastCompare(a: Norm, r: Norm, ta: string, tr: string, relTol: number): Outcome | null {
  let na: Node;
  let nr: Node;
  try {
    na = parseFast(ta);
    nr = parseFast(tr);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
  const vars = new Set([...variables(na), ...variables(nr)]);
  // i may be the imaginary unit; the compute engine handles complex values, this parser does not.
  if (vars.has('i')) return null;
  if (vars.size === 0) {
    const ia = integerLiteral(na);
    const ir = integerLiteral(nr);
    if (ia !== null && ir !== null && !a.percent && !r.percent && !a.degrees && !r.degrees) {
      // Integers are compared exactly: a relative tolerance would call 2271380 and 2271381 equal.
      const eq = BigInt(ia) === BigInt(ir);
      return { equivalent: eq, method: 'numeric', reason: `numeric: ${ta} ${eq ? '=' : '≠'} ${tr}` };
    }
    const va = evaluate(na, {});
    const vr = evaluate(nr, {});
    if (Number.isNaN(va) || Number.isNaN(vr)) return null;
    if ((!Number.isFinite(va) || !Number.isFinite(vr)) && !/\\infty/.test(ta + tr)) {
      // Never hand an overflowing value to the compute engine: it would try to compute it exactly.
      return { equivalent: null, method: 'none', reason: 'numeric: value too large to compare' };
    }
    const tol = hasDecimal(na) || hasDecimal(nr) ? relTol : EXACT_TOL;
    const eq = candidates(va, a).some((x) => candidates(vr, r).some((y) => close(x, y, tol)));
    return { equivalent: eq, method: 'numeric', reason: `numeric: ${fmt(va)} ${eq ? '=' : '≠'} ${tr}` };
  }
  const tol = hasDecimal(na) || hasDecimal(nr) ? relTol : EXACT_TOL;
  let compared = 0;
  for (const p of POINTS) {
    const env = varEnv(vars, p);
    const va = evaluate(na, env);
    const vr = evaluate(nr, env);
    if (Number.isNaN(va) && Number.isNaN(vr)) continue;
    compared++;
    if (!close(va, vr, tol)) {
      return { equivalent: false, method: 'symbolic', reason: `symbolic: differs at ${[...vars].join(',')}≈${p} (${fmt(va)} vs ${fmt(vr)})` };
    }
  }
  if (compared === 0) return null;
  return { equivalent: true, method: 'symbolic', reason: `symbolic: equal at ${compared} sample points` };
}

function engineCompare(a: Norm, r: Norm, ta: string, tr: string, relTol: number): Outcome {
  if (/\^\s*\{[^{}]*\^/.test(ta + ' ' + tr)) {
    return { equivalent: null, method: 'none', reason: 'nested exponents are not sent to the compute engine' };
  }
  const ea = ceParse(ta);
  const er = ceParse(tr);
  if (!ea || !er) {
    return { equivalent: null, method: 'none', reason: `could not parse ${ea ? 'reference' : 'answer'} '${(ea ? tr : ta).slice(0, 60)}'` };
  }
  const vars = new Set([...ceUnknowns(ea), ...ceUnknowns(er)]);
  let compared = 0;
  for (const p of vars.size ? POINTS : [0]) {
    const env = varEnv(vars, p);
    const va = ceEval(ea, env);
    const vr = ceEval(er, env);
    if (!va || !vr) continue;
    compared++;
    const reEq = candidates(va.re, a).some((x) => candidates(vr.re, r).some((y) => close(x, y, relTol)));
    if (!reEq || !close(va.im, vr.im, relTol)) {
      return { equivalent: false, method: vars.size ? 'symbolic' : 'numeric', reason: `${vars.size ? 'symbolic' : 'numeric'}: ${fmt(va.re)} ≠ ${fmt(vr.re)}` };
    }
  }
  if (compared > 0) {
    return vars.size
      ? { equivalent: true, method: 'symbolic', reason: `symbolic: equal at ${compared} sample points (compute engine)` }
      : { equivalent: true, method: 'numeric', reason: `numeric: ${tr} (compute engine)` };
  }
  const eq = ceIsEqual(ea, er);
  if (eq === undefined) return { equivalent: null, method: 'symbolic', reason: 'symbolic: compute engine could not decide' };
  return { equivalent: eq, method: 'symbolic', reason: `symbolic: compute engine says ${eq ? 'equal' : 'not equal'}` };
}

/** Equations with a compound left side: compare L−R up to sign. */
function equationCompare(ta: string, tr: string, a: Norm, r: Norm, relTol: number): Outcome | null {
  const pa = ta.split('=');
  const pr = tr.split('=');
  if (pa.length !== 2 || pr.length !== 2) return null;
  const fa = `(${pa[0]})-(${pa[1]})`;
  const scaled = proportional(fa, `(${pr[0]})-(${pr[1]})`);
  if (scaled !== null) return scaled;
  const first = scalarCore(a, r, fa, `(${pr[0]})-(${pr[1]})`, relTol);
  if (first.equivalent) return { ...first, reason: `equation: ${first.reason}` };
  const second = scalarCore(a, r, fa, `(${pr[1]})-(${pr[0]})`, relTol);
  if (second.equivalent) return { ...second, reason: `equation: ${second.reason}` };
  return { ...first, reason: `equation: ${first.reason}` };
}

/** L−R of two equations equal up to a non-zero constant factor (2x+2y=2 vs x+y=1); fast parser only. */
function proportional(fa: string, fr: string): Outcome | null {
  let na: Node;
  let nr: Node;
  try {
    na = parseFast(fa);
    nr = parseFast(fr);
  } catch {
    return null;
  }
  const vars = new Set([...variables(na), ...variables(nr)]);
  if (vars.size === 0) return null;
  let ratio: number | null = null;
  for (const p of POINTS) {
    const env = varEnv(vars, p);
    const va = evaluate(na, env);
    const vr = evaluate(nr, env);
    if (!Number.isFinite(va) || !Number.isFinite(vr) || Math.abs(vr) < ABS_TOL) return null;
    const q = va / vr;
    if (ratio === null) ratio = q;
    else if (!close(ratio, q, EXACT_TOL)) {
      return { equivalent: false, method: 'symbolic', reason: `equation: not proportional (differs at ${[...vars].join(',')}≈${p})` };
    }
  }
  if (ratio === null || Math.abs(ratio) < ABS_TOL) return null;
  return { equivalent: true, method: 'symbolic', reason: `equation: same solution set (sides scaled by ${fmt(ratio)})` };
}

function scalarCore(a: Norm, r: Norm, ta: string, tr: string, relTol: number): Outcome {
  return fastCompare(a, r, ta, tr, relTol) ?? engineCompare(a, r, ta, tr, relTol);
}

/** SI digit groups: "1 000 000" is one number. */
function siGroups(s: string): string {
  return /^[+-]?\d{1,3}(?: \d{3})+(?:\.\d+)?$/.test(s) ? s.replace(/ /g, '') : s;
}

/** Compare two scalar answers (no top-level list structure). */
export function compareScalar(ansRaw: string, refRaw: string, relTol: number): Outcome {
  const a = normalize(ansRaw);
  const r = normalize(refRaw);
  const ta = stripThousands(siGroups(a.text));
  const tr = stripThousands(siGroups(r.text));
  if (!ta) return { equivalent: null, method: 'none', reason: 'empty answer after normalisation' };
  if (!tr) return { equivalent: null, method: 'none', reason: 'empty reference after normalisation' };
  const spaced = /(?<![_^]\d*)\d\s+\d/; // log_2 8 is fine
  if (spaced.test(ta) || spaced.test(tr)) {
    // "1 2" could be 12, 1·2 or a list: refuse to guess.
    return { equivalent: null, method: 'none', reason: `ambiguous space between digits in '${(spaced.test(ta) ? ta : tr).slice(0, 40)}'` };
  }
  // Base-n literals (52_8) are names, not products: compare them as strings.
  const base = /^\d+_\{?\w+\}?$/;
  if (base.test(ta) || base.test(tr)) {
    const eq = squash(ta) === squash(tr);
    return { equivalent: eq, method: 'exact', reason: `exact: base literal ${squash(ta)} ${eq ? '=' : '≠'} ${squash(tr)}` };
  }
  if (squash(ta) === squash(tr) && a.percent === r.percent) {
    return { equivalent: true, method: 'exact', reason: 'exact: identical after normalisation' };
  }
  const letters = (x: string): boolean => /^[A-Za-z][A-Za-z' -]*$/.test(x);
  if ((textLike(tr) && letters(ta)) || (textLike(ta) && letters(tr))) {
    const eq = ta.toLowerCase().replace(/\s+/g, ' ') === tr.toLowerCase().replace(/\s+/g, ' ');
    return { equivalent: eq, method: 'text', reason: `text: '${ta}' ${eq ? '=' : '≠'} '${tr}'` };
  }
  if (ta.includes('=') || tr.includes('=')) {
    if (ta.includes('=') && tr.includes('=')) {
      const e = equationCompare(ta, tr, a, r, relTol);
      if (e) return e;
    }
    return { equivalent: null, method: 'none', reason: 'cannot compare an equation with a non-equation' };
  }
  if (/\\(?:le|ge|ne)\b|[<>]/.test(ta + tr)) {
    return { equivalent: null, method: 'none', reason: 'inequalities differ in writing; rules cannot decide' };
  }
  return scalarCore(a, r, ta, tr, relTol);
}

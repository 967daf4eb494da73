import { ComputeEngine } from '@cortex-js/compute-engine';

/**
 * The compute engine is the fallback for LaTeX that the fast parser does not cover
 * (\binom, \log_b, \ln with odd spacing, matrices, ...). One engine per process: creating
 * one costs tens of milliseconds. Inputs reach it only after `guardInput` has passed.
 */
let engine: ComputeEngine | null = null;
function ce(): ComputeEngine {
  engine ??= new ComputeEngine();
  return engine;
}

type Boxed = NonNullable<ReturnType<ComputeEngine['parse']>>;

/** Parsed expressions are cached because the same reference is checked against many answers. */
const cache = new Map<string, Boxed | null>();

/**
 * The engine reports some canonicalisation failures with console.error; for a checker that
 * runs inside a CLI or over 60K traces that is noise, and the failure already shows as an
 * invalid expression. Calls are synchronous, so swapping the console briefly is safe.
 */
function quiet<T>(fn: () => T): T {
  const saved = console.error;
  console.error = () => {};
  try {
    return fn();
  } finally {
    console.error = saved;
  }
}

/** Cheap structural check so that garbage never costs an engine parse. */
function balanced(s: string): boolean {
  let brace = 0;
  let paren = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') brace++;
    else if (c === '}' && --brace < 0) return false;
    else if (c === '(') paren++;
    else if (c === ')' && --paren < 0) return false;
  }
  return brace === 0 && paren === 0 && !/[\^_]\s*$|^\s*[\^_=]/.test(s);
}

export function ceParse(latex: string): Boxed | null {
  const hit = cache.get(latex);
  if (hit !== undefined) return hit;
  let out: Boxed | null;
  try {
    const e = balanced(latex) ? quiet(() => ce().parse(latex)) : null;
    out = e && e.isValid ? e : null;
  } catch {
    out = null;
  }
  if (cache.size > 5000) cache.clear();
  cache.set(latex, out);
  return out;
}

export function ceUnknowns(e: Boxed): string[] {
  try {
    return [...e.unknowns];
  } catch {
    return [];
  }
}

/** Numeric value (real and imaginary parts) with the given substitutions, or null. */
export function ceEval(e: Boxed, env: Record<string, number>): { re: number; im: number } | null {
  try {
    const subs: Record<string, Boxed> = {};
    for (const [k, v] of Object.entries(env)) subs[k] = ce().number(v);
    const x = quiet(() => (Object.keys(subs).length ? e.subs(subs).N() : e.N()));
    const re = x.re;
    const im = x.im;
    if (typeof re !== 'number' || Number.isNaN(re)) return null;
    return { re, im: typeof im === 'number' && !Number.isNaN(im) ? im : 0 };
  } catch {
    return null;
  }
}

/** The engine's own symbolic judgement, used when numeric evaluation is impossible. */
export function ceIsEqual(a: Boxed, b: Boxed): boolean | undefined {
  try {
    return quiet(() => (a.isSame(b) ? true : a.isEqual(b)));
  } catch {
    return undefined;
  }
}


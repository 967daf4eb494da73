/**
 * A small, fast parser for the arithmetic-and-algebra subset of LaTeX that most answers use
 * (numbers, + - * / ^, \frac, \sqrt, \pi, implicit multiplication, a few functions, single
 * letter variables). It exists because the compute engine costs milliseconds per parse and
 * the bench asks for thousands of checks per second; anything outside this subset throws
 * `Unsupported` and is handed to the compute engine instead.
 */

export class Unsupported extends Error {}

export type Node =
  | { k: 'num'; v: number; decimal: boolean; int: string | null }
  | { k: 'var'; name: string }
  | { k: 'op'; op: '+' | '*' | '/' | '^'; a: Node; b: Node }
  | { k: 'neg'; a: Node }
  | { k: 'fn'; name: string; a: Node };

const FUNCS = new Set(['sin', 'cos', 'tan', 'ln', 'log', 'exp', 'arcsin', 'arccos', 'arctan', 'sec', 'csc', 'cot']);
const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'lambda', 'mu', 'nu',
  'xi', 'rho', 'sigma', 'tau', 'phi', 'varphi', 'chi', 'psi', 'omega', 'hbar', 'ell', 'varrho', 'upsilon', 'kappa', 'iota', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Sigma', 'Phi', 'Psi', 'Omega',
]);

type Tok = { t: string; v?: string };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === ' ') { i++; continue; }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+(?![a-zA-Z]))?/.exec(s.slice(i, i + 400));
    if (num) { out.push({ t: 'num', v: num[0] }); i += num[0].length; continue; }
    if (c === '\\') {
      const m = /^\\([a-zA-Z]+|.)/.exec(s.slice(i, i + 40));
      if (!m) throw new Unsupported('dangling backslash');
      out.push({ t: '\\' + m[1] });
      i += m[0].length;
      continue;
    }
    if (/[a-zA-Z]/.test(c)) { out.push({ t: 'id', v: c }); i++; continue; }
    if ('+-*/^()[]{}!_|\''.includes(c)) { out.push({ t: c }); i++; continue; }
    throw new Unsupported(`character '${c}'`);
  }
  return out;
}

class Parser {
  private p = 0;
  constructor(private toks: Tok[]) {}
  private peek(): Tok | undefined { return this.toks[this.p]; }
  private next(): Tok {
    const t = this.toks[this.p++];
    if (!t) throw new Unsupported('unexpected end');
    return t;
  }
  private expect(t: string): void {
    const n = this.next();
    if (n.t !== t) throw new Unsupported(`expected ${t}`);
  }
  parseAll(): Node {
    const n = this.sum();
    if (this.p !== this.toks.length) throw new Unsupported(`unexpected '${this.peek()?.t}'`);
    return n;
  }
  private sum(): Node {
    let a = this.product();
    for (;;) {
      const t = this.peek()?.t;
      if (t === '+') { this.p++; a = { k: 'op', op: '+', a, b: this.product() }; }
      else if (t === '-') { this.p++; a = { k: 'op', op: '+', a, b: { k: 'neg', a: this.product() } }; }
      else return a;
    }
  }
  private product(): Node {
    let a = this.unary();
    for (;;) {
      const t = this.peek()?.t;
      if (t === '*' || t === '\\cdot' || t === '\\times') { this.p++; a = { k: 'op', op: '*', a, b: this.unary() }; }
      else if (t === '/' || t === '\\div') { this.p++; a = { k: 'op', op: '/', a, b: this.unary() }; }
      else if (t !== undefined && this.startsAtom(t)) {
        // "2 3" is not 6: two juxtaposed literals are a formatting accident, not a product.
        if (t === 'num' && this.toks[this.p - 1]?.t === 'num') throw new Unsupported('juxtaposed numbers');
        a = { k: 'op', op: '*', a, b: this.power() };
      }
      else return a;
    }
  }
  private startsAtom(t: string): boolean {
    return t === 'num' || t === 'id' || t === '(' || t === '{' || t === '[' || t === '\\frac' || t === '\\sqrt' || t === '\\pi' ||
      t === '\\infty' || t === '\\lfloor' || t === '\\lceil' || (t.startsWith('\\') && (FUNCS.has(t.slice(1)) || GREEK.has(t.slice(1))));
  }
  private unary(): Node {
    const t = this.peek()?.t;
    if (t === '-') { this.p++; return { k: 'neg', a: this.unary() }; }
    if (t === '+') { this.p++; return this.unary(); }
    return this.power();
  }
  private power(): Node {
    let base = this.postfix();
    if (this.peek()?.t === '^') {
      this.p++;
      const e = this.peek()?.t === '-' ? (this.p++, { k: 'neg' as const, a: this.atom() }) : this.atom();
      base = { k: 'op', op: '^', a: base, b: e };
    }
    return base;
  }
  private postfix(): Node {
    let a = this.atom();
    while (this.peek()?.t === '!') { this.p++; a = { k: 'fn', name: 'fact', a }; }
    return a;
  }
  /** A single-character argument, as in \frac12 or \sqrt2. */
  private arg(): Node {
    const t = this.peek();
    if (t?.t === 'num' && t.v !== undefined && t.v.length > 1 && /^\d+$/.test(t.v)) {
      // \frac12 means \frac{1}{2}: split the digit run.
      this.toks.splice(this.p, 1, { t: 'num', v: t.v[0] }, { t: 'num', v: t.v.slice(1) });
    }
    return this.atom();
  }
  private atom(): Node {
    const t = this.next();
    switch (t.t) {
      case 'num': {
        const v = t.v ?? '';
        return { k: 'num', v: Number(v), decimal: /[.eE]/.test(v), int: /^\d+$/.test(v) ? v : null };
      }
      case 'id': {
        let name = t.v ?? '';
        if (this.peek()?.t === '_') { this.p++; name += '_' + this.subscript(); }
        // A lone e is Euler's number; where it means a charge both sides still read it alike.
        if (name === 'e') return { k: 'num', v: Math.E, decimal: false, int: null };
        return { k: 'var', name };
      }
      case '(': { const n = this.sum(); this.expect(')'); return n; }
      case '{': { const n = this.sum(); this.expect('}'); return n; }
      case '[': { const n = this.sum(); this.expect(']'); return n; }
      case '\\frac': { const a = this.arg(); const b = this.arg(); return { k: 'op', op: '/', a, b }; }
      case '\\sqrt': {
        if (this.peek()?.t === '[') {
          this.p++;
          const n = this.sum();
          this.expect(']');
          return { k: 'op', op: '^', a: this.arg(), b: { k: 'op', op: '/', a: { k: 'num', v: 1, decimal: false, int: '1' }, b: n } };
        }
        return { k: 'fn', name: 'sqrt', a: this.arg() };
      }
      case '\\pi': return { k: 'num', v: Math.PI, decimal: false, int: null };
      case '\\infty': return { k: 'num', v: Infinity, decimal: false, int: null };
      case '\\lfloor': { const n = this.sum(); this.expect('\\rfloor'); return { k: 'fn', name: 'floor', a: n }; }
      case '\\lceil': { const n = this.sum(); this.expect('\\rceil'); return { k: 'fn', name: 'ceil', a: n }; }
      default: {
        const name = t.t.slice(1);
        if (t.t.startsWith('\\') && GREEK.has(name)) {
          let v = name;
          if (this.peek()?.t === '_') { this.p++; v += '_' + this.subscript(); }
          return { k: 'var', name: v };
        }
        if (t.t.startsWith('\\') && FUNCS.has(name)) {
          // \sin^2 x means (\sin x)^2; only small integer powers are accepted here.
          let pow: Node | null = null;
          if (this.peek()?.t === '^') { this.p++; pow = this.atom(); }
          if (name === 'log' && this.peek()?.t === '_') throw new Unsupported('log base');
          const a = this.peek()?.t === '(' ? this.atom() : this.power();
          const f: Node = { k: 'fn', name, a };
          return pow ? { k: 'op', op: '^', a: f, b: pow } : f;
        }
        throw new Unsupported(`token ${t.t}`);
      }
    }
  }
  private subscript(): string {
    const t = this.next();
    if (t.t === 'num' || t.t === 'id') return t.v ?? '';
    if (t.t === '{') {
      let s = '';
      while (this.peek() && this.peek()?.t !== '}') { const x = this.next(); s += x.v ?? x.t; }
      this.expect('}');
      return s;
    }
    throw new Unsupported('subscript');
  }
}

export function parseFast(s: string): Node {
  return new Parser(tokenize(s)).parseAll();
}

function fact(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 170) return NaN;
  let r = 1;
  for (let i = 2; i <= n; i++) r *= i;
  return r;
}

export function evaluate(n: Node, env: Record<string, number>): number {
  switch (n.k) {
    case 'num': return n.v;
    case 'var': {
      const v = env[n.name];
      if (v === undefined) throw new Unsupported(`unbound ${n.name}`);
      return v;
    }
    case 'neg': return -evaluate(n.a, env);
    case 'op': {
      const a = evaluate(n.a, env);
      const b = evaluate(n.b, env);
      if (n.op === '+') return a + b;
      if (n.op === '*') return a * b;
      if (n.op === '/') return a / b;
      return a < 0 && !Number.isInteger(b) ? -Math.pow(-a, b) : Math.pow(a, b);
    }
    case 'fn': {
      const a = evaluate(n.a, env);
      switch (n.name) {
        case 'sqrt': return Math.sqrt(a);
        case 'sin': return Math.sin(a);
        case 'cos': return Math.cos(a);
        case 'tan': return Math.tan(a);
        case 'sec': return 1 / Math.cos(a);
        case 'csc': return 1 / Math.sin(a);
        case 'cot': return 1 / Math.tan(a);
        case 'arcsin': return Math.asin(a);
        case 'arccos': return Math.acos(a);
        case 'arctan': return Math.atan(a);
        case 'ln': case 'log': return Math.log(a);
        case 'exp': return Math.exp(a);
        case 'floor': return Math.floor(a);
        case 'ceil': return Math.ceil(a);
        case 'fact': return fact(a);
        default: throw new Unsupported(n.name);
      }
    }
  }
}

export function variables(n: Node, out = new Set<string>()): Set<string> {
  if (n.k === 'var') out.add(n.name);
  else if (n.k === 'op') { variables(n.a, out); variables(n.b, out); }
  else if (n.k === 'neg' || n.k === 'fn') variables(n.a, out);
  return out;
}

export function hasDecimal(n: Node): boolean {
  if (n.k === 'num') return n.decimal;
  if (n.k === 'op') return hasDecimal(n.a) || hasDecimal(n.b);
  if (n.k === 'neg' || n.k === 'fn') return hasDecimal(n.a);
  return false;
}

/** The integer literal this node is, as a string (sign included), or null. */
export function integerLiteral(n: Node): string | null {
  if (n.k === 'num') return n.int;
  if (n.k === 'neg' && n.a.k === 'num' && n.a.int !== null) return '-' + n.a.int;
  return null;
}

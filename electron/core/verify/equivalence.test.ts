import { describe, expect, it } from 'vitest';
import { checkEquivalence } from './equivalence';
import { CASES } from './fixtures/cases';

describe('checkEquivalence: hand-checked table', () => {
  it('has at least 200 cases covering every category', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(200);
    const cats = new Set(CASES.map((c) => c[3]));
    for (const c of ['integer', 'fraction', 'decimal', 'scientific', 'percent', 'thousands', 'expression', 'symbolic', 'set', 'list', 'tuple', 'interval', 'equation', 'degrees', 'units', 'text', 'base', 'markup', 'choice', 'response', 'hard-negative']) {
      expect(cats.has(c), c).toBe(true);
    }
  });
  it.each(CASES.map((c, i) => [i, ...c] as const))('#%i %s vs %s → %s (%s)', (_i, answer, reference, expected) => {
    const v = checkEquivalence(answer, reference);
    expect(v.equivalent, `${v.method}: ${v.reason}`).toBe(expected);
    expect(v.reason.length).toBeGreaterThan(0);
  });
});

describe('checkEquivalence: verdict details', () => {
  it('names the method and gives a specific reason', () => {
    const v = checkEquivalence('4.66667', '14/3');
    expect(v).toMatchObject({ equivalent: true, method: 'numeric', extracted: '4.66667' });
    expect(v.reason).toBe('numeric: 4.66667 = 14/3');
  });
  it('reports set, tuple and interval methods', () => {
    expect(checkEquivalence('\\{2,1\\}', '\\{1,2\\}').method).toBe('set');
    expect(checkEquivalence('(2,1)', '(1,2)').method).toBe('tuple');
    expect(checkEquivalence('[1,2)', '(1,2]').method).toBe('interval');
    expect(checkEquivalence('(B)', 'B').method).toBe('choice');
    expect(checkEquivalence('odd', 'even').method).toBe('text');
    expect(checkEquivalence('x^2+2x+1', '(x+1)^2').method).toBe('symbolic');
  });
  it('extracts from a whole response and returns what it used', () => {
    const v = checkEquivalence('Reasoning...\n\nSo the answer is \\boxed{\\frac{3}{4}}.', '0.75');
    expect(v).toMatchObject({ equivalent: true, extracted: '\\frac{3}{4}' });
  });
  it('honours a configurable tolerance', () => {
    expect(checkEquivalence('4.67', '14/3').equivalent).toBe(false);
    expect(checkEquivalence('4.67', '14/3', { relTol: 1e-2 }).equivalent).toBe(true);
  });
  it('bare mode skips extraction', () => {
    expect(checkEquivalence('Answer: 5', '5', { bare: true }).equivalent).not.toBe(true);
    expect(checkEquivalence('Answer: 5', '5').equivalent).toBe(true);
  });
  it('is symmetric on the table for decided cases without extraction', () => {
    for (const [a, r, exp, cat] of CASES) {
      if (exp === null || cat === 'response' || cat === 'choice' || cat === 'tuple' || cat === 'list') continue;
      expect(checkEquivalence(r, a, { bare: true }).equivalent, `${r} vs ${a}`).toBe(exp);
    }
  });
  it('never throws on arbitrary strings', async () => {
    const fc = await import('fast-check');
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 20 }), (a, b) => {
        const v = checkEquivalence(a, b);
        return typeof v.reason === 'string' && [true, false, null].includes(v.equivalent);
      }),
      { numRuns: 300 },
    );
  });
});

describe('checkEquivalence: properties', () => {
  it('integers are equal exactly when their values are', async () => {
    const fc = await import('fast-check');
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: -5n, max: 5n }), (n, d) => {
        return checkEquivalence(String(n), String(n + d)).equivalent === (d === 0n);
      }),
      { numRuns: 300 },
    );
  });
  it('a fraction equals its decimal form and not its reciprocal', async () => {
    const fc = await import('fast-check');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 999 }), (a, b) => {
        const frac = `\\frac{${a}}{${b}}`;
        const ok = checkEquivalence((a / b).toPrecision(12), frac).equivalent === true;
        const swapped = checkEquivalence(`\\frac{${b}}{${a}}`, frac).equivalent === (a === b);
        return ok && swapped;
      }),
      { numRuns: 300 },
    );
  });
  it('lists match in any order, tuples only in order', async () => {
    const fc = await import('fast-check');
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 2, maxLength: 6 }), (xs) => {
        const rev = [...xs].reverse();
        return (
          checkEquivalence(rev.join(', '), xs.join(', ')).equivalent === true &&
          checkEquivalence(`(${rev.join(',')})`, `(${xs.join(',')})`).equivalent === false
        );
      }),
      { numRuns: 200 },
    );
  });
});

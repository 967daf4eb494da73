import { describe, expect, it } from 'vitest';
import { checkEquivalence } from './equivalence';

// The spec bounds every check at 100 ms; the limits in types.ts refuse these before any parser runs.
const CASES: [string, string, string][] = [
  ['{'.repeat(10_000) + '1' + '}'.repeat(10_000), '1', 'nesting'],
  ['\\boxed{' + '{'.repeat(10_000) + '1' + '}'.repeat(10_000) + '}', '1', 'nesting'],
  ['\\frac{'.repeat(5_000) + '1', '1', 'nesting'],
  ['10^{100000}', '1', 'exponent'],
  ['2^{99999999}', '2', 'exponent'],
  ['1e100000', '1', 'exponent'],
  ['10^{10^{10^{10}}}', '1', 'exponent'],
  ['5', '10^{100000}', 'exponent'],
  ['9'.repeat(5_000), '1', 'long'],
  ['1'.repeat(1_000_000), '1', 'long'],
  ['x+'.repeat(500_000) + 'x', 'x', 'long'],
  ['(' .repeat(3000), '1', 'nesting'],
];

describe('pathological inputs', () => {
  it.each(CASES)('returns null fast (%#, %s)', (answer, reference) => {
    const t = performance.now();
    const v = checkEquivalence(answer.length > 100 ? answer : answer, reference, { bare: true });
    const ms = performance.now() - t;
    expect(v.equivalent).toBeNull();
    expect(v.reason).toMatch(/refused|too|unsupported/);
    expect(ms).toBeLessThan(100);
  });
  it('also bounds whole responses of 1 MB', () => {
    const t = performance.now();
    const v = checkEquivalence('z '.repeat(500_000), '5');
    expect(performance.now() - t).toBeLessThan(100);
    expect(v.equivalent === null || v.equivalent === false).toBe(true);
  });
});

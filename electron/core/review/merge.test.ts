import { describe, expect, it } from 'vitest';
import { matchLines, merge3 } from './merge';

/** Length of a longest common subsequence, by dynamic programming (the reference). */
function lcs(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  return dp[0]![0]!;
}

describe('line diff and three-way merge', () => {
  it('matches a longest common subsequence of lines (random cases against dynamic programming)', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let t = 0; t < 500; t++) {
      const gen = () => Array.from({ length: Math.floor(rnd() * 25) }, () => 'abcde'[Math.floor(rnd() * 5)] as string);
      const a = gen();
      const b = gen();
      const m = matchLines(a, b);
      let last = -1;
      let n = 0;
      for (let i = 0; i < a.length; i++) {
        const j = m[i] as number;
        if (j < 0) continue;
        expect(a[i]).toBe(b[j]);
        expect(j).toBeGreaterThan(last);
        last = j;
        n++;
      }
      expect(n).toBe(lcs(a, b));
    }
  });

  it('takes one-sided and identical changes, and marks overlapping ones', () => {
    const base = 'a\nb\nc\nd\ne';
    expect(merge3(base, 'a\nB\nc\nd\ne', 'a\nb\nc\nD\ne')).toEqual({ text: 'a\nB\nc\nD\ne', clean: true });
    expect(merge3(base, 'x\na\nb\nc\nd\ne', 'a\nb\nc\nd\ne\ny')).toEqual({ text: 'x\na\nb\nc\nd\ne\ny', clean: true });
    expect(merge3(base, 'a\nc\nd\ne', 'a\nb\nc\nd')).toEqual({ text: 'a\nc\nd', clean: true });
    expect(merge3(base, 'a\nSAME\nc\nd\ne', 'a\nSAME\nc\nd\ne')).toEqual({ text: 'a\nSAME\nc\nd\ne', clean: true });
    expect(merge3(base, 'a\nB\nc\nd\ne', 'a\nX\nc\nd\ne')).toEqual({ text: 'a\n<<<<<<< mine\nB\n||||||| base\nb\n=======\nX\n>>>>>>> theirs\nc\nd\ne', clean: false });
  });
});

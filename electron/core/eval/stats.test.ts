import { describe, expect, it } from 'vitest';
import { compareModels, comparisonSentence } from './compare';
import { generationSeed, repeatSeed } from './job';
import { computeCells, passKs, type LightResult } from './score';
import { bootstrapMean, mulberry32, pairedBootstrap, passAtK, quantileSorted, seedFrom } from './stats';
import type { RunConfig } from './types';

/** C(n, k) the slow way, to check the stable product against the definition. */
function choose(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

describe('pass@k (unbiased estimator, Chen et al. 2021)', () => {
  it('gives the known values', () => {
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12);
    expect(passAtK(5, 2, 1)).toBeCloseTo(0.4, 12);
    expect(passAtK(4, 0, 2)).toBe(0);
    expect(passAtK(4, 3, 2)).toBe(1); // n − c < k: every draw of 2 holds a correct one
    expect(passAtK(10, 3, 10)).toBe(1);
    expect(passAtK(1, 1, 1)).toBe(1);
  });

  it('equals 1 − C(n−c,k)/C(n,k) everywhere, and stays finite where the coefficients overflow', () => {
    for (let n = 1; n <= 20; n++) for (let c = 0; c <= n; c++) for (let k = 1; k <= n; k++) expect(passAtK(n, c, k)).toBeCloseTo(1 - choose(n - c, k) / choose(n, k), 10);
    const big = passAtK(2000, 3, 500);
    expect(Number.isFinite(big)).toBe(true);
    expect(big).toBeCloseTo(1 - (1500 * 1499 * 1498) / (2000 * 1999 * 1998), 10);
  });

  it('refuses impossible counts', () => {
    expect(() => passAtK(3, 4, 1)).toThrow(RangeError);
    expect(() => passAtK(3, 1, 4)).toThrow(RangeError);
  });

  it('reports k = 2, 4, 8 … up to the samples per question, plus the run’s own k', () => {
    expect(passKs(1, 1)).toEqual([]);
    expect(passKs(6, 3)).toEqual([2, 3, 4]);
    expect(passKs(16, 16)).toEqual([2, 4, 8, 16]);
  });
});

describe('bootstrap intervals', () => {
  it('percentiles interpolate as numpy does', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([0, 10], 0.025)).toBeCloseTo(0.25, 12);
  });

  it('collapses to the mean when nothing varies, and covers everything when it can', () => {
    expect(bootstrapMean([[1, 1], [1], [1, 1, 1]], 1)).toEqual({ mean: 1, lo: 1, hi: 1 });
    const two = bootstrapMean([[1], [0]], 7, { inner: false }) as { mean: number; lo: number; hi: number };
    expect(two).toEqual({ mean: 0.5, lo: 0, hi: 1 });
    expect(bootstrapMean([[], []], 1)).toBeNull();
  });

  it('matches the normal-theory width on a large table: 400 questions at 50 % give ±4.9 points', () => {
    const groups = Array.from({ length: 400 }, (_, i) => [i % 2]);
    const e = bootstrapMean(groups, 42, { inner: false }) as { mean: number; lo: number; hi: number };
    expect(e.mean).toBe(0.5);
    // 1.96 × sqrt(0.25 / 400) = 0.049; the percentile bootstrap lands within half a point of it.
    expect(e.lo).toBeGreaterThan(0.451 - 0.005);
    expect(e.lo).toBeLessThan(0.451 + 0.005);
    expect(e.hi).toBeGreaterThan(0.549 - 0.005);
    expect(e.hi).toBeLessThan(0.549 + 0.005);
  });

  it('resampling samples within questions widens the interval (the samples’ own noise is counted)', () => {
    const groups = Array.from({ length: 50 }, () => [1, 0, 1, 0]);
    const outer = bootstrapMean(groups, 3, { inner: false }) as { lo: number; hi: number };
    const both = bootstrapMean(groups, 3) as { lo: number; hi: number };
    expect(outer.hi - outer.lo).toBe(0); // every question is at 50 %: drawing questions changes nothing
    expect(both.hi - both.lo).toBeGreaterThan(0.1);
  });

  it('the exact binomial draw for 0/1 samples gives the interval that drawing sample by sample gives', () => {
    // Values 0/2 take the sample-by-sample path; halved, they are the same resample of 0/1 values.
    const groups = Array.from({ length: 60 }, (_, i) => Array.from({ length: 8 }, (_, j) => ((i * 5 + j * 3) % 7 < i % 8 ? 1 : 0)));
    const fast = bootstrapMean(groups, 21)!;
    const slow = bootstrapMean(groups.map((g) => g.map((x) => 2 * x)), 22)!;
    expect(fast.mean).toBeCloseTo(slow.mean / 2, 12);
    expect(Math.abs(fast.lo - slow.lo / 2)).toBeLessThan(0.012);
    expect(Math.abs(fast.hi - slow.hi / 2)).toBeLessThan(0.012);
    expect(fast.hi - fast.lo).toBeGreaterThan(0.05);
  });

  it('is reproducible from its seed, and another seed gives another (close) interval', () => {
    const groups = Array.from({ length: 30 }, (_, i) => [i % 3 === 0 ? 1 : 0, i % 2, 1]);
    const a = bootstrapMean(groups, seedFrom(0, 'accuracy', 'm', 'b', 0));
    const b = bootstrapMean(groups, seedFrom(0, 'accuracy', 'm', 'b', 0));
    const c = bootstrapMean(groups, seedFrom(1, 'accuracy', 'm', 'b', 0));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(Math.abs((c as { lo: number }).lo - (a as { lo: number }).lo)).toBeLessThan(0.05);
    const r1 = mulberry32(123);
    const r2 = mulberry32(123);
    expect(Array.from({ length: 5 }, r1)).toEqual(Array.from({ length: 5 }, r2));
  });
});

describe('paired comparison', () => {
  it('a clear difference on the same questions is significant', () => {
    // 40 questions: A right on all, B on the first 10.
    const a = Array.from({ length: 40 }, () => 1);
    const b = Array.from({ length: 40 }, (_, i) => (i < 10 ? 1 : 0));
    const e = pairedBootstrap(a, b, 5)!;
    expect(e.mean).toBe(0.75);
    expect(e.n).toBe(40);
    expect(e.lo).toBeGreaterThan(0.55);
    expect(e.hi).toBeLessThanOrEqual(0.9);
    expect(e.significant).toBe(true);
  });

  it('a difference of two questions in forty, both ways, is not', () => {
    const a = Array.from({ length: 40 }, (_, i) => (i < 22 ? 1 : 0));
    const b = Array.from({ length: 40 }, (_, i) => (i < 20 || i === 39 ? 1 : 0));
    const e = pairedBootstrap(a, b, 5)!;
    expect(e.mean).toBeCloseTo(0.025, 12);
    expect(e.lo).toBeLessThan(0);
    expect(e.hi).toBeGreaterThan(0);
    expect(e.significant).toBe(false);
  });

  it('pairing cancels what the questions share: the same gap is significant paired though the two means overlap', () => {
    // Accuracies vary a lot across questions, but A is always 0.1 above B.
    const b = Array.from({ length: 30 }, (_, i) => (i % 10) / 12);
    const a = b.map((x) => x + 0.1);
    const paired = pairedBootstrap(a, b, 9)!;
    expect(paired.lo).toBeCloseTo(0.1, 10);
    expect(paired.significant).toBe(true);
    const ia = bootstrapMean(a.map((x) => [x]), 9, { inner: false })!;
    const ib = bootstrapMean(b.map((x) => [x]), 9, { inner: false })!;
    expect(ia.lo).toBeLessThan(ib.hi); // unpaired intervals overlap
  });

  it('refuses unequal question lists', () => {
    expect(() => pairedBootstrap([1], [1, 0], 1)).toThrow(RangeError);
  });
});

describe('cells and comparisons from result rows', () => {
  const config: RunConfig = {
    name: null,
    models: [
      { label: 'student', kind: 'onnx', dir: '/s' },
      { label: 'base', kind: 'onnx', dir: '/b' },
    ],
    benchmarks: ['b1'],
    budgets: [{ maxThinking: 64, minThinking: 0, waits: 0 }],
    samples: 2,
    limit: null,
    temperature: 0.7,
    seed: 11,
    maxAnswerTokens: 64,
    waitWord: 'Wait',
    systemPrompt: null,
    judge: null,
    concurrency: 1,
    repeats: 2,
  };
  const row = (model: number, qidx: number, sample: number, correct: boolean): LightResult => ({
    model, benchmark: 'b1', qidx, budget: 0, sample, extracted: correct ? '1' : String(-qidx - 10 * sample - 1), correct: correct ? 1 : 0,
    thinking_tokens: 10, answer_tokens: 2, waits: 0, hit_budget: 0, ttft_ms: 1, total_ms: 2, tokens_per_s: 3, error: null,
  });
  // 20 questions × 2 samples × 2 repeats. student: right on every sample of q < 16; base: right on q < 4 in
  // repeat 0 only (samples 0 and 1), so its per-repeat pass@1 differ.
  const rows: LightResult[] = [];
  for (let q = 0; q < 20; q++) for (let s = 0; s < 4; s++) rows.push(row(0, q, s, q < 16), row(1, q, s, q < 4 && s < 2));

  it('pass@1 per repeat, the mean with its interval, majority per repeat, pass@k', () => {
    const [student, base] = computeCells(config, rows);
    expect(student).toMatchObject({ model: 'student', n: 20, samples: 80, repeats: 2, accuracy: 0.8, accuracyByRepeat: [0.8, 0.8], majority: 0.8 });
    expect(student!.accuracyCi![0]).toBeLessThan(0.8);
    expect(student!.accuracyCi![1]).toBeGreaterThan(0.8);
    expect(student!.passAtK.map((p) => [p.k, p.value])).toEqual([[2, 0.8], [4, 0.8]]);
    expect(base).toMatchObject({ accuracy: 0.1, accuracyByRepeat: [0.2, 0], majority: 0.1 });
    // base: 4 questions with 2 of 4 right: pass@2 = 1 − C(2,2)/C(4,2) = 5/6; pass@4 = 1.
    expect(base!.passAtK[0]!.value).toBeCloseTo((4 * (5 / 6)) / 20, 12);
    expect(base!.passAtK[1]!.value).toBeCloseTo(4 / 20, 12);
    // The same rows give the same digits.
    expect(computeCells(config, rows)).toEqual(computeCells(config, rows));
  });

  it('student − base is significant; student − student-like is not, and the sentence says so', () => {
    const [c] = compareModels(config, rows, 'student', 'base');
    expect(c).toMatchObject({ a: 'student', b: 'base', n: 20, accuracyA: 0.8, accuracyB: 0.1, significant: true, aBetter: 16, bBetter: 0 });
    expect(c!.diff).toBeCloseTo(0.7, 12);
    expect(comparisonSentence(c!)).toMatch(/^student − base on b1 \[max 64\]: \+70\.0 points .*: significant, student is ahead and the interval leaves out 0\.$/);
    // Two models that differ on one question each way.
    const near = rows.filter((r) => r.model === 0).flatMap((r) => [r, { ...r, model: 1, correct: (r.qidx === 0 ? 0 : r.qidx === 17 ? 1 : r.correct) }]);
    const [d] = compareModels(config, near, 'student', 'base');
    expect(d).toMatchObject({ diff: 0, significant: false, aBetter: 1, bBetter: 1 });
    expect(comparisonSentence(d!)).toContain('not significant, the interval contains 0');
  });

  it('seeds: the first repeat keeps seed + sample; later repeats get their own, reproducibly', () => {
    expect([0, 1].map((s) => generationSeed({ seed: 7, samples: 2 }, s))).toEqual([7, 8]);
    const r1 = repeatSeed(7, 1);
    expect(generationSeed({ seed: 7, samples: 2 }, 2)).toBe(r1);
    expect(generationSeed({ seed: 7, samples: 2 }, 3)).toBe(r1 + 1);
    expect(r1).not.toBe(7);
    expect(repeatSeed(7, 1)).toBe(r1);
    expect(repeatSeed(7, 2)).not.toBe(r1);
  });
});

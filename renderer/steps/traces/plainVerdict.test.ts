import { describe, expect, it } from 'vitest';
import { plainVerdict } from './plainVerdict';
import type { Verdict } from './types';

const v = (o: Partial<Verdict>): Verdict => ({ traceId: 1, equivalent: null, method: 'none', reason: '', extracted: null, judge: null, checkedAt: '', ...o });

describe('plainVerdict', () => {
  it('says the trace was cut when no answer was found in a response that hit the token limit', () => {
    expect(plainVerdict(v({ reason: 'no final answer found in the response' }), 'length').key).toBe('cutNoAnswer');
    expect(plainVerdict(v({ reason: 'no final answer found in the response' }), 'stop').key).toBe('noAnswer');
  });

  it('turns checker jargon into right, wrong (possibly unfinished) or undecided', () => {
    expect(plainVerdict(v({ equivalent: false, method: 'symbolic', reason: 'symbolic: differs at h,a,v≈0.7318 (5.13e+90 vs 0)', extracted: 'h a v' }), 'length')).toEqual({ key: 'wrongCut', answer: 'h a v' });
    expect(plainVerdict(v({ equivalent: true, method: 'numeric', extracted: '42' }), 'stop').key).toBe('correct');
    expect(plainVerdict(v({ equivalent: false, method: 'judge', extracted: 'x' }), 'stop').key).toBe('wrongJudge');
    expect(plainVerdict(v({ reason: "could not parse answer 'foo'", extracted: 'foo' }), 'stop').key).toBe('unreadable');
    expect(plainVerdict(v({ reason: 'inequalities differ in writing; rules cannot decide', extracted: 'x>1' }), 'stop').key).toBe('undecided');
  });
});

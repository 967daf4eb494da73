import { describe, expect, it } from 'vitest';
import { chunks } from '../Preview';
import { isStepStart, stepFolds } from './steps';

describe('reasoning steps of a trace', () => {
  it('recognises step markers and numbered steps at the start of a line only', () => {
    for (const l of ['Wait, that is wrong.', 'Alternatively, factor it.', 'But then x = 2.', 'Hmm, check.', '1. Expand.', '  12) Next.', 'Step 3: add.', '步骤 2：相加。', '第3步', '等等，再检查一下。']) expect(isStepStart(l), l).toBe(true);
    for (const l of ['So we wait for it.', 'Butter is not a marker.', '3.5 is a number.', 'x = 1. Then', '']) expect(isStepStart(l), l).toBe(false);
  });

  it('folds each step up to the next one, leaves one-line steps and trailing blank lines out, and folds <think> blocks', () => {
    const lines = ['<think>', 'Intro.', '1. First step', 'more of it', '', 'Wait, one line.', '2. Second', 'end of second', '</think>', 'Answer'];
    expect(stepFolds(lines)).toEqual([
      { start: 1, end: 9, kind: 'think' },
      { start: 3, end: 4, kind: 'step' },
      { start: 7, end: 8, kind: 'step' },
    ]);
  });
});

describe('preview blocks', () => {
  it('split long text at blank lines, never inside display math, and lose nothing', () => {
    const para = (i: number) => `Paragraph ${i} ${'x'.repeat(500)}`;
    const text = [para(1), para(2), `$$\n${'a'.repeat(1200)}\n\n${'b'.repeat(400)}\n$$`, para(3), para(4), para(5)].join('\n\n');
    const c = chunks(text);
    expect(c.length).toBeGreaterThan(1);
    expect(c.join('\n\n')).toBe(text);
    for (const b of c) expect((b.match(/\$\$/g)?.length ?? 0) % 2).toBe(0);
  });
});

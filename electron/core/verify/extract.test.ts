import { describe, expect, it } from 'vitest';
import { extractAnswer } from './extract';

const T: [string, string | null, string][] = [
  ['The answer is \\boxed{42}.', '42', 'boxed'],
  ['\\boxed{\\frac{1}{2}} and later \\boxed{\\frac{\\sqrt{3}}{2}}', '\\frac{\\sqrt{3}}{2}', 'boxed'],
  ['\\boxed{\\{1, 2\\}}', '\\{1, 2\\}', 'boxed'],
  ['so $\\boxed 5$', '5', 'boxed'],
  ['\\fbox{7}', '7', 'boxed'],
  ['\\boxed{\\frac{1}{2', '\\frac{1}{2', 'boxed-unbalanced'],
  ['\\boxed{} then \\boxed{3}', '3', 'boxed'],
  ['\\boxed{3} then \\boxed{}', '3', 'boxed'],
  ['<think>\\boxed{1}</think>The result is \\boxed{2}', '2', 'after-think+boxed'],
  ['<think>I think 1</think>\nFinal Answer: 9', '9', 'after-think+answer-line'],
  ['<think>thinking only, \\boxed{4}</think>', '4', 'boxed'],
  ['Lots of work\nFinal Answer: $\\frac{3}{4}$', '\\frac{3}{4}', 'answer-line'],
  ['Work\n**Final Answer:** **12**', '12', 'answer-line'],
  ['Work\nAnswer: 12.', '12', 'answer-line'],
  ['Work\nFinal Answer:\n\n\\[ 3\\sqrt{2} \\]', '3\\sqrt{2}', 'answer-line'],
  ['推理过程\n答案：36', '36', 'answer-line'],
  ['推理\n最终答案：$x=2$', 'x=2', 'answer-line'],
  ['Work\nAnswer: (B) 42', 'B', 'answer-line+choice'],
  ['Work\nAnswer: B. forty-two', 'B', 'answer-line+choice'],
  ['So the answer is (C).', 'C', 'answer-is+choice'],
  ['So the final answer is $7$ cm.', '7', 'answer-is'],
  ['Hence the answer is **B**', 'B', 'answer-is+choice'],
  ['(D)', 'D', 'choice'],
  ['所以答案是 $\\frac{1}{2}$。', '\\frac{1}{2}', 'answer-line'],
  ['Thus the correct option is (A).', 'A', 'answer-is+choice'],
  ['Final Answer: The final answer is $5$. I hope it is correct.', '5', 'answer-line'],
  ['**Final Answer**\n\n\\[\n\\boxed{\\dfrac{7}{2}}\n\\]', '\\dfrac{7}{2}', 'boxed'],
  ['27 miles', '27 miles', 'bare'],
  ['50%', '50%', 'bare'],
  ['', null, 'empty'],
  ['   ', null, 'empty'],
];

describe('extractAnswer', () => {
  it.each(T)('%j → %j', (input, expected, how) => {
    const r = extractAnswer(input);
    expect(r.extracted).toBe(expected);
    expect(r.how).toBe(how);
  });
  it('falls back to the last displayed math, then the last number, in long text', () => {
    const long = 'x'.repeat(300) + '\nWe compute things and get $y = 3$ then finally $\\frac{5}{2}$ is it.\nDone.';
    expect(extractAnswer(long)).toEqual({ extracted: '\\frac{5}{2}', how: 'last-math' });
    const nums = 'word '.repeat(60) + '\nso we have 12 apples and then 15 remain in total.\nThat is all.';
    expect(extractAnswer(nums)).toEqual({ extracted: '15', how: 'last-number' });
  });
  it('strips think delimiters a model wrote into its answer (issue 17 item 5)', () => {
    expect(extractAnswer('The building is the highest</think>')).toEqual({ extracted: 'The building is the highest', how: 'bare' });
    expect(extractAnswer('Reasoning first.\nFinal Answer: highest</think>')).toEqual({ extracted: 'highest', how: 'answer-line' });
    expect(extractAnswer('So the answer is 12</think>')).toEqual({ extracted: '12', how: 'answer-is' });
    expect(extractAnswer('<think>work</think>The answer is highest</think>').extracted).toBe('highest');
    expect(extractAnswer('<|begin_of_thought|>try 3<|end_of_thought|>\n<|begin_of_solution|>\nAnswer: 4<|end_of_solution|>')).toEqual({ extracted: '4', how: 'after-think+answer-line' });
    expect(extractAnswer('<thinking>hmm</thinking>Final Answer: 7</thinking>')).toEqual({ extracted: '7', how: 'after-think+answer-line' });
    expect(extractAnswer('◁think▷a◁/think▷Answer: 8◁/think▷').extracted).toBe('8');
    expect(extractAnswer('\\boxed{5}</think>').extracted).toBe('5');
  });
  it('never throws, even on odd input', () => {
    for (const x of ['\\boxed', '\\boxed{', '}}}}', '\\', '$$$', '\\boxed{\\}', '<think>', null as unknown as string, 12 as unknown as string]) {
      expect(() => extractAnswer(x)).not.toThrow();
    }
  });
  it('handles a 1 MB response quickly', () => {
    const big = 'a'.repeat(1_000_000) + '\\boxed{5}';
    const t = performance.now();
    expect(extractAnswer(big).extracted).toBe('5');
    expect(performance.now() - t).toBeLessThan(100);
  });
});

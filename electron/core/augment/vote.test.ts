import { describe, expect, it } from 'vitest';
import { voteAnswers, type Sample } from './vote';

const samples = (answers: (string | null)[]): Sample[] => answers.map((response, i) => ({ traceId: 100 + i, sampleIndex: i, response }));

/** A fixed table: K sample answers → the expected majority and agreement. */
const TABLE: { name: string; answers: (string | null)[]; answer: string | null; votes: number; agreement: number; groups: number }[] = [
  { name: 'one half in three notations', answers: ['0.5', '1/2', '\\frac{1}{2}', 'The answer is \\boxed{\\frac{1}{2}}', '\\boxed{0.25}', '2/4', 'Answer: 0.50', '\\boxed{1/3}'], answer: '\\frac{1}{2}', votes: 6, agreement: 0.75, groups: 3 },
  { name: 'fractions that only look different', answers: ['\\dfrac{3}{4}', '0.75', '6/8', '\\boxed{\\frac{3}{4}}', '\\frac{4}{3}'], answer: '\\dfrac{3}{4}', votes: 4, agreement: 0.8, groups: 2 },
  { name: 'free text, case and markup', answers: ['Answer: Paris', 'paris', '\\boxed{\\text{Paris}}', 'Lyon'], answer: 'Paris', votes: 3, agreement: 0.75, groups: 2 },
  { name: 'samples without a final answer vote for nothing', answers: ['\\boxed{7}', '', null, '\\boxed{7}'], answer: '7', votes: 2, agreement: 0.5, groups: 1 },
  { name: 'a tie goes to the earlier group', answers: ['\\boxed{2}', '\\boxed{3}', '\\boxed{3.0}', '\\boxed{2.0}'], answer: '2', votes: 2, agreement: 0.5, groups: 2 },
  { name: 'integers are exact', answers: ['\\boxed{2271380}', '\\boxed{2271381}', '\\boxed{2271380}'], answer: '2271380', votes: 2, agreement: 2 / 3, groups: 2 },
];

describe('pseudo-label vote', () => {
  for (const row of TABLE) {
    it(row.name, async () => {
      const v = await voteAnswers(samples(row.answers));
      expect(v.votes).toBe(row.votes);
      expect(v.samples).toBe(row.answers.length);
      expect(v.agreement).toBeCloseTo(row.agreement, 10);
      expect(v.groups).toHaveLength(row.groups);
      // The majority group's own most common form, not a normalised rewrite.
      expect(v.groups[0]?.forms).toContain(v.answer);
      expect(v.answer).toBe(row.answer);
    });
  }

  it('names the most common form of the winning group', async () => {
    const v = await voteAnswers(samples(['0.5', '\\boxed{1/2}', '\\boxed{1/2}', '\\frac{1}{2}']));
    expect(v).toMatchObject({ answer: '1/2', votes: 4, agreement: 1 });
    expect(v.groups[0]?.forms.sort()).toEqual(['0.5', '1/2', '\\frac{1}{2}']);
  });

  it('asks the judge only about free text the rules cannot match', async () => {
    const asked: [string, string][] = [];
    const judge = async (a: string, b: string) => {
      asked.push([a, b]);
      return /paris/i.test(a) && /paris/i.test(b);
    };
    const v = await voteAnswers(samples(['Answer: Paris', 'Answer: The capital is Paris', 'Answer: Lyon', '\\boxed{3}', '\\boxed{4}']), judge);
    expect(v).toMatchObject({ answer: 'Paris', votes: 2, judged: expect.any(Number) });
    expect(v.agreement).toBeCloseTo(0.4, 10);
    // 3 vs 4 is decided by the rules (numbers): never sent to the judge.
    expect(asked.some(([a, b]) => a === '3' || b === '3' || b === '4')).toBe(false);
    expect(asked).toContainEqual(['Paris', 'The capital is Paris']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatServer, type ChatServer } from '../augment/testing';
import { agreementOf, trustWarning } from './calibration';
import { judge, judgeRubric } from './judge';
import { rubricSchema, scoreRubricReply } from './rubric';

const rubric = rubricSchema.parse({
  criteria: [
    { name: 'Correct diagnosis', description: 'names the fault the reference names', weight: 3 },
    { name: 'Safety', description: 'says to switch the power off first', weight: 1 },
  ],
  threshold: 0.7,
});

let server: ChatServer;
beforeAll(async () => {
  // A scripted judge: per-criterion JSON after some thinking, inside a code fence; a Yes/No line for the old mode.
  server = await startChatServer((prompt) => {
    if (prompt.includes('Criteria:')) {
      const safe = prompt.includes('switch off');
      return `<think>{"scores": "not this"}</think>Here is my grading.\n\`\`\`json\n{"scores": [{"criterion": "Correct diagnosis", "score": 8, "reason": "names the blown fuse"}, {"criterion": "safety", "score": ${safe ? 10 : 0}, "reason": "${safe ? 'says to switch off first' : 'no word on power'}\\nsecond line"}]}\n\`\`\``;
    }
    return 'They match.\nYes';
  });
});
afterAll(() => server.close());

describe('rubric judging', () => {
  it('keeps per-criterion scores with one-line reasons and the weighted total against the threshold', async () => {
    const pass = await judgeRubric({ baseUrl: server.url, model: 'judge', rubric, question: 'The lamp is dead. Why?', reference: 'The fuse blew.', answer: 'The fuse blew; switch off before replacing it.' });
    expect(pass.scores).toEqual([
      { criterion: 'Correct diagnosis', score: 0.8, reason: 'names the blown fuse' },
      { criterion: 'Safety', score: 1, reason: 'says to switch off first' },
    ]);
    expect(pass.total).toBeCloseTo((0.8 * 3 + 1 * 1) / 4, 10); // 0.85
    expect(pass.passed).toBe(true);
    expect(pass.reason).toBe('rubric: 85% ≥ 70% (Correct diagnosis 8/10, Safety 10/10)');

    const fail = await judgeRubric({ baseUrl: server.url, model: 'judge', rubric, question: 'The lamp is dead. Why?', reference: 'The fuse blew.', answer: 'The fuse blew.' });
    expect(fail.total).toBeCloseTo(0.6, 10);
    expect(fail.passed).toBe(false);
  });

  it('says what is missing instead of guessing', () => {
    expect(scoreRubricReply('{"scores": [{"criterion": "Correct diagnosis", "score": 9, "reason": "ok"}]}', rubric)).toMatchObject({ scores: null, passed: null, reason: 'judge: no score from 0 to 10 for the criterion "Safety"' });
    expect(scoreRubricReply('Looks fine to me.', rubric).reason).toMatch(/^judge: reply held no \{"scores": \[\.\.\.\]\} JSON/);
    expect(scoreRubricReply('{"scores": [{"criterion": "Correct diagnosis", "score": 12}, {"criterion": "Safety", "score": 3}]}', rubric).scores).toBeNull();
    expect(() => rubricSchema.parse({ criteria: [] })).toThrow(/at least one criterion/);
  });

  it('leaves the Yes/No judge as it was', async () => {
    expect(await judge({ baseUrl: server.url, model: 'judge', question: 'q', reference: '1', answer: 'one' })).toMatchObject({ equivalent: true, method: 'judge', reason: 'judge: judge said Yes' });
  });
});

describe('calibration', () => {
  // judge vs the user's marks on a fixed table of 10: 8 agree; both say pass 6 times out of 10.
  const judgeSays = [true, true, true, false, false, true, false, true, true, false];
  const userSays = [true, true, false, false, false, true, true, true, true, false];
  it('accuracy and Cohen kappa on a fixed table', () => {
    const a = agreementOf(judgeSays.map((j, i) => [j, userSays[i] as boolean] as const));
    expect(a).toMatchObject({ n: 10, agree: 8, accuracy: 0.8 });
    // pe = 0.6·0.6 + 0.4·0.4 = 0.52; κ = (0.8 − 0.52) / 0.48
    expect(a.kappa).toBeCloseTo(0.28 / 0.48, 10);
    expect(trustWarning(a)).toBe('too_few_marks');
  });
  it('kappa is undefined when one label is all there is, and warnings follow the marks and agreement', () => {
    expect(agreementOf([[true, true], [true, true]])).toMatchObject({ accuracy: 1, kappa: null });
    const perfect = Array.from({ length: 20 }, (_, i) => [i % 3 === 0, i % 3 === 0] as const);
    expect(trustWarning(agreementOf(perfect))).toBeNull();
    const weak = perfect.map(([a], i) => [a, i < 5 ? !a : a] as const); // 15/20 = 0.75
    expect(agreementOf(weak).accuracy).toBe(0.75);
    expect(trustWarning(agreementOf(weak))).toBe('low_agreement');
  });
});

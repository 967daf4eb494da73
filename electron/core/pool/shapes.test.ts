import { describe, expect, it } from 'vitest';
import { detectShape, FIELD_LIMITS, mapRecord, parseMapSpec, resolveMapping, splitThink, type MapResult, type Shape } from './shapes';

const rowOf = (r: MapResult) => {
  if ('error' in r) throw new Error(r.error);
  return r.row;
};
const errorOf = (r: MapResult) => ('error' in r ? r.error : null);
const map = (value: unknown, shape?: Shape) => {
  const s = shape ?? detectShape([value]);
  return mapRecord(value, s, resolveMapping(s, [value]));
};

describe('shape detection and mapping', () => {
  it('tells ShareGPT, s1K, Alpaca and plain records apart from their keys', () => {
    expect(detectShape([{ conversations: [] }])).toBe('sharegpt');
    expect(detectShape([{ messages: [] }])).toBe('sharegpt');
    expect(detectShape([{ question: 'q', cot_type: 'math' }])).toBe('s1k');
    expect(detectShape([{ instruction: 'i', output: 'o' }])).toBe('alpaca');
    expect(detectShape([{ problem: 'p' }, 'not a record', null, [1]])).toBe('plain');
    expect(detectShape([])).toBe('plain');
  });

  it('maps a plain record from the first known column of each field, never one column twice, overrides on top', () => {
    const rec = { Problem: 'p', input: 'also a question name', output: 'o', subject: 'algebra', unique_id: 'u1' };
    expect(resolveMapping('plain', [rec])).toEqual({ question: 'Problem', answer: 'output', domain: 'subject', id: 'unique_id' });
    expect(resolveMapping('plain', [{ question: 'q', answer: 'a' }], { answer: 'gold', domain: '' })).toEqual({ question: 'question', answer: 'gold' });
    expect(resolveMapping('alpaca', [{ instruction: 'i', output: 'o', id: 3 }])).toEqual({ question: 'instruction', input: 'input', answer: 'output', id: 'id' });
  });
});

describe('records to rows', () => {
  it('ShareGPT: the first user turn is the question, the next assistant turn a trace with its thinking', () => {
    const row = rowOf(map({ conversations: [{ from: 'system', value: 's' }, { from: 'human', value: 'Q?' }, { from: 'gpt', value: '<think>step</think>\n42' }], answer: '42' }));
    expect(row).toMatchObject({ question: 'Q?', answer: '42', traces: [{ teacher: null, thinking: 'step', answer: '42' }], metadata: null });
    const r2 = rowOf(map({ messages: [{ role: 'user', content: 'Q2' }, { role: 'assistant', content: 'A', reasoning_content: 'why' }] }));
    expect(r2.traces).toEqual([{ teacher: null, thinking: 'why', answer: 'A' }]);
    expect(rowOf(map({ messages: [{ role: 'user', content: 'only a question' }] })).traces).toEqual([]);
    expect(errorOf(map({ messages: [{ role: 'assistant', content: 'A' }] }))).toBe('missing question (no user turn in "messages")');
    expect(errorOf(map({ messages: 'text' }, 'sharegpt'))).toBe('wrong type: field "messages" should be a list of turns');
    expect(errorOf(map({ messages: [{ role: 'user', content: { text: 'x' } }] }))).toBe('wrong type: the first user turn in "messages" has no text');
  });

  it('s1K: every teacher trajectory becomes a trace, lists of steps joined', () => {
    const row = rowOf(map({ question: 'Q', solution: 'S', cot_type: 'math', thinking_trajectories: ['a', 'b'], attempt: 'A', deepseek_thinking_trajectory: 'd', deepseek_attempt: 'D' }));
    expect(row.traces).toEqual([
      { teacher: 'gemini', thinking: 'a\n\nb', answer: 'A' },
      { teacher: 'deepseek-r1', thinking: 'd', answer: 'D' },
    ]);
    expect(row.metadata).toEqual({ cot_type: 'math' });
  });

  it('Alpaca: the input follows the instruction; a blank input adds nothing', () => {
    expect(rowOf(map({ instruction: 'Solve:', input: 'x+1=2', output: '1' })).question).toBe('Solve:\n\nx+1=2');
    expect(rowOf(map({ instruction: 'Solve:', input: '  ', output: '1' })).question).toBe('Solve:');
  });

  it('rejects a row with one reason: not a record, missing, empty, wrong type, too long', () => {
    expect(errorOf(map([1, 2], 'plain'))).toBe('wrong type: expected a record (an object with fields), got a list');
    expect(errorOf(map(null, 'plain'))).toBe('wrong type: expected a record (an object with fields), got null');
    expect(errorOf(map({ answer: '1' }, 'plain'))).toBe('missing question (no column is mapped to the question)');
    expect(errorOf(mapRecord({ q: 1 }, 'plain', { question: 'question' }))).toBe('missing question (no field "question")');
    expect(errorOf(map({ question: ' \n ' }))).toBe('empty question');
    expect(errorOf(map({ question: { text: 'q' } }))).toBe('wrong type: field "question" (question) is a object, expected text');
    expect(errorOf(map({ question: 'q', answer: ['a'] }))).toBe('wrong type: field "answer" (answer) is a list, expected text');
    const long = 'x'.repeat(FIELD_LIMITS.question + 1);
    expect(errorOf(map({ question: long }))).toBe(`field over the size limit: "question" (question) has ${long.length} characters, at most ${FIELD_LIMITS.question}`);
  });

  it('keeps numbers as text, trims the domain, and keeps short unmapped fields as metadata', () => {
    const row = rowOf(map({ question: 7, answer: 0, domain: '  geometry ', id: 12, source: 'aime', extra: null, blob: 'y'.repeat(5000) }));
    expect(row).toMatchObject({ question: '7', answer: '0', domain: 'geometry', extId: '12', metadata: { source: 'aime' } });
    expect(rowOf(map({ question: 'q', domain: '   ' })).domain).toBeNull();
  });
});

describe('splitThink', () => {
  it('splits <think> and <thinking> blocks in any case, and keeps a cut-off block as thinking', () => {
    expect(splitThink('<think> a </think> b')).toEqual({ thinking: 'a', answer: 'b' });
    expect(splitThink('pre <THINKING>x</THINKING> post')).toEqual({ thinking: 'x', answer: 'pre  post' });
    expect(splitThink('  <think>never closed')).toEqual({ thinking: 'never closed', answer: '' });
    expect(splitThink('no tags')).toEqual({ thinking: null, answer: 'no tags' });
  });
});

describe('parseMapSpec', () => {
  it('reads FIELD=COLUMN pairs and names the bad entry', () => {
    expect(parseMapSpec(' question = Problem , answer=Answer,')).toEqual({ question: 'Problem', answer: 'Answer' });
    expect(parseMapSpec('')).toEqual({});
    expect(parseMapSpec('question')).toBe('"question" is not FIELD=COLUMN');
    expect(parseMapSpec('answer=')).toBe('"answer=" is not FIELD=COLUMN');
    expect(parseMapSpec('title=t')).toMatch(/^"title" is not a field \(use question, answer, solution, domain, id, thinking, attempt, messages, input\)$/);
  });
});

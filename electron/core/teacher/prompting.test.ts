import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProject } from '../store/project';
import { DEFAULT_PROMPT } from './params';
import { alreadyContains, buildPrompt, getPrompting, REASONING_PROMPT, setPrompting, splitBeforeAnswer } from './prompting';
import { saveTeacher } from './store';
import { splitReasoning } from './stream';

const vars = (question: string) => ({ question, answer: null, domain: null, id: 1 });
const count = (s: string, sub: string) => s.split(sub).length - 1;

describe('buildPrompt: the instruction is not appended twice (issue 17 item 4)', () => {
  it('keeps the default instruction for a plain question', () => {
    expect(buildPrompt(DEFAULT_PROMPT, vars('What is 2+2?'))).toBe('What is 2+2?\n\nPlease reason step by step, and put your final answer within \\boxed{}.');
  });
  it('drops it when the question already carries it, whatever the spacing and case', () => {
    const q = 'What is 2+2?\nplease  reason step by step,\nand put your final answer within \\boxed{}';
    const p = buildPrompt(DEFAULT_PROMPT, vars(q));
    expect(p).toBe(q);
    expect(count(p.toLowerCase(), 'reason step by step')).toBe(1);
  });
  it('drops it when the question carries the Chinese instruction (full-width punctuation too)', () => {
    const q = '求 2+2。请逐步推理，并把最终答案放在 \\boxed{} 中。';
    expect(buildPrompt(DEFAULT_PROMPT, vars(q))).toBe(q);
    expect(alreadyContains('求 2+2。请逐步推理,并把最终答案放在\\boxed{}中', '请逐步推理，并把最终答案放在 \\boxed{} 中。')).toBe(true);
  });
  it('keeps other paragraphs of a template and never drops short labels', () => {
    const tpl = 'Question: {question}\n\nUse SI units in every step of the answer.\n\nPlease reason step by step, and put your final answer within \\boxed{}.';
    const p = buildPrompt(tpl, vars('A ball falls 2 m. Please reason step by step, and put your final answer within \\boxed{}.'));
    expect(p.startsWith('Question: A ball falls 2 m.')).toBe(true);
    expect(p).toContain('Use SI units in every step of the answer.');
    expect(count(p, 'Please reason step by step')).toBe(1);
  });
  it('appends the reasoning prompt in the question language, once', () => {
    const en = buildPrompt(DEFAULT_PROMPT, vars('What is 2+2?'), { mode: 'prompt', prompt: null });
    expect(en.endsWith(REASONING_PROMPT.en)).toBe(true);
    const zh = buildPrompt(DEFAULT_PROMPT, vars('一个三角形的内角和是多少度？'), { mode: 'prompt', prompt: null });
    expect(zh.endsWith(REASONING_PROMPT.zh)).toBe(true);
    const already = buildPrompt('{question}', vars(`What is 2+2? ${REASONING_PROMPT.zh}`), { mode: 'prompt', prompt: null });
    expect(already).not.toContain(REASONING_PROMPT.en);
    expect(buildPrompt('{question}', vars('Q'), { mode: 'prompt', prompt: 'Think in <think> tags, please, then answer.' })).toBe('Q\n\nThink in <think> tags, please, then answer.');
    expect(buildPrompt('{question}', vars('Q'), { mode: 'split', prompt: null })).toBe('Q');
  });
});

describe('split mode: the text before the final answer is the thinking (issue 17 item 3)', () => {
  const content = 'First, 7 + 5: count up from 7.\n\n8, 9, 10, 11, 12.\n\nThe answer is \\boxed{12}.';
  it('splits at the last paragraph with an answer mark', () => {
    const r = splitBeforeAnswer(splitReasoning('', null, content), content);
    expect(r).toEqual({ thinking: 'First, 7 + 5: count up from 7.\n\n8, 9, 10, 11, 12.', answer: 'The answer is \\boxed{12}.', reasoningSource: 'split', flags: ['split_thinking'] });
  });
  it('leaves a one-paragraph answer flagged no_thinking, and real thinking untouched', () => {
    expect(splitBeforeAnswer(splitReasoning('', null, '12'), '12').flags).toEqual(['no_thinking']);
    const tagged = '<think>hmm</think>\n\nfirst\n\nAnswer: 3';
    expect(splitBeforeAnswer(splitReasoning('', null, tagged), tagged)).toMatchObject({ thinking: 'hmm', reasoningSource: 'think_tag' });
  });
});

describe('per-teacher prompt settings in the project file', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-prompting-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  it('are stored, survive a connection edit, and refuse a template without {question}', () => {
    process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
    const p = createProject(path.join(tmp, 'p'), 'x');
    try {
      saveTeacher(p.db, { name: 'smol', baseUrls: ['http://127.0.0.1:9/v1'], model: 'm' });
      expect(getPrompting(p.db, 'smol')).toEqual({ promptTemplate: null, reasoningMode: 'native', reasoningPrompt: null });
      setPrompting(p.db, { name: 'smol', promptTemplate: 'Q: {question}', reasoningMode: 'prompt' });
      saveTeacher(p.db, { name: 'smol', baseUrls: ['http://127.0.0.1:10/v1'], model: 'm2' });
      expect(getPrompting(p.db, 'smol')).toEqual({ promptTemplate: 'Q: {question}', reasoningMode: 'prompt', reasoningPrompt: null });
      expect(() => setPrompting(p.db, { name: 'smol', promptTemplate: 'no placeholder' })).toThrow(/no \{question\} placeholder/);
      expect(() => setPrompting(p.db, { name: 'nobody', reasoningMode: 'split' })).toThrow(/no teacher named "nobody"/);
      expect(setPrompting(p.db, { name: 'smol', promptTemplate: '' }).promptTemplate).toBeNull();
    } finally {
      p.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { wordDiff } from './wordDiff';

describe('wordDiff', () => {
  it('marks only the words in which a member differs from its representative', () => {
    const parts = wordDiff('Compute 7! modulo 97.', 'Compute 7! modulo 35.');
    expect(parts.filter((p) => p.changed).map((p) => p.text)).toEqual(['35']);
    expect(parts.map((p) => p.text).join('')).toBe('Compute 7! modulo 35.');
  });

  it('handles inserted words, Chinese text and identical texts', () => {
    expect(wordDiff('Find the sum.', 'Find the exact sum.').filter((p) => p.changed).map((p) => p.text)).toEqual(['exact']);
    expect(wordDiff('求 3 与 4 的和。', '求 3 与 5 的和。').filter((p) => p.changed).map((p) => p.text)).toEqual(['5']);
    expect(wordDiff('Same text', 'Same text')).toEqual([{ text: 'Same text', changed: false }]);
  });
});

import { describe, expect, it } from 'vitest';
import { UserError } from '../util/errors';
import { NgramIndex, BOILERPLATE_ITEMS } from './decontam';
import { findDuplicates, jaccard, lshParams, shingleSet } from './minhash';
import { normalizeText } from './text';

const base =
  'A bag holds 5 red marbles and 7 blue marbles. Two marbles are drawn at random without replacement. What is the probability that both marbles drawn are red?';

describe('near-duplicate detection (MinHash + LSH)', () => {
  it('handles no texts, empty texts and texts shorter than one shingle', () => {
    expect(findDuplicates([]).pairs).toEqual([]);
    const r = findDuplicates(['', '  ', 'ab', 'AB', 'abc']);
    // Empty texts are exact duplicates of each other; short texts compare by their normalised text.
    expect(r.pairs.map((p) => [p.a, p.b, p.exact])).toEqual([
      [0, 1, true],
      [2, 3, true],
    ]);
    expect(shingleSet('ab', 5)).toHaveLength(1);
    expect(shingleSet('', 5)).toHaveLength(0);
  });

  it('treats case, spacing and math delimiters as the same text', () => {
    const r = findDuplicates(['Find $x + y$ if  x=2 and y=3.', 'find x+y if x = 2 and y = 3.', 'Find x - y if x = 2 and y = 3.']);
    expect(normalizeText('Find $x + y$ if  x=2')).toBe(normalizeText('find x+y if x = 2'));
    expect(r.pairs).toEqual([{ a: 0, b: 1, similarity: 1, exact: true }]);
    expect(r.root[1]).toBe(r.root[0]);
    expect(r.root[2]).toBe(2);
  });

  it('pairs a one-word edit of a long question, not a different question, and puts chains in one cluster', () => {
    const edited = base.replace('at random', 'at random, one after another,');
    const other = 'A box holds 4 green cubes and 9 yellow cubes. Three cubes are taken out. How many ways can all three be yellow, counting order?';
    const r = findDuplicates([base, edited, other, edited.replace('5 red', 'five red')]);
    const near = r.pairs.filter((p) => !p.exact);
    expect(near.length).toBeGreaterThanOrEqual(2);
    for (const p of near) expect(p.similarity).toBeGreaterThanOrEqual(0.8);
    expect(new Set([r.root[0], r.root[1], r.root[3]]).size).toBe(1);
    expect(r.root[2]).toBe(2);
  });

  it('finds near duplicates in Chinese text too', () => {
    const zh = '某公司员工出差报销住宿费，每晚标准为四百元，共住五晚，实际花费两千三百元。超出标准的部分由员工自付，请问员工需要自付多少元？';
    const r = findDuplicates([zh, zh.replace('请问', '问'), '今天天气很好，我们去公园散步吧。']);
    expect(r.pairs.map((p) => [p.a, p.b])).toEqual([[0, 1]]);
  });

  it('computes Jaccard on sorted shingle sets, and LSH bands that keep recall at the threshold', () => {
    const a = shingleSet(normalizeText(base), 5);
    expect(jaccard(a, a)).toBe(1);
    expect(jaccard(new Uint32Array(0), new Uint32Array(0))).toBe(1);
    expect(jaccard(a, new Uint32Array(0))).toBe(0);
    expect([...a]).toEqual([...a].sort((x, y) => x - y));
    for (const t of [0.5, 0.8, 0.95]) {
      const { bands, rows } = lshParams(t, 256);
      expect(bands * rows).toBeLessThanOrEqual(256);
      expect(1 - (1 - t ** rows) ** bands).toBeGreaterThanOrEqual(0.995);
    }
    expect(lshParams(0.8, 256)).toEqual({ bands: 32, rows: 8 });
  });
});

describe('decontamination n-gram index', () => {
  const index = (items: string[], n = 8, set = 'bench') => {
    const ix = new NgramIndex(n);
    items.forEach((text, i) => ix.add({ evalset: set, item: i + 1, text }));
    return ix;
  };

  it('refuses an n that is not a whole number of words', () => {
    expect(() => new NgramIndex(0)).toThrow(UserError);
    expect(() => new NgramIndex(2.5)).toThrow(/The n-gram size must be a whole number of words, at least 1, not 2\.5\./);
  });

  it('flags a question holding a span of an item, with the item and the span, whatever the case and math delimiters', () => {
    const ix = index(['What is the largest prime factor of $2^{10} - 1$, the number of subsets of a ten element set minus one?', base]);
    const hit = ix.match('Homework: What is the LARGEST prime factor of 2^{10} - 1, the number of subsets of a ten element set minus one? Show work.');
    expect(hit).toMatchObject({ evalset: 'bench', item: 1 });
    expect(hit!.grams).toBeGreaterThan(5);
    expect(hit!.overlap).toContain('largest prime factor of 2^{10}');
    expect(ix.match('A completely different question about trains leaving two stations at different speeds toward each other.')).toBeNull();
    expect(ix.match('')).toBeNull();
  });

  it('matches an item shorter than n words only as a whole, and prefers the item with the most shared n-grams', () => {
    const ix = index(['Compute 17 times 23.', base, `${base} Give the answer as a fraction.`]);
    expect(ix.match('compute 17 times 23.')).toMatchObject({ item: 1 });
    expect(ix.match('Please compute 17 times 23 and then add 4.')).toBeNull();
    expect(ix.match(`${base} Give the answer as a fraction.`)).toMatchObject({ item: 3 });
  });

  it('does not flag a question for an instruction that a quarter of a set appends (boilerplate)', () => {
    const suffix = 'Please reason step by step, and put your final answer within a box.';
    const topics = ['cubes', 'spheres', 'cones', 'prisms', 'pyramids', 'cylinders', 'tori', 'rings'];
    const items = topics.map((t, i) => `How many ${t} of side ${i + 2} fit in a crate of side ${i + 20}? ${suffix}`);
    expect(items.length).toBeGreaterThan(BOILERPLATE_ITEMS);
    const ix = index(items);
    expect(ix.match(`Our own new question about shipping containers and pallets in a warehouse. ${suffix}`)).toBeNull();
    expect(ix.match(items[3]!)).toMatchObject({ item: 4 });
  });
});

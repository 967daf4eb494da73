import { describe, expect, it } from 'vitest';
import { expandBudgets, MAX_BUDGETS } from './Budgets';
import { parseBudgets } from './format';

describe('thinking budgets of the Evaluate step', () => {
  it('reads a list of maxima in any order, with commas, spaces or Chinese commas, without duplicates', () => {
    expect(parseBudgets('8192, 512 1024；2048，4096、512')).toEqual([512, 1024, 2048, 4096, 8192]);
    expect(parseBudgets('32, 16')).toEqual([16, 32]);
    expect(parseBudgets('0')).toEqual([0]);
  });

  it('refuses what is not a list of whole numbers within the engine’s limit', () => {
    for (const bad of ['', ' , ', '512, 1k', '-1', '1.5', '200000']) expect(parseBudgets(bad), bad).toBeNull();
  });

  it('crosses maxima with the ticked Waits and clamps the minimum to each maximum', () => {
    const { budgets, error } = expandBudgets({ maxText: '64, 16', minThinking: '32', waits: [2, 0] });
    expect(error).toBeNull();
    expect(budgets).toEqual([
      { maxThinking: 16, minThinking: 16, waits: 0 },
      { maxThinking: 16, minThinking: 16, waits: 2 },
      { maxThinking: 64, minThinking: 32, waits: 0 },
      { maxThinking: 64, minThinking: 32, waits: 2 },
    ]);
  });

  it('names what is wrong: a bad list, a bad minimum, too many budgets', () => {
    expect(expandBudgets({ maxText: 'lots', minThinking: '0', waits: [0] }).error).toBe('evaluate.budgets.badList');
    expect(expandBudgets({ maxText: '512', minThinking: '-3', waits: [0] }).error).toBe('evaluate.budgets.badMin');
    const many = expandBudgets({ maxText: '1, 2, 3, 4, 5', minThinking: '', waits: [0, 1, 2, 3] });
    expect(many.budgets).toHaveLength(20);
    expect(many.budgets.length).toBeGreaterThan(MAX_BUDGETS);
    expect(many.error).toBe('evaluate.budgets.tooMany');
    expect(expandBudgets({ maxText: '512', minThinking: '', waits: [] }).budgets).toEqual([{ maxThinking: 512, minThinking: 0, waits: 0 }]);
  });
});

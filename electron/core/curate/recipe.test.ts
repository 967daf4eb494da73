import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine';
import { createProject } from '../store/project';
import { isUserError } from '../util/errors';
import { curateRouter } from './api';
import { parseRecipe, S1_FORMAT_RULES } from './recipe';

const rule = (over: { pattern: string; enabled: boolean; flags?: string }) => ({ name: 'my_rule', field: 'question' as const, flags: '', ...over });
const withRules = (...rules: ReturnType<typeof rule>[]) => ({ quality: { formatRules: rules } });

function thrown(f: () => unknown): { code: string | null; message: string } {
  try {
    f();
  } catch (e) {
    if (isUserError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('recipe formatting rules', () => {
  it('keeps a disabled rule with an empty pattern (a new rule starts so)', () => {
    const r = parseRecipe(withRules(rule({ pattern: '', enabled: false }), rule({ pattern: '\\bproof\\b', enabled: true })));
    expect(r.quality.formatRules.map((x) => [x.pattern, x.enabled])).toEqual([
      ['', false],
      ['\\bproof\\b', true],
    ]);
  });

  it('keeps a disabled rule whose pattern does not compile', () => {
    expect(parseRecipe(withRules(rule({ pattern: '(', enabled: false }))).quality.formatRules[0]?.pattern).toBe('(');
  });

  it('an enabled rule with an empty pattern is one sentence naming the rule and what to do', () => {
    const e = thrown(() => parseRecipe(withRules(rule({ pattern: '', enabled: true }))));
    expect(e.code).toBe('bad_rule');
    expect(e.message).toBe('The formatting rule "my_rule" is on but its pattern is empty; type a regular expression or turn the rule off.');
  });

  it('an enabled rule whose regex does not compile names the rule and the regex error', () => {
    const e = thrown(() => parseRecipe(withRules(rule({ pattern: 'a(b', enabled: true }))));
    expect(e.code).toBe('bad_rule');
    expect(e.message).toMatch(/^The formatting rule "my_rule" is not a valid regular expression \(.*Unterminated group.*\); correct its pattern or turn the rule off\.$/);
  });

  it('the default rules parse', () => {
    expect(parseRecipe({}).quality.formatRules.map((r) => r.name)).toEqual(S1_FORMAT_RULES.map((r) => r.name));
  });
});

describe('curate.preview with such rules (as the Curate step calls it)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-recipe-'));
  const engine = new Engine({ mode: 'cli' });
  const api = curateRouter.createCaller({ engine });
  beforeAll(async () => {
    createProject(path.join(tmp, 'p'), 'p').close();
    await engine.open(path.join(tmp, 'p'));
  });
  afterAll(async () => {
    await engine.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('runs with a disabled empty rule, and refuses an enabled one with the sentence (not a schema error)', async () => {
    const ok = await api.preview({ recipe: withRules(rule({ pattern: '', enabled: false })), sample: 0 });
    expect(ok.funnel).toBeDefined();
    await expect(api.preview({ recipe: withRules(rule({ pattern: '', enabled: true })), sample: 0 })).rejects.toThrow('The formatting rule "my_rule" is on but its pattern is empty');
  });
});

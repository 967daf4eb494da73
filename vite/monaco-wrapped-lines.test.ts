import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// Through vitest.config.ts this is the patched module, as the renderer's build ships it.
import { LineTokens } from 'monaco-editor/esm/vs/editor/common/tokens/lineTokens.js';
import { LINE_TOKENS, patchLineTokens } from './monaco-wrapped-lines';

const codec = { encodeLanguageId: () => 0, decodeLanguageId: () => 'distillery-trace' };
const line = (parts: [string, number][]) => LineTokens.createFromTextAndMetadata(parts.map(([text, metadata]) => ({ text, metadata })), codec);
/** Whether the view line showing [start, end) of `a` and of `b` has the same render input as far as tokens go. */
const same = (a: LineTokens, b: LineTokens, start: number, end: number, endB = end) => a.sliceAndInflate(start, end, 0).equals(b.sliceAndInflate(start, endB, 0));

describe('Monaco patch: a wrapped line compares only its own slice', () => {
  const before = line([['Wait, ', 1], ['the reviewer adds ', 2], ['$x^2$', 3]]);
  const grown = line([['Wait, ', 1], ['the reviewer adds ', 2], ['$x^2$ and checks it again', 3]]);

  it('leaves the earlier wrapped lines of a paragraph alone when it grows at the end', () => {
    // Monaco as shipped: false (the whole paragraph's text differs), so every view line was rewritten.
    expect(same(before, grown, 0, 12)).toBe(true);
    expect(same(before, grown, 12, 24)).toBe(true);
    // The view line holding the edit still differs and is rewritten.
    expect(same(before, grown, 24, 29, 45)).toBe(false);
  });

  it('also when the paragraph is one token running through all its wrapped lines', () => {
    const plain = line([['Wait', 1], [', the reviewer checks every term once more', 2]]);
    const longer = line([['Wait', 1], [', the reviewer checks every term once more and again', 2]]);
    expect(same(plain, longer, 0, 16)).toBe(true);
    expect(same(plain, longer, 16, 32)).toBe(true);
    expect(same(plain, longer, 32, 46, 56)).toBe(false);
    // The token still has to reach the slice's end in both.
    expect(same(plain, line([['Wait', 1], [', the revie', 2], ['wer', 3]]), 0, 16)).toBe(false);
  });

  it('still differs on a changed character, token boundary, colour or position', () => {
    expect(same(before, line([['Wait, ', 1], ['thX reviewer adds ', 2], ['$x^2$', 3]]), 0, 12)).toBe(false);
    expect(same(before, line([['Wait,', 1], [' the reviewer adds ', 2], ['$x^2$', 3]]), 0, 12)).toBe(false);
    expect(same(before, line([['Wait, ', 5], ['the reviewer adds ', 2], ['$x^2$', 3]]), 0, 12)).toBe(false);
    expect(before.sliceAndInflate(0, 12, 0).equals(before.sliceAndInflate(1, 12, 0))).toBe(false);
    expect(same(before, line([['Wait', 1]]), 0, 12)).toBe(false);
  });

  it('patches the installed monaco-editor exactly where it expects, and refuses code it does not know', () => {
    const installed = fs.readFileSync(path.join(process.cwd(), 'node_modules', LINE_TOKENS), 'utf8');
    const patched = patchLineTokens(installed);
    expect(installed).not.toContain('__distillerySliceEquals');
    expect(patched.match(/__distillerySliceEquals\(/g)).toHaveLength(2);
    expect(() => patchLineTokens(installed.replace('this._source.slicedEquals(', 'this._source.otherEquals('))).toThrow(/monaco-editor was upgraded/);
  });
});

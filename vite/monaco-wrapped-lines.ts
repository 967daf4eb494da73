import type { Plugin } from 'vite';

/**
 * Monaco re-renders every wrapped line of a paragraph on each keystroke in it, not only the one that changed.
 *
 * With word wrap on, a model line (a paragraph of a trace) is shown as several view lines, each rendered
 * from a slice of the line's tokens (SliceLineTokens). A view line is rewritten only when its render input
 * differs from the last one, but a slice compares equal only when the *whole* model line's text is the same,
 * so typing at the end of a 600-character paragraph rewrites and lays out all of its ~8 view lines, every key.
 *
 * This patch makes a slice compare what it renders: the same offsets, the same text between them and the same
 * tokens inside them (their ends, cut at the slice's end, and metadata). The view line that changed still differs and is rewritten; the
 * others are left alone. Applied to monaco-editor's ESM source at build time (Vite `transform`), and the
 * build fails if the code it patches is no longer there (a Monaco upgrade must look at it again).
 */
export const LINE_TOKENS = 'monaco-editor/esm/vs/editor/common/tokens/lineTokens.js';
const WHOLE_LINE_COMPARE = '&& this._source.slicedEquals(other._source, this._firstTokenIndex, this._tokensCount)';
const SLICE_COMPARE =
  '&& this._firstTokenIndex === other._firstTokenIndex && this._tokensCount === other._tokensCount' +
  ' && __distillerySliceEquals(this._source, other._source, this._startOffset, this._endOffset, this._firstTokenIndex, this._tokensCount)';
const HELPER = `
/** Distillery (vite/monaco-wrapped-lines.ts): two lines' tokens agree over one slice: its text, token ends and metadata. */
function __distillerySliceEquals(a, b, start, end, firstToken, count) {
    const ta = a.getLineContent(), tb = b.getLineContent();
    if (ta.length < end || tb.length < end) {
        return false;
    }
    for (let i = start; i < end; i++) {
        if (ta.charCodeAt(i) !== tb.charCodeAt(i)) {
            return false;
        }
    }
    // A token that runs on past the slice (a plain-text paragraph is often one token) is compared up to its end.
    for (let i = firstToken; i < firstToken + count; i++) {
        if (Math.min(a.getEndOffset(i), end) !== Math.min(b.getEndOffset(i), end) || a.getMetadata(i) !== b.getMetadata(i)) {
            return false;
        }
    }
    return true;
}
`;

/** The patched source of lineTokens.js; throws when the code to patch is not found exactly once. */
export function patchLineTokens(code: string): string {
  const at = code.indexOf(WHOLE_LINE_COMPARE);
  if (at < 0 || code.indexOf(WHOLE_LINE_COMPARE, at + 1) >= 0)
    throw new Error(
      `vite/monaco-wrapped-lines.ts: ${LINE_TOKENS} no longer holds SliceLineTokens.equals as this patch knows it (monaco-editor was upgraded?). ` +
        'Check whether Monaco still rewrites every wrapped line of an edited paragraph; then update the patch or remove the plugin from vite.config.ts.',
    );
  return code.replace(WHOLE_LINE_COMPARE, SLICE_COMPARE) + HELPER;
}

export function monacoWrappedLines(): Plugin {
  return {
    name: 'distillery:monaco-wrapped-lines',
    enforce: 'pre',
    transform(code, id) {
      if (!id.split('?')[0]!.replace(/\\/g, '/').endsWith(LINE_TOKENS)) return null;
      return { code: patchLineTokens(code), map: null };
    },
  };
}

// The one Monaco module the wrapped-lines test imports directly (monaco-editor ships no types for its ESM files).
declare module 'monaco-editor/esm/vs/editor/common/tokens/lineTokens.js' {
  interface SliceTokens {
    equals(other: SliceTokens): boolean;
  }
  export class LineTokens {
    static createFromTextAndMetadata(
      data: { text: string; metadata: number }[],
      decoder: { encodeLanguageId(id: string): number; decodeLanguageId(id: number): string },
    ): LineTokens;
    sliceAndInflate(startOffset: number, endOffset: number, deltaOffset: number): SliceTokens;
  }
}

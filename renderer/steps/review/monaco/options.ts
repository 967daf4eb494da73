import type * as Monaco from 'monaco-editor';

/** The custom language of the thinking and answer editors (registered by ./language). */
export const TRACE_LANGUAGE = 'distillery-trace';

/** Options shared by every review editor: wrapped lines, no suggestions, nothing that costs per keystroke. */
export function baseOptions(): Monaco.editor.IEditorOptions & Monaco.editor.IGlobalEditorOptions {
  return {
    wordWrap: 'on',
    minimap: { enabled: false },
    fontSize: 13,
    lineHeight: 20,
    scrollBeyondLastLine: false,
    automaticLayout: true,
    folding: true,
    showFoldingControls: 'always',
    quickSuggestions: false,
    suggestOnTriggerCharacters: false,
    wordBasedSuggestions: 'off',
    parameterHints: { enabled: false },
    occurrencesHighlight: 'off',
    selectionHighlight: false,
    renderLineHighlight: 'line',
    unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: false, nonBasicASCII: false },
    links: false,
    bracketPairColorization: { enabled: false },
    guides: { bracketPairs: false, indentation: false },
    contextmenu: true,
    stickyScroll: { enabled: false },
    accessibilitySupport: 'off',
    fixedOverflowWidgets: true,
    tabSize: 2,
  };
}

/**
 * Options of every trace model. Its brackets match but are never coloured (the language colours none), so
 * bracket-pair colourisation, on by default for a standalone model (the editor's option does not reach it),
 * is turned off: it parsed the whole 120,000-character trace for nothing on the first render of each sample.
 */
export const TRACE_MODEL_OPTIONS: Monaco.editor.ITextModelUpdateOptions = {
  bracketColorizationOptions: { enabled: false, independentColorPoolPerBracketType: false },
};

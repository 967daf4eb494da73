import type * as Monaco from 'monaco-editor';

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

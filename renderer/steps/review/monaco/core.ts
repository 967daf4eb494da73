// The editor core and its contributions (find, folding, diff editor, …) without the bundled language packs:
// the review workspace registers its own language. Loaded lazily by ./load.ts.
export * from 'monaco-editor/esm/vs/editor/edcore.main.js';

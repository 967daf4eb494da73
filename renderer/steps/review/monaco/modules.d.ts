// Types for the parts of monaco-editor's ESM build imported by path (the package ships types only for
// its main entry). edcore.main.js exports the same API as editor.api.js.
declare module 'monaco-editor/esm/vs/editor/edcore.main.js' {
  export * from 'monaco-editor';
}
declare module 'monaco-editor/esm/vs/editor/editor.worker.js?worker' {
  const EditorWorker: { new (options?: { name?: string }): Worker };
  export default EditorWorker;
}

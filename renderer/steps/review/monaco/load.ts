import type * as Monaco from 'monaco-editor';
import { registerTraceLanguage } from './language';

export type MonacoApi = typeof Monaco;

let loading: Promise<MonacoApi> | null = null;

/**
 * Monaco, bundled with the app (no CDN) and loaded on first use so the other steps never pay for it:
 * the editor core with its contributions (find, folding, diff editor …) but none of the language packs,
 * and its one web worker, built by Vite (`?worker`) and started from the app's own origin.
 */
export function loadMonaco(): Promise<MonacoApi> {
  loading ??= Promise.all([import('./core'), import('monaco-editor/esm/vs/editor/editor.worker.js?worker')])
    .then(([core, worker]) => {
      const EditorWorker = worker.default;
      self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
      const monaco: MonacoApi = core;
      registerTraceLanguage(monaco);
      return monaco;
    })
    .catch((e: unknown) => {
      loading = null;
      throw e;
    });
  return loading;
}

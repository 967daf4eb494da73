import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { monacoWrappedLines } from './vite/monaco-wrapped-lines.ts';

const root = fileURLToPath(new URL('./renderer', import.meta.url));

// The renderer is served from out/renderer by the browser-mode host and loaded from disk by Electron,
// so every asset path is relative ('./') and nothing is fetched from the network at build or run time.
export default defineConfig({
  root,
  base: './',
  // monacoWrappedLines: typing in a wrapped paragraph rewrites only the view line that changed (see its file).
  plugins: [react(), tailwindcss(), monacoWrappedLines()],
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // Monaco's editor core is one ~3.6 MB chunk, loaded only when the Review step opens (its worker is
    // built from monaco-editor's ESM sources by `?worker` and served from the app's own origin).
    chunkSizeWarningLimit: 4000,
    // Rolldown's plugin-timing report is advice for plugin authors; users starting the app see it otherwise.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  server: { port: 5173, strictPort: false },
});

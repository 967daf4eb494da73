import { defineConfig } from 'vitest/config';
import { monacoWrappedLines } from './vite/monaco-wrapped-lines.ts';

export default defineConfig({
  // The renderer's build-time patch of Monaco, so that its test runs the code the app ships.
  plugins: [monacoWrappedLines()],
  test: {
    include: ['electron/**/*.test.ts', 'renderer/**/*.test.ts', 'renderer/**/*.test.tsx', 'bench/**/*.test.ts', 'vite/**/*.test.ts'],
    // Monaco's ESM goes through Vite (and the patch) instead of Node's loader.
    server: { deps: { inline: [/monaco-editor/] } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real processes and servers; two cores cannot run many at once.
    maxWorkers: 2,
  },
});

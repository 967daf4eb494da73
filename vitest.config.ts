import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { monacoWrappedLines } from './vite/monaco-wrapped-lines.ts';

/**
 * The real-model end-to-end files (`*.e2e.test.ts`, minutes each) start first, so that the other files run on the
 * second worker beside them instead of leaving one worker idle at the end; the rest keep vitest's own order.
 */
class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const long = (f: TestSpecification): boolean => f.moduleId.endsWith('.e2e.test.ts');
    return [...sorted.filter(long), ...sorted.filter((f) => !long(f))];
  }
}

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
    sequence: { sequencer: LongFirst },
  },
});

import { z } from 'zod';
import type { JobKind } from '../types';

/**
 * A job kind for the test suite: each item sleeps a little, then writes one row to `test_output` in the
 * same transaction that completes it. Duplicates or losses after a kill show up as row counts.
 */
export const counterKind: JobKind<{ n: number; delayMs: number; failEvery?: number; concurrency?: number }> = {
  kind: 'test.counter',
  params: z.object({ n: z.number().int().positive(), delayMs: z.number().int().min(0), failEvery: z.number().int().positive().optional(), concurrency: z.number().int().positive().optional() }),
  concurrency: (p) => p.concurrency ?? 2,
  label: (p) => `count to ${p.n}`,
  *plan(project, p) {
    project.db.exec('CREATE TABLE IF NOT EXISTS test_output (item TEXT NOT NULL, pid INTEGER NOT NULL)');
    for (let i = 0; i < p.n; i++) yield { key: `item-${i}`, payload: { i } };
  },
  async run(item, ctx) {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(t);
        reject(new Error('aborted'));
      };
      const t = setTimeout(() => {
        ctx.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ctx.params.delayMs);
      ctx.signal.addEventListener('abort', onAbort, { once: true });
    });
    const i = (item.payload as { i: number }).i;
    if (ctx.params.failEvery && i % ctx.params.failEvery === 0) throw new Error(`item ${i} failed on purpose`);
    ctx.complete(() => {
      ctx.project.db.prepare('INSERT INTO test_output (item, pid) VALUES (?, ?)').run(item.key, process.pid);
    });
  },
};

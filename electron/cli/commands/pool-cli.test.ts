import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject } from '../../core/store/project';
import { BENCH_DIR, tmpDir, writeAs } from '../../core/pool/fixtures.test-helpers';
import { UsageError, type CliIO } from '../io';
import { runDecontaminate } from './decontaminate';
import { runDedupCommand } from './dedup';
import { runEvalset } from './evalset';
import { runImport } from './import';

function io() {
  const out: string[] = [];
  const cli: CliIO = { stdout: (s) => out.push(s), stderr: (s) => out.push(s), readFile: async () => '' };
  return { out, cli };
}

describe('pool CLI', () => {
  it('import, evalset add, decontaminate, dedup print the JSON the issue specifies', async () => {
    const dir = path.join(tmpDir(), 'p');
    createProject(dir).close();
    const file = writeAs(tmpDir(), 'jsonl', [{ problem: 'One?' }, { answer: 'x' }, { problem: 'one ?' }]);
    const a = io();
    expect(await runImport([dir, file, '--json'], a.cli)).toBe(0);
    expect(JSON.parse(a.out[0]!)).toEqual({ read: 3, imported: 1, duplicates: 1, rejected: [{ line: 2, reason: 'missing question (no field "problem")' }] });

    const b = io();
    expect(await runImport([dir, path.join(BENCH_DIR, 'aime24.jsonl'), '--json'], b.cli)).toBe(0);
    const c = io();
    expect(await runEvalset(['add', dir, 'aime24', path.join(BENCH_DIR, 'aime24.jsonl')], c.cli)).toBe(0);
    const d = io();
    expect(await runDecontaminate([dir, '--ngram', '8', '--json'], d.cli)).toBe(0);
    const dc = JSON.parse(d.out[0]!) as { checked: number; flagged: number; items: { question_id: number; evalset: string; evalset_item: number; overlap: string }[] };
    expect(dc.checked).toBe(31);
    expect(dc.flagged).toBe(30);
    expect(dc.items[0]).toMatchObject({ question_id: 2, evalset: 'aime24', evalset_item: 1 });
    // The built-in benchmarks were registered without a typed path (all by default).
    const sets = io();
    expect(await runEvalset(['list', dir, '--json'], sets.cli)).toBe(0);
    expect(sets.out.join('\n')).toContain('math500');
    const e = io();
    expect(await runDedupCommand([dir, '--threshold', '0.8', '--json'], e.cli)).toBe(0);
    expect(JSON.parse(e.out[0]!)).toMatchObject({ checked: 31, clusters: expect.any(Number), would_remove: expect.any(Number), numbers_differ: expect.any(Number), applied: null });
  });

  it('bad arguments are usage errors; a missing file is a sentence naming it', async () => {
    const dir = path.join(tmpDir(), 'p');
    createProject(dir).close();
    const { cli } = io();
    await expect(runImport([dir], cli)).rejects.toBeInstanceOf(UsageError);
    await expect(runImport([dir, 'x.jsonl', '--format', 'xml'], cli)).rejects.toBeInstanceOf(UsageError);
    await expect(runImport([dir, 'x.jsonl', '--map', 'question'], cli)).rejects.toBeInstanceOf(UsageError);
    await expect(runDedupCommand([dir, '--threshold', '2'], cli)).rejects.toBeInstanceOf(UsageError);
    await expect(runDecontaminate([dir, '--ngram', 'x'], cli)).rejects.toBeInstanceOf(UsageError);
    await expect(runEvalset(['frob'], cli)).rejects.toBeInstanceOf(UsageError);
    await expect(runImport([dir, '/nowhere/q.jsonl'], cli)).rejects.toThrow('The file /nowhere/q.jsonl does not exist');
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDir, writeAs } from '../../core/pool/fixtures.test-helpers';
import { createProject } from '../../core/store/project';
import type { CliIO } from '../io';
import { runDecontaminate } from './decontaminate';
import { runEvalset } from './evalset';
import { runImport } from './import';

function io() {
  const out: string[] = [];
  const cli: CliIO = { stdout: (s) => out.push(s), stderr: (s) => out.push(s), readFile: async () => '' };
  return { out, cli };
}

const TULIPS = 'A botanist plants seventeen rows of tulips with nine bulbs in each row and then removes four bulbs; how many remain?';

describe('distillery decontaminate --held-out', () => {
  it('checks the held-out sets by default, none with --held-out none, and names the known ones for a typo', async () => {
    const dir = path.join(tmpDir(), 'p');
    createProject(dir).close();
    await runImport([dir, writeAs(tmpDir(), 'jsonl', [{ question: TULIPS, answer: '149' }, { question: 'What is the boiling point of water at sea level in kelvin, to the nearest unit?', answer: '373' }])], io().cli);
    const held = path.join(tmpDir(), 'held.jsonl');
    fs.writeFileSync(held, JSON.stringify({ question: TULIPS.replace('A botanist', 'The botanist'), answer: '149' }) + '\n');
    expect(await runEvalset(['add', dir, 'mine', held], io().cli)).toBe(0);

    const all = io();
    expect(await runDecontaminate([dir, '--benchmarks', 'none', '--json'], all.cli)).toBe(0);
    expect(JSON.parse(all.out.at(-1)!)).toMatchObject({ checked: 2, flagged: 1, items: [{ evalset: 'mine', evalset_item: 1 }] });

    const none = io();
    expect(await runDecontaminate([dir, '--benchmarks', 'aime24', '--held-out', 'none', '--json'], none.cli)).toBe(0);
    expect(JSON.parse(none.out.at(-1)!)).toMatchObject({ checked: 2, flagged: 0 });

    await expect(runDecontaminate([dir, '--held-out', 'mien'], io().cli)).rejects.toThrow('There is no held-out set named "mien" in this project; its held-out sets are mine.');
    await expect(runDecontaminate([dir, '--benchmarks', 'none', '--held-out', 'none'], io().cli)).rejects.toThrow(/tick at least one benchmark or held-out set/);
  });
});

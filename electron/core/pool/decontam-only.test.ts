import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addEvalset, runDecontamination } from './decontam';
import { importFile } from './importer';
import { newProject, tmpDir } from './fixtures.test-helpers';

const PENTAGON = 'What is the sum of the interior angles of a pentagon measured in degrees?';

describe('decontamination against the ticked sets only', () => {
  it('checks only the named benchmarks and held-out sets; none ticked is a user error', async () => {
    const p = newProject();
    const dir = tmpDir();
    const pool = path.join(dir, 'pool.jsonl');
    fs.writeFileSync(pool, [{ question: PENTAGON, answer: '540' }, { question: 'Compute seven factorial modulo ninety seven please.', answer: '93' }].map((r) => JSON.stringify(r)).join('\n') + '\n');
    await importFile(p, pool);
    const held = path.join(dir, 'held.jsonl');
    fs.writeFileSync(held, JSON.stringify({ question: 'Find the sum of the interior angles of a pentagon measured in degrees.', answer: '540' }) + '\n');
    await addEvalset(p, 'held', held);
    fs.writeFileSync(path.join(dir, 'other.jsonl'), JSON.stringify({ question: 'An unrelated question about the boiling point of water at sea level in kelvin.', answer: '373' }) + '\n');
    await addEvalset(p, 'other', path.join(dir, 'other.jsonl'));

    expect(runDecontamination(p, 8, ['other']).flagged).toBe(0);
    expect(p.db.prepare("SELECT COUNT(*) FROM questions WHERE exclude_reason LIKE 'contaminated: %'").pluck().get()).toBe(0);
    const r = runDecontamination(p, 8, ['held', 'other']);
    expect(r.flagged).toBe(1);
    expect(r.items[0]).toMatchObject({ evalset: 'held', evalset_item: 1 });
    expect(runDecontamination(p, 8).flagged).toBe(1);
    expect(() => runDecontamination(p, 8, [])).toThrow(/tick at least one benchmark or held-out set/);
    p.close();
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { saveRevision } from '../../core/review/revisions';
import { getSample } from '../../core/review/sample';
import { reviewProject } from '../../core/review/testing/fixture';
import { openProject } from '../../core/store/project';
import type { CliIO } from '../io';
import { main } from '../main';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-bundle-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), readFile: (p) => fs.promises.readFile(p, 'utf8') };
  return { cli, out, err };
};

describe('distillery bundle', () => {
  it('exports chosen questions to one file and imports another copy’s edits, printing {applied, unchanged, conflicts}', async () => {
    const a = path.join(tmp, 'a');
    const f = reviewProject(a, 4);
    f.project.close();
    const b = path.join(tmp, 'b');
    fs.cpSync(a, b, { recursive: true });
    const pb = openProject(b);
    const t = f.traceIds[1] as number;
    const s = getSample(pb.db, t);
    await saveRevision(pb, { traceId: t, baseRevision: 0, thinking: `${s.thinking}\nStep 9. Added on b.`, answer: s.answer, author: 'bo', clientId: null, kind: 'edit' });
    pb.close();

    const file = path.join(tmp, 'out', 'review.jsonl');
    const ex = io();
    expect(await main(['bundle', 'export', b, '--out', file, '--ids', f.questionIds.slice(0, 3).join(','), '--json'], ex.cli), ex.err.join('\n')).toBe(0);
    expect(JSON.parse(ex.out[0] as string)).toMatchObject({ file, samples: 3 });

    const im = io();
    expect(await main(['bundle', 'import', a, file, '--json'], im.cli), im.err.join('\n')).toBe(0);
    expect(JSON.parse(im.out[0] as string)).toEqual({ applied: 1, unchanged: 2, conflicts: [] });
    const pa = openProject(a);
    expect(getSample(pa.db, t).thinking).toMatch(/Step 9\. Added on b\.$/);
    pa.close();
    const again = io();
    expect(await main(['bundle', 'import', a, file], again.cli)).toBe(0);
    expect(again.out[0]).toBe('Applied 0, unchanged 3, conflicts 0.');
  });

  it('explains bad arguments and bad files', async () => {
    const dir = path.join(tmp, 'c');
    reviewProject(dir, 2).project.close();
    const r1 = io();
    expect(await main(['bundle', 'export', dir], r1.cli)).toBe(2);
    expect(r1.err[0]).toMatch(/--out FILE is required/);
    const r2 = io();
    expect(await main(['bundle', 'export', dir, '--out', path.join(tmp, 'x.jsonl'), '--ids', '1,x'], r2.cli)).toBe(2);
    expect(r2.err[0]).toMatch(/"x" is not one/);
    const r3 = io();
    expect(await main(['bundle', 'merge', dir], r3.cli)).toBe(2);
    expect(r3.err[0]).toMatch(/use "bundle export PROJECT --out FILE/);
    const junk = path.join(tmp, 'junk.jsonl');
    fs.writeFileSync(junk, 'not json\n');
    const r4 = io();
    expect(await main(['bundle', 'import', dir, junk, '--json'], r4.cli)).toBe(2);
    expect(r4.err[0]).toContain(`${junk} line 1 is not valid JSON`);
  });
});

import { createHash } from 'node:crypto';
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

  it('never writes over the project (even with --force) and replaces an existing file only with --force (issue 15, item 5)', async () => {
    const dir = path.join(tmp, 'guard');
    reviewProject(dir, 2).project.close();
    openProject(dir).close(); // settle the WAL, so that the file's bytes are comparable
    const db = path.join(dir, 'project.sqlite');
    const digest = () => createHash('sha256').update(fs.readFileSync(db)).digest('hex');
    const before = digest();
    fs.mkdirSync(path.join(dir, 'artifacts', 'runs'), { recursive: true });
    const link = path.join(tmp, 'link-to-db.jsonl');
    fs.symlinkSync(db, link);
    const refused: [string, RegExp][] = [
      [db, /project database file \(project\.sqlite\); Distillery never writes a review bundle over one, even when asked to overwrite/],
      [`${db}-wal`, /project database file \(project\.sqlite-wal\)/],
      [path.join(dir, 'artifacts', 'runs', 'r.jsonl'), /is inside the project folder .*artifacts\/bundles or .*artifacts\/exports/],
      [path.join(dir, 'notes.jsonl'), /is inside the project folder/],
      [link, /project database file/],
    ];
    for (const [out, sentence] of refused) {
      for (const force of [[], ['--force']]) {
        const r = io();
        expect(await main(['bundle', 'export', dir, '--out', out, ...force], r.cli), out).toBe(2);
        expect(r.err).toHaveLength(1);
        expect(r.err[0]).toMatch(sentence);
        expect(r.out).toEqual([]);
      }
    }
    expect(digest()).toBe(before);
    expect(fs.existsSync(path.join(dir, 'notes.jsonl'))).toBe(false);

    // inside the project, artifacts/bundles is where bundles go
    const inBundles = path.join(dir, 'artifacts', 'bundles', 'r.jsonl');
    expect(await main(['bundle', 'export', dir, '--out', inBundles], io().cli)).toBe(0);

    // an ordinary existing file: refused and untouched, then replaced with --force
    const mine = path.join(tmp, 'mine.jsonl');
    fs.writeFileSync(mine, 'keep me\n');
    const r = io();
    expect(await main(['bundle', 'export', dir, '--out', mine], r.cli)).toBe(2);
    expect(r.err[0]).toBe(`distillery: ${mine} already exists and was left as it is; choose another file name, or ask to overwrite it (--force on the command line).`);
    expect(fs.readFileSync(mine, 'utf8')).toBe('keep me\n');
    const f = io();
    expect(await main(['bundle', 'export', dir, '--out', mine, '--force', '--json'], f.cli), f.err.join('\n')).toBe(0);
    expect(JSON.parse(f.out[0] as string)).toMatchObject({ file: mine, samples: 2 });
    expect(fs.readFileSync(mine, 'utf8').split('\n')[0]).toContain('"format"');
    expect(fs.readdirSync(tmp).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(digest()).toBe(before);
  });
});

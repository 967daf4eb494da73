import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject, type Project } from '../store/project';
import { bundleExport, bundleImport } from './bundle';
import { setStatus } from './decisions';
import { listRevisions, saveRevision } from './revisions';
import { getSample } from './sample';
import { UserError } from '../util/errors';
import { placeOutputFile } from '../util/output-file';
import { reviewProject } from './testing/fixture';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-bundle-'));
let A: Project;
let B: Project;
let ids: number[];

/** Replaces line `k` of the thinking. */
const withLine = (text: string, k: number, line: string) => text.split('\n').map((l, i) => (i === k ? line : l)).join('\n');

async function edit(p: Project, traceId: number, k: number, line: string, author: string) {
  const s = getSample(p.db, traceId);
  const r = await saveRevision(p, { traceId, baseRevision: s.head, thinking: withLine(s.thinking, k, line), answer: s.answer, author, clientId: null, kind: 'edit' });
  expect(r.ok).toBe(true);
}

/** Everything an import could change, to prove a second import changes nothing. */
const snapshot = (p: Project) =>
  JSON.stringify([
    p.db.prepare('SELECT trace_id, n, kind, author, digest, note, created_at FROM review_revisions ORDER BY trace_id, n').all(),
    p.db.prepare('SELECT * FROM reviews ORDER BY trace_id').all(),
    p.db.prepare('SELECT * FROM review_decision_log ORDER BY trace_id, at').all(),
    p.db.prepare('SELECT id, thinking, answer FROM traces ORDER BY id').all(),
    p.db.prepare('SELECT * FROM review_pending_merges ORDER BY trace_id').all(),
    p.db.prepare('SELECT bundle_id, applied FROM review_bundle_imports').all(),
  ]);

beforeAll(() => {
  const f = reviewProject(path.join(tmp, 'a'), 6);
  ids = f.traceIds;
  f.project.close();
  // The reviewer on another machine works on a copy of the project folder.
  fs.cpSync(path.join(tmp, 'a'), path.join(tmp, 'b'), { recursive: true });
  A = openProject(path.join(tmp, 'a'));
  B = openProject(path.join(tmp, 'b'));
});

afterAll(() => {
  A?.close();
  B?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('review bundles', () => {
  it('round-trips edits and decisions between two copies; changes on both sides are conflicts, not applied; a second import changes nothing', async () => {
    const [t0, t1, t2, t3, t4, t5] = ids as [number, number, number, number, number, number];
    // On B (the air-gapped reviewer):
    await edit(B, t0, 0, 'Step 1. Fixed by bo.', 'bo');
    setStatus(B.db, [t1], 'accepted', 'bo');
    await edit(B, t3, 1, 'Step 2. Rewritten by bo.', 'bo');
    setStatus(B.db, [t4], 'rejected', 'bo', 'Flawed reasoning step');
    // Meanwhile on A:
    await edit(A, t2, 0, 'Step 1. Fixed by ana.', 'ana');
    await edit(A, t3, 6, 'Step 7. Rewritten by ana.', 'ana');
    setStatus(A.db, [t4], 'accepted', 'ana');

    const file = path.join(tmp, 'from-b.jsonl');
    const ex = bundleExport(B, { out: file });
    expect(ex).toMatchObject({ samples: 6, projectId: A.id });
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(7);

    const a2Before = getSample(A.db, t2).thinking;
    const r = await bundleImport(A, file);
    expect(r.applied).toBe(2); // t0's text, t1's decision
    expect(r.unchanged).toBe(2); // t2 (only A changed it), t5
    expect(r.conflicts.map((c) => c.traceId).sort()).toEqual([t3, t4]);
    // Applied: the text as an import revision by the other reviewer, the decision as made.
    expect(getSample(A.db, t0).thinking.split('\n')[0]).toBe('Step 1. Fixed by bo.');
    expect(listRevisions(A.db, t0).revisions[0]).toMatchObject({ kind: 'import', author: 'bo' });
    expect(getSample(A.db, t1)).toMatchObject({ status: 'accepted', reviewer: 'bo' });
    expect(getSample(A.db, t2).thinking).toBe(a2Before);
    // Conflicts side by side with a merge proposal; nothing of them applied.
    const c3 = r.conflicts.find((c) => c.traceId === t3);
    expect(c3?.reason).toMatch(/^Both copies changed the text since revision 0; nothing of this sample was imported\.$/);
    expect(c3?.mine.thinking.split('\n')[6]).toBe('Step 7. Rewritten by ana.');
    expect(c3?.theirs).toMatchObject({ author: 'bo' });
    expect(c3?.theirs.thinking.split('\n')[1]).toBe('Step 2. Rewritten by bo.');
    expect(c3?.merged.clean).toBe(true);
    expect(c3?.merged.thinking.split('\n')[1]).toBe('Step 2. Rewritten by bo.');
    expect(c3?.merged.thinking.split('\n')[6]).toBe('Step 7. Rewritten by ana.');
    expect(getSample(A.db, t3).thinking.split('\n')[1]).not.toBe('Step 2. Rewritten by bo.');
    const c4 = r.conflicts.find((c) => c.traceId === t4);
    expect(c4?.reason).toMatch(/both copies changed the decision \(here accepted by ana, in the bundle rejected by bo\)/i);
    expect(getSample(A.db, t4)).toMatchObject({ status: 'accepted', reviewer: 'ana' });
    expect(getSample(A.db, t5).head).toBe(0);

    // Idempotent: the same bundle again changes nothing.
    const before = snapshot(A);
    const again = await bundleImport(A, file);
    expect(again).toMatchObject({ applied: 0, unchanged: 4 });
    expect(again.conflicts).toHaveLength(2);
    expect(snapshot(A)).toBe(before);

    // A resolves the text conflict with the merge; sent back to B it applies cleanly (B's edit is inside it).
    const res = await saveRevision(A, { traceId: t3, baseRevision: c3?.mine.n ?? -1, thinking: c3?.merged.thinking ?? '', answer: c3?.merged.answer ?? '', author: 'ana', clientId: null, kind: 'merge' });
    expect(res).toMatchObject({ ok: true });
    const back = path.join(tmp, 'from-a.jsonl');
    bundleExport(A, { out: back, traceIds: [t0, t3] });
    const rb = await bundleImport(B, back);
    expect(rb).toMatchObject({ applied: 1, unchanged: 1, conflicts: [] });
    expect(getSample(B.db, t3).thinking).toBe(c3?.merged.thinking);
    expect(getSample(B.db, t0).head).toBe(1); // B's own edit came back unchanged
  });

  it('refuses bad files with a sentence naming the file and the line, and bundles of another project', async () => {
    const good = path.join(tmp, 'good.jsonl');
    bundleExport(B, { out: good, traceIds: [ids[5] as number, ids[4] as number] });
    const lines = fs.readFileSync(good, 'utf8').trim().split('\n');
    const bad = path.join(tmp, 'bad.jsonl');
    fs.writeFileSync(bad, [lines[0], lines[1], '{"traceId": 1, broken'].join('\n'));
    await expect(bundleImport(A, bad)).rejects.toThrow(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} line 3 is not valid JSON`));
    fs.writeFileSync(bad, [lines[0], (lines[1] as string).replace('"thinking":', '"thinking_":')].join('\n'));
    await expect(bundleImport(A, bad)).rejects.toThrow(/line 2 is not a valid bundle sample \(field "thinking"/);
    fs.writeFileSync(bad, [lines[0], lines[1]].join('\n'));
    await expect(bundleImport(A, bad)).rejects.toThrow(/holds 1 samples but its header \(line 1\) announces 2; the file was cut short/);
    fs.writeFileSync(bad, '{"rows": []}\n');
    await expect(bundleImport(A, bad)).rejects.toThrow(/line 1 is not a Distillery review bundle header/);
    fs.writeFileSync(bad, [lines[0]?.replace(A.id, 'another-project'), lines[1], lines[2]].join('\n'));
    await expect(bundleImport(A, bad)).rejects.toThrow(/was exported from the project "Sample project" \(id another-project\), not from this one/);
    await expect(bundleImport(A, path.join(tmp, 'missing.jsonl'))).rejects.toThrow(/Could not read the review bundle .*missing\.jsonl/);
  });

  it('keeps existing files unless overwrite is asked, and never writes inside the project but artifacts/bundles (issue 15, item 5)', () => {
    const out = path.join(tmp, 'existing.jsonl');
    fs.writeFileSync(out, 'the user’s own file\n');
    expect(() => bundleExport(B, { out, traceIds: [ids[0] as number] })).toThrow(expect.objectContaining({ code: 'out_exists' }));
    expect(fs.readFileSync(out, 'utf8')).toBe('the user’s own file\n');
    expect(bundleExport(B, { out, traceIds: [ids[0] as number], overwrite: true }).samples).toBe(1);
    expect(fs.readFileSync(out, 'utf8')).toContain('"format"');
    for (const bad of [B.dbPath, `${B.dbPath}-journal`, path.join(B.dir, 'artifacts', 'x.jsonl'), B.dir, path.join(B.dir, 'artifacts', 'bundles')]) {
      expect(() => bundleExport(B, { out: bad, traceIds: [ids[0] as number], overwrite: true }), bad).toThrow(UserError);
    }
    expect(fs.existsSync(path.join(B.dir, 'artifacts', 'x.jsonl'))).toBe(false);
    // a file that appears between the check and the write is not replaced either (hard-link placement)
    const raced = path.join(tmp, 'raced.jsonl');
    const part = path.join(tmp, 'raced.part');
    fs.writeFileSync(part, 'new');
    fs.writeFileSync(raced, 'appeared meanwhile');
    expect(() => placeOutputFile(part, raced, false)).toThrow(/appeared while it was being written and was left as it is/);
    expect(fs.readFileSync(raced, 'utf8')).toBe('appeared meanwhile');
  });
});

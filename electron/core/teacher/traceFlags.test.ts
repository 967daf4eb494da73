import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { undo, writeRevision } from '../review/revisions';
import { reviewProject } from '../review/testing/fixture';
import type { Project } from '../store/project';
import { currentFlags } from './traceFlags';
import { eachQuestionTrace, listTraces } from './traces';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-flags-'));
const open: Project[] = [];
afterAll(() => {
  for (const p of open) p.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('trace flags follow the current text', () => {
  it('drops the text flags the text no longer has and keeps how it was produced', () => {
    expect(currentFlags(['no_thinking', 'truncated'], 'I add.', '4')).toEqual(['truncated']);
    expect(currentFlags(['split_thinking'], '', '4')).toEqual(['split_thinking', 'no_thinking']);
    expect(currentFlags(['empty_thinking'], null, null)).toEqual(['empty_thinking', 'no_answer']);
    expect(currentFlags(['think_tag_in_answer', 'no_answer'], 'x', 'fine')).toEqual([]);
    expect(currentFlags([], 'x', 'a </think> b')).toEqual(['think_tag_in_answer']);
  });

  it('an edit in Review stores the edited trace\'s flags; undo brings the teacher\'s back; Traces lists what is stored', () => {
    const f = reviewProject(path.join(tmp, 'p'), 2);
    open.push(f.project);
    const db = f.project.db;
    const id = f.traceIds[0] as number;
    db.prepare("UPDATE traces SET source = 'generated', teacher = 't', thinking = NULL, flags = ? WHERE id = ?").run(JSON.stringify(['no_thinking', 'tokens_estimated']), id);
    const flagsOf = () => listTraces(db, { offset: 0, limit: 10 }).rows.find((r) => r.id === id)!.flags;
    expect(flagsOf()).toEqual(['no_thinking', 'tokens_estimated']);
    const answer = db.prepare('SELECT answer FROM traces WHERE id = ?').pluck().get(id) as string;
    const r = writeRevision(db, { traceId: id, baseRevision: 0, thinking: 'Now with thinking.', answer, author: 'ana', clientId: 'w1', kind: 'edit' });
    expect(r.ok).toBe(true);
    expect(db.prepare('SELECT flags FROM traces WHERE id = ?').pluck().get(id)).toBe(JSON.stringify(['tokens_estimated']));
    expect(flagsOf()).toEqual(['tokens_estimated']);
    const lines: string[][] = [];
    eachQuestionTrace(db, (l) => lines.push(l.flags));
    expect(lines).toContainEqual(['tokens_estimated']);
    return undo(f.project, id, 'ana').then(() => {
      expect(flagsOf()).toEqual(['tokens_estimated', 'no_thinking']);
    });
  });
});

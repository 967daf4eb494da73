// Browsing the pool on a real project: the "has traces" filter and each row's trace count (traces/ owns them).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleProject } from '../sample';
import type { Project } from '../store/project';
import { queryIds, queryPool } from './query';

let tmp: string;
let project: Project;
let q: number[];

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-pool-query-'));
  project = createSampleProject(path.join(tmp, 'p'));
  q = project.db.prepare('SELECT id FROM questions ORDER BY id').pluck().all() as number[];
  const put = project.db.prepare("INSERT INTO traces (question_id, source, teacher, sample_index, status, created_at) VALUES (?, 'generated', 't', ?, ?, '2026-01-01T00:00:00Z')");
  put.run(q[0], 0, 'done');
  put.run(q[0], 1, 'failed');
  put.run(q[2], 0, 'done');
});

afterAll(() => {
  project.db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('pool/query', () => {
  it('counts each row\'s traces and filters by having traces, in the asked order', () => {
    expect(q.length).toBeGreaterThan(3);
    const all = queryPool(project, { limit: 3 });
    expect(all.total).toBe(q.length);
    expect(all.rows.map((r) => [r.id, r.traces])).toEqual([[q[0], 2], [q[1], 0], [q[2], 1]]);
    const withTraces = queryPool(project, { hasTrace: true, dir: 'desc' });
    expect(withTraces.total).toBe(2);
    expect(withTraces.rows.map((r) => [r.id, r.traces])).toEqual([[q[2], 1], [q[0], 2]]);
    const without = queryPool(project, { hasTrace: false, limit: 1000 });
    expect(without.total).toBe(q.length - 2);
    expect(without.rows.every((r) => r.traces === 0 && r.id !== q[0] && r.id !== q[2])).toBe(true);
    expect(queryIds(project, { hasTrace: true })).toEqual([q[0], q[2]]);
    expect(queryIds(project, { hasTrace: false, importId: 999 })).toEqual([]);
  });
});

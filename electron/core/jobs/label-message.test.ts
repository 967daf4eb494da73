import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine';
import { registerJobKinds } from '../kinds';
import { createProject, type Project } from '../store/project';
import { message } from '../util/messages';
import { JobRunner } from './runner';
import { counterKind } from './testing/counter-kind';
import type { JobKind } from './types';

let project: Project | null = null;
let dir = '';
afterEach(() => {
  project?.close();
  project = null;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Issue 19.11: a job's name reached the UI as an English string; it now carries a code and params too. */
describe('job labels as engine messages', () => {
  it('progress carries the label message of the kind, and the stored label is its English text', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-label-'));
    project = createProject(path.join(dir, 'p'));
    const kind: JobKind<{ n: number; delayMs: number }> = {
      ...(counterKind as unknown as JobKind<{ n: number; delayMs: number }>),
      kind: 'test.labelled',
      label: undefined,
      labelMessage: (p) => message('job_label_training', { run: `r${p.n}` }, `Training r${p.n}`),
    };
    const runner = new JobRunner(project).register(kind);
    const id = runner.start('test.labelled', { n: 3, delayMs: 0 });
    await runner.wait(id);
    const p = runner.progress(id);
    expect(p.label).toBe('Training r3');
    expect(p.labelMessage).toEqual({ code: 'job_label_training', params: { run: 'r3' }, text: 'Training r3' });
  });

  it("every engine kind's label has a code (generate and label-domains included)", () => {
    const kinds: JobKind<unknown>[] = [];
    registerJobKinds({ registerJobKind: (k: JobKind<unknown>) => kinds.push(k) } as unknown as Engine);
    const plainOnly = kinds.filter((k) => k.label && !k.labelMessage).map((k) => k.kind);
    expect(plainOnly).toEqual([]);
    const byKind = new Map(kinds.map((k) => [k.kind, k]));
    expect(byKind.get('generate')?.labelMessage?.({ teacher: 'qwq' })).toEqual({ code: 'job_label_generate', params: { teacher: 'qwq' }, text: 'Generate with qwq' });
    expect(byKind.get('label-domains')?.labelMessage?.({ taxonomy: 'msc', teacher: 'qwq' }).code).toBe('job_label_domains');
    expect(kinds.filter((k) => k.labelMessage).length).toBeGreaterThanOrEqual(10);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { openProject } from '../store/project';
import { listRevisions } from './revisions';
import { getSample } from './sample';
import { autosaveText, reviewProject } from './testing/fixture';

const root = path.resolve(import.meta.dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-review-kill-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('SIGKILL while typing', () => {
  it('keeps the last acknowledged autosave (or the one in flight) and an intact database', async () => {
    const dir = path.join(tmp, 'p');
    const f = reviewProject(dir, 3);
    const traceId = f.traceIds[0] as number;
    f.project.close();
    // A plain node process (no tsx CLI wrapper), so that SIGKILL hits the process doing the writes.
    const child = execa('node', ['--import', 'tsx', 'electron/core/review/testing/autosave-child.ts', dir, String(traceId)], { cwd: root, reject: false });
    let acked = 0;
    let buf = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the child acknowledged only ${acked} saves in 90 s`)), 90_000);
      child.stdout?.on('data', (b: Buffer) => {
        buf += b.toString('utf8');
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const l of lines) {
          const m = /^ack (\d+)$/.exec(l.trim());
          if (m) acked = Number(m[1]);
        }
        if (acked >= 40) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
      void child.then((r) => {
        if (acked < 40) reject(new Error(`the child ended early: ${String(r.stderr)}`));
      });
    });
    const r = await child;
    expect(r.signal).toBe('SIGKILL');

    const p = openProject(dir);
    try {
      expect(p.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const s = getSample(p.db, traceId);
      // The head is the last save the child acknowledged, or the next one if it committed before the kill.
      const candidates = [acked, acked + 1].map((i) => autosaveText(i).thinking);
      expect(candidates).toContain(s.thinking);
      const i = Number(/Edit number (\d+)$/.exec(s.thinking)?.[1]);
      expect(s.answer).toBe(autosaveText(i).answer);
      // The whole burst folded into one revision after the original; its save count says how many saves it holds.
      const h = listRevisions(p.db, traceId);
      expect(h.revisions.map((x) => x.kind)).toEqual(['edit', 'original']);
      expect(h.revisions[0]?.saves).toBe(i);
      expect(h.head).toBe(i);
    } finally {
      p.close();
    }
  }, 120_000);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

// The security lint (scripts/electronegativity.mjs) passes on the app as it is, and fires on insecure code.
const root = path.resolve(import.meta.dirname, '../..');
const lint = (...args: string[]) => execa('node', ['scripts/electronegativity.mjs', ...args], { cwd: root, reject: false, all: true });

describe('electronegativity security lint', { timeout: 120_000 }, () => {
  it('passes on electron/main, electron/preload and the renderer, offline, with only the listed findings', async () => {
    const r = await lint();
    expect(r.exitCode, String(r.all)).toBe(0);
    expect(String(r.all)).toMatch(/electronegativity: \d+ files, \d+ checks, 4 allowed finding\(s\)\./);
    expect(String(r.all)).not.toMatch(/translations|releases|network/i);
  });

  it('fails on a window with nodeIntegration on and context isolation off', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-eneg-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'window.ts'),
        "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });\n",
      );
      const r = await lint(dir);
      expect(r.exitCode).toBe(1);
      expect(String(r.all)).toContain('NODE_INTEGRATION_JS_CHECK');
      expect(String(r.all)).toContain('CONTEXT_ISOLATION_JS_CHECK');
      expect(String(r.all)).toContain('not allowed');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

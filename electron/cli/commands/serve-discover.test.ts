import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';

const root = path.resolve(import.meta.dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-cli-serve-'));
// A stand-in interface folder, so that `serve` does not build the renderer first.
fs.mkdirSync(path.join(tmp, 'renderer'));
fs.writeFileSync(path.join(tmp, 'renderer', 'index.html'), '<!doctype html><title>t</title>');
const env = { DISTILLERY_CONFIG_DIR: path.join(tmp, 'config'), DISTILLERY_RENDERER_DIR: path.join(tmp, 'renderer') };
const cli = (...args: string[]) => execa(process.execPath, [path.join(root, 'bin', 'distillery.mjs'), ...args], { reject: false, env, cwd: tmp, timeout: 120_000 });

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('serve and teacher discover on the command line', { timeout: 180_000 }, () => {
  it('serve --port on a busy port is one sentence and exit code 2, not a stack trace', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await cli('serve', '--port', String(port));
      expect(r.exitCode).toBe(2);
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('distillery:'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${port}`);
      expect(lines[0]).toContain('--port 0');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('teacher discover --json always prints one JSON array (empty when nothing answers)', async () => {
    const r = await cli('teacher', 'discover', '--json');
    expect(r.exitCode).toBe(0);
    const found = JSON.parse(r.stdout) as unknown;
    expect(Array.isArray(found)).toBe(true);
  });
});

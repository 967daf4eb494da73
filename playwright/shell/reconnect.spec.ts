import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const repo = path.resolve(import.meta.dirname, '../..');

/** A browser-mode server of this spec's own (the shared one must not be stopped), on a fixed port. */
function serve(port: number, config: string, keepToken: boolean): Promise<{ child: ChildProcess; url: string }> {
  const args = [path.join(repo, 'bin', 'distillery.mjs'), 'serve', '--port', String(port), ...(keepToken ? ['--keep-token'] : [])];
  const child = spawn(process.execPath, args, { cwd: repo, env: { ...process.env, HOME: config, DISTILLERY_CONFIG_DIR: config }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /Distillery is running at (\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('a stopped engine is one banner that clears by itself when it is back; a stale token says so', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const config = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-reconnect-'));
  const port = await freePort();
  let server = await serve(port, config, true);
  try {
    expect(fs.statSync(path.join(config, 'browser-token')).mode & 0o777).toBe(0o600);
    await page.goto(server.url);
    await expect(page.locator('nav[aria-label]')).toBeVisible();
    const banner = page.getByTestId('connection-banner');
    await expect(banner).toHaveCount(0);

    await stop(server.child);
    // Any call now fails; moving to another step makes some.
    await page.locator('a[data-step="teacher"]').click();
    await expect(banner).toHaveAttribute('data-state', 'down', { timeout: 20_000 });
    await expect(banner).toContainText('The engine stopped responding — retrying');
    // No raw "Failed to fetch" in the panels: the banner says it once.
    await expect(page.locator('main')).not.toContainText('Failed to fetch');
    await page.screenshot({ path: testInfo.outputPath('engine-down.png') });

    // The same server again, with the same kept token: the tab reconnects by itself.
    server = await serve(port, config, true);
    await expect(banner).toHaveCount(0, { timeout: 20_000 });
    await expect(page.locator('main')).toContainText(/Open or create a project first|Teacher/);

    // A restart with a new token: the old tab is told its token is no longer valid.
    await stop(server.child);
    server = await serve(port, config, false);
    await page.locator('a[data-step="project"]').click();
    await expect(banner).toHaveAttribute('data-state', 'unauthorized', { timeout: 20_000 });
    await expect(banner).toContainText("This link's token is no longer valid");
    await expect(page.locator('main')).not.toContainText('Unknown error');
    await page.screenshot({ path: testInfo.outputPath('token-stale.png') });
  } finally {
    await stop(server.child);
    fs.rmSync(config, { recursive: true, force: true });
  }
});

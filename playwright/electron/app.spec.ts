import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { _electron as electron, expect, test } from '@playwright/test';

const require = createRequire(import.meta.url);
const main = path.resolve('out/main/index.js');

/**
 * Why the desktop shell cannot be driven here, or null when it can. electron 45's index.js tries to
 * download its binary when it is missing, so look for the binary first and require('electron') only then.
 */
function unavailable(): string | null {
  let pkgDir: string;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return 'The electron package is not installed (it is an optional dependency); browser mode is covered by the web project.';
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!override && !fs.existsSync(pathFile)) {
    return "Electron's binary is not installed on this machine (node_modules/electron/path.txt is missing: its download failed or was skipped); browser mode is covered by the web project.";
  }
  let binary: unknown;
  try {
    binary = require('electron');
  } catch (e) {
    return `Electron's binary is not usable here (${(e as Error).message.split('\n')[0]}); browser mode is covered by the web project.`;
  }
  if (typeof binary !== 'string' || !fs.existsSync(binary)) return `Electron's binary is missing (${String(binary)}); browser mode is covered by the web project.`;
  if (!fs.existsSync(main)) return 'The Electron shell is not built: run "npm run build:electron" (or "npm run e2e:electron").';
  return null;
}

test.describe('Desktop shell', () => {
  const reason = unavailable();
  test.skip(reason !== null, reason ?? '');

  test('opens one window with the wizard rail, over the IPC transport', async () => {
    const testInfo = test.info();
    const config = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-electron-'));
    const app = await electron.launch({ args: [main], env: { ...process.env, DISTILLERY_CONFIG_DIR: config } });
    try {
      const win = await app.firstWindow();
      await expect(win.locator('nav a[data-step="project"]')).toHaveAttribute('aria-current', 'step');
      await expect(win.getByRole('heading', { name: 'Start with a project' })).toBeVisible();
      await win.keyboard.press('Alt+ArrowDown');
      await expect(win.locator('nav a[data-step="teacher"]')).toHaveAttribute('aria-current', 'step');
      const shot = testInfo.outputPath('electron-window.png');
      await win.screenshot({ path: shot });
      await testInfo.attach('electron-window', { path: shot, contentType: 'image/png' });
    } finally {
      await app.close();
      fs.rmSync(config, { recursive: true, force: true });
    }
  });
});

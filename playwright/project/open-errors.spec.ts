import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '../fixtures';
import { ProjectPage } from '../pages/ProjectPage';

/** A second real process that holds an exclusive SQLite lock on `file` until it is killed. */
async function lockInChild(file: string): Promise<ChildProcess> {
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const script = `const db = new (require(${JSON.stringify(sqlite)}))(process.argv[1]);
db.pragma('locking_mode = EXCLUSIVE'); db.exec('BEGIN EXCLUSIVE'); process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the locking process exited (${code})`)));
  });
  return child;
}

test.describe('Project step: why a project does not open', () => {
  test('a project locked by another process is "in use", in English and in Chinese, not "damaged"', async ({ app, page, uniqueDir }, testInfo) => {
    const dir = uniqueDir('locked');
    await app.open();
    const project = new ProjectPage(page);
    await project.create(dir, 'Locked');
    await project.expectDashboard('Locked');
    await project.closeButton.click();

    const child = await lockInChild(path.join(dir, 'project.sqlite'));
    try {
      await project.openDir.fill(dir);
      await project.openButton.click();
      const alert = page.getByRole('alert');
      await expect(alert).toContainText('The project is in use by another Distillery window or process: close it, then open the project again.');
      await expect(alert.getByTestId('open-error-detail')).toContainText(`(pid ${child.pid})`);
      await expect(alert).not.toContainText('damaged');
      await app.snap(testInfo, 'project-open-in-use');

      await app.language('中文').click();
      await project.page.getByRole('button', { name: '打开项目', exact: true }).click();
      await expect(alert).toContainText('项目正被另一个 Distillery 窗口或进程使用：请关闭它，然后重新打开项目。');
      await expect(alert).not.toContainText('损坏');
      await app.snap(testInfo, 'project-open-in-use-zh');
      await app.language('English').click();
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('a file of random bytes is the one case called damaged', async ({ app, page, uniqueDir }) => {
    const dir = uniqueDir('random');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'project.sqlite'), crypto.randomBytes(8192));
    await app.open();
    const project = new ProjectPage(page);
    await project.openDir.fill(dir);
    await project.openButton.click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('The project file is damaged: restore it from a backup or copy.');
    await expect(alert.getByTestId('open-error-detail')).toContainText('is damaged and cannot be opened (it is not an SQLite database)');
  });
});

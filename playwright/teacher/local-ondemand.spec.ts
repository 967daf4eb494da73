import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, mutate, test } from '../fixtures';
import { TeacherPage } from '../pages/teacher';

const python = path.resolve('.venv/bin/python');
let root = '';
let modelDir = '';

// Issue 19 item 7: a saved local teacher remembers its model folder, not its old port, and starts on demand.
test.describe('Teacher step: a local teacher starts on demand', () => {
  test.beforeAll(() => {
    test.skip(!fs.existsSync(python), 'No Python environment at .venv: run npm run setup:python to build the tiny model and serve it.');
    test.setTimeout(600_000);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-ondemand-'));
    modelDir = path.join(root, 'tiny-model');
    execFileSync(python, ['-m', 'distillery_worker', 'tiny-model', '--out', modelDir], { stdio: 'pipe', timeout: 580_000 });
  });

  test.afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('after its server stopped, Test shows "starting…", then succeeds, and the earlier error box is gone', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    test.setTimeout(900_000);
    await mutate(request, host, 'project.create', { dir: uniqueDir('ondemand'), name: 'On demand' });
    await app.open('#/teacher');
    const teacher = new TeacherPage(page);

    // Save a local teacher from a running server, then stop that server: its port is dead now.
    const server = await teacher.startLocal(modelDir, 300_000);
    await server.getByRole('button', { name: 'Use as teacher' }).click();
    const item = teacher.teacher('local-tiny-model');
    await expect(item).toBeVisible();
    await expect(item.getByTestId('local-teacher-state')).toContainText(/running|starts when used/);
    await expect(item).toContainText(modelDir);
    await server.getByRole('button', { name: 'Stop' }).click();
    await expect(teacher.localServers).toHaveCount(0, { timeout: 60_000 });
    await expect(item.getByTestId('local-teacher-state')).toHaveAttribute('data-state', 'onDemand');

    // While its folder is away, Test fails with one sentence naming the folder.
    const away = `${modelDir}-away`;
    fs.renameSync(modelDir, away);
    await item.getByRole('button', { name: 'Test' }).click();
    const errorBox = page.getByRole('alert').filter({ hasText: 'does not exist' });
    await expect(errorBox).toBeVisible({ timeout: 60_000 });
    await expect(errorBox).toContainText(modelDir);
    await app.snap(testInfo, 'teacher-ondemand-missing');

    // Back in place: Test starts it on demand ("starting…"), answers, and the stale error box is gone.
    fs.renameSync(away, modelDir);
    await item.getByRole('button', { name: 'Test' }).click();
    await expect(item.getByTestId('local-teacher-state')).toHaveAttribute('data-state', 'starting');
    await expect(item.getByTestId('local-teacher-state')).toHaveText('starting…');
    await app.snap(testInfo, 'teacher-ondemand-starting');
    const result = item.getByTestId('test-result');
    await expect(result).toContainText(/✓ Answered/, { timeout: 300_000 });
    await expect(errorBox).toHaveCount(0);
    await expect(item.getByTestId('local-teacher-state')).toHaveAttribute('data-state', 'running');

    // In Chinese too.
    await app.language('中文').click();
    await expect(item.getByTestId('local-teacher-state')).toHaveText('运行中');
    await app.snap(testInfo, 'teacher-ondemand-running-zh');
    await app.language('English').click();
  });
});

import { expect, mutate, test } from '../fixtures';
import { closedPort } from '../ports';
import { TeacherPage } from '../pages/teacher';

test('Teacher Test on an unreachable server shows only the error, no "no reasoning seen" rows under it', async ({ app, page, request, host, uniqueDir }, testInfo) => {
  await mutate(request, host, 'project.create', { dir: uniqueDir('teacher-down'), name: 'Teacher down' });
  await mutate(request, host, 'teacher.save', { name: 'down', baseUrls: [`http://127.0.0.1:${await closedPort()}/v1`], model: 'm' });
  await app.open('#/teacher');
  const teacher = new TeacherPage(page);
  const item = teacher.teacher('down');
  await item.getByRole('button', { name: 'Test' }).click();
  const result = item.getByTestId('test-result');
  await expect(result).toContainText('✗', { timeout: 30_000 });
  await expect(result).toContainText(/connect|ECONNREFUSED/i);
  // Nothing was measured: no latency, reasoning or context rows that read like findings.
  await expect(result).not.toContainText('no reasoning seen');
  await expect(result).not.toContainText('Latency');
  await expect(result.locator('dl')).toHaveCount(0);
  await app.snap(testInfo, 'teacher-test-unreachable-en');
});

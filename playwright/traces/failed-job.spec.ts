import { expect, mutate, test } from '../fixtures';
import { closedPort } from '../ports';
import { TracesPage } from '../pages/traces';

test('a generation job whose every request failed says "All failed", why, and what to fix — not "Done"', async ({ app, page, request, host, uniqueDir }, testInfo) => {
  test.setTimeout(150_000);
  await mutate(request, host, 'project.sample', { dir: uniqueDir('failed-job') });
  await mutate(request, host, 'teacher.save', { name: 'down', baseUrls: [`http://127.0.0.1:${await closedPort()}/v1`], model: 'm' });
  await app.open('#/traces');
  const traces = new TracesPage(page);
  await traces.mode.selectOption('limit');
  await traces.n.fill('2');
  await traces.start.click();

  await expect(traces.progress).toHaveAttribute('data-outcome', 'all_failed', { timeout: 120_000 });
  await expect(page.getByTestId('gen-status')).toHaveText('All failed');
  await expect(traces.bar.locator('div')).toHaveClass(/bg-rose-500/);
  const note = page.getByTestId('gen-outcome');
  await expect(note).toContainText('All 2 items failed');
  await expect(note).toContainText('The server could not be reached');
  await expect(note).toContainText(/2 × .*(ECONNREFUSED|connect)/);
  await app.snap(testInfo, 'traces-all-failed-en');

  await app.step('project').click();
  const job = page.getByTestId('jobs-list').locator('li').first();
  await expect(job).toContainText('All failed');
  await expect(job.getByTestId('job-outcome')).toHaveAttribute('data-outcome', 'all_failed');

  await app.language('中文').click();
  await expect(job).toContainText('全部失败');
  await app.snap(testInfo, 'jobs-all-failed-zh');
  await app.language('English').click();
});

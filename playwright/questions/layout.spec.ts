import { expect, mutate, test } from '../fixtures';
import { QuestionsPage } from '../pages/questions';

test('at 1280×800 the pool shows most of each question, not ~25 characters', async ({ app, page, request, host, uniqueDir }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await mutate(request, host, 'project.sample', { dir: uniqueDir('layout-sample') });
  await app.open('#/questions');
  const q = new QuestionsPage(page);
  await expect(q.rows().first()).toBeVisible();
  const cell = q.rows().first().getByRole('gridcell').nth(2);
  const box = await cell.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(380);
  // The detail pane moves below the table instead of squeezing it; it is still there.
  await q.rows().first().click();
  await expect(q.detail).toBeVisible();
  await app.snap(testInfo, 'questions-pool-1280');
});

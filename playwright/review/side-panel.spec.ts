import path from 'node:path';
import { expect, mutate, test } from '../fixtures';
import { cli, ReviewPage, writePool } from './page';

test.use({ viewport: { width: 1366, height: 860 } });

/**
 * At 1280–1440 px the three review columns are cramped: the side panel (preview, history, regenerate)
 * collapses with a button or a key, the editor column takes the width, and the choice survives a reload.
 */
test('Review: the side panel collapses (button and key), the editor widens, and the choice is remembered', async ({ app, page, request, host, uniqueDir }, testInfo) => {
  test.setTimeout(120_000);
  const dir = uniqueDir('review-side');
  await mutate(request, host, 'project.create', { dir, name: 'Review side panel' });
  const file = path.join(path.dirname(dir), `${path.basename(dir)}.jsonl`);
  writePool(file, 3);
  const env = { ...process.env, HOME: host.home, DISTILLERY_CONFIG_DIR: process.env.DISTILLERY_E2E_CONFIG ?? '' };
  expect(cli(['import', dir, file, '--json'], env)).toContain('"imported":3');

  await app.open('#/review');
  const rv = new ReviewPage(page);
  await expect(rv.rows).toHaveCount(3);
  const side = page.getByRole('complementary', { name: 'Side panel' });
  await expect(side).toBeVisible();
  await expect(rv.thinking).toBeVisible();
  const before = (await rv.thinking.boundingBox())!.width;

  const hide = page.getByRole('button', { name: 'Hide side panel' });
  await expect(hide).toHaveAttribute('aria-keyshortcuts', /P/);
  await hide.click();
  await expect(side).toBeHidden();
  await expect.poll(async () => (await rv.thinking.boundingBox())!.width).toBeGreaterThan(before + 200);
  await app.snap(testInfo, 'review-side-collapsed');

  // Remembered across a reload.
  await page.reload();
  await expect(rv.rows).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'Show side panel' })).toHaveAttribute('aria-expanded', 'false');
  await expect(side).toBeHidden();

  // The key brings it back (outside the editors), and hides it again.
  await page.getByRole('heading', { level: 1 }).click();
  await page.keyboard.press('p');
  await expect(side).toBeVisible();
  await expect.poll(async () => (await rv.thinking.boundingBox())!.width).toBeLessThan(before + 20);
  await page.keyboard.press('p');
  await expect(side).toBeHidden();
  await page.keyboard.press('p');
  await expect(side).toBeVisible();

  await app.language('中文').click();
  await expect(page.getByRole('button', { name: '隐藏侧栏' })).toBeVisible();
  await app.language('English').click();
});

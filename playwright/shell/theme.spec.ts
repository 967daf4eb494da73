import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';

// A string expression: this file is type-checked without the DOM library.
const bodyBg = (page: Page) => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');

test('the theme switch beside the language switch: light, dark or as the system says, kept across reloads', async ({ app, page }, testInfo) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await app.open('#/project');
  const html = page.locator('html');
  await expect(html).not.toHaveClass(/dark/);
  const light = await bodyBg(page);

  await app.header.locator('[data-theme-choice="dark"]').click();
  await expect(html).toHaveClass(/dark/);
  expect(await bodyBg(page)).not.toBe(light);
  await app.snap(testInfo, 'project-dark-en');
  await page.reload();
  await expect(html).toHaveClass(/dark/);
  await expect(app.header.locator('[data-theme-choice="dark"]')).toHaveAttribute('aria-pressed', 'true');

  await app.header.locator('[data-theme-choice="system"]').click();
  await expect(html).not.toHaveClass(/dark/);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveClass(/dark/);
  await page.emulateMedia({ colorScheme: 'light' });
  await app.header.locator('[data-theme-choice="light"]').click();
  await expect(html).not.toHaveClass(/dark/);
});

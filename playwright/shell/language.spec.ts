import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '../fixtures';

test.describe('Language', () => {
  test('switches to 中文 and back, and remembers the choice', async ({ app, page }, testInfo) => {
    await app.open();
    await expect(app.step('questions')).toContainText('Questions');
    await app.language('中文').click();
    await expect(app.language('中文')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(app.step('questions')).toContainText('题目');
    await expect(page.getByRole('heading', { name: '从一个项目开始' })).toBeVisible();
    await app.snap(testInfo, 'project-picker-zh');

    await page.reload();
    await expect(app.step('questions')).toContainText('题目');

    // Without a project the Review step explains itself and asks for one: a stable anchor in both languages.
    await app.step('review').click();
    await expect(app.main).toContainText('逐条阅读、修改并判定推理轨迹');
    await app.snap(testInfo, 'review-zh');

    await app.language('English').click();
    await expect(app.step('questions')).toContainText('Questions');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(app.main).toContainText('Read, fix and decide on each trace');
  });

  test.describe('first start', () => {
    test.use({ locale: 'zh-CN' });
    test('follows the system language', async ({ app }) => {
      await app.open();
      await expect(app.step('project')).toContainText('项目');
    });
  });

  test('every step is translated', async ({ app, page }) => {
    await app.open();
    await app.language('中文').click();
    for (const id of ['teacher', 'questions', 'traces', 'curate', 'review', 'train', 'evaluate'] as const) {
      await app.step(id).click();
      // No Latin-only headings: each step's first heading is in Chinese, whether the step is built or planned.
      await expect(page.locator('main').getByRole('heading').first()).toHaveText(/[\u4e00-\u9fff]/);
    }
  });
});

test('the English and Chinese resource files hold the same keys', () => {
  const keys = (o: unknown, prefix = ''): string[] =>
    typeof o === 'object' && o !== null && !Array.isArray(o)
      ? Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
      : [`${prefix}${Array.isArray(o) ? `[${o.length}]` : ''}`];
  // renderer/i18n/<language>/<namespace>.json: each namespace's keys under its file's name.
  const read = (lang: string) => {
    const dir = path.resolve('renderer/i18n', lang);
    return Object.fromEntries(fs.readdirSync(dir).map((f) => [f.replace(/\.json$/, ''), JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown]));
  };
  expect(keys(read('zh-CN')).sort()).toEqual(keys(read('en')).sort());
});

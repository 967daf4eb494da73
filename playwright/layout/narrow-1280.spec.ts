import path from 'node:path';
import type { Locator } from '@playwright/test';
import { expect, mutate, test } from '../fixtures';
import { cli, writePool } from '../review/page';

test.use({ viewport: { width: 1280, height: 800 } });

/** A select shows its chosen option whole: the option's text, drawn in the select's font, fits inside it. */
async function selectFits(select: Locator): Promise<{ scroll: number; client: number; text: number; room: number }> {
  return select.evaluate((el) => {
    // The specs compile without the DOM library: the few browser names used here, typed by hand.
    const s = el as unknown as { clientWidth: number; scrollWidth: number; selectedIndex: number; options: { text: string }[] };
    const w = globalThis as unknown as {
      getComputedStyle(e: unknown): { fontWeight: string; fontSize: string; fontFamily: string; paddingLeft: string; paddingRight: string };
      document: { createElement(tag: 'canvas'): { getContext(kind: '2d'): { font: string; measureText(t: string): { width: number } } } };
    };
    const css = w.getComputedStyle(s);
    const ctx = w.document.createElement('canvas').getContext('2d');
    ctx.font = `${css.fontWeight} ${css.fontSize} ${css.fontFamily}`;
    const text = ctx.measureText(s.options[s.selectedIndex]?.text ?? '').width;
    // Room for the text: the width less the padding and the native arrow (about 20 px in Chromium).
    const room = s.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight) - 20;
    return { scroll: s.scrollWidth, client: s.clientWidth, text, room };
  });
}

test('Train at 1280 px: the Method dropdown shows "Full fine-tuning" whole, in both languages', async ({ app, page, request, host, uniqueDir }) => {
  await mutate(request, host, 'project.create', { dir: uniqueDir('train-1280'), name: 'Train 1280' });
  await app.open('#/train');
  const method = page.locator('#train-method');
  await method.selectOption('full');
  for (const lang of ['English', '中文'] as const) {
    if (lang === '中文') await app.language('中文').click();
    // Polled: the layout settles once the step's data (presets, hardware) has loaded.
    await expect.poll(async () => (await selectFits(method)).room - (await selectFits(method)).text, { message: `the chosen method is cut (${lang})` }).toBeGreaterThanOrEqual(0);
    const m = await selectFits(method);
    expect(m.scroll).toBeLessThanOrEqual(m.client);
  }
  await app.language('English').click();
});

test('Review at 1280×800: the toolbar is one row, and the ? help lists the side panel key P', async ({ app, page, request, host, uniqueDir }) => {
  test.setTimeout(120_000);
  const dir = uniqueDir('review-1280');
  await mutate(request, host, 'project.create', { dir, name: 'Review 1280' });
  const file = path.join(path.dirname(dir), `${path.basename(dir)}.jsonl`);
  writePool(file, 3);
  const env = { ...process.env, HOME: host.home, DISTILLERY_CONFIG_DIR: process.env.DISTILLERY_E2E_CONFIG ?? '' };
  expect(cli(['import', dir, file, '--json'], env)).toContain('"imported":3');
  await app.open('#/review');
  const bar = page.getByTestId('review-toolbar');
  await expect(bar.getByTestId('progress')).toBeVisible();
  for (const lang of ['English', '中文'] as const) {
    if (lang === '中文') await app.language('中文').click();
    const tops = await bar.evaluate((el) => [...el.children].filter((c) => (c as unknown as { offsetParent: unknown }).offsetParent).map((c) => Math.round(c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2)));
    expect(tops.length).toBeGreaterThan(3);
    expect(Math.max(...tops) - Math.min(...tops), `the toolbar wraps (${lang})`).toBeLessThanOrEqual(4);
    // Nothing gives way that matters: the progress count is whole, not clipped by its neighbours.
    const count = await bar.getByTestId('reviewed-label').evaluate((el) => {
      const box = el.getBoundingClientRect();
      const parent = el.parentElement!.getBoundingClientRect();
      return { right: box.right, room: parent.right };
    });
    expect(count.right, `the reviewed count is clipped (${lang})`).toBeLessThanOrEqual(count.room + 0.5);
  }
  await app.language('English').click();

  await page.getByRole('heading', { level: 1 }).click();
  await page.keyboard.press('?');
  const row = page.getByTestId('review-help').getByTestId('help-row').filter({ hasText: 'side panel' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('P');
});

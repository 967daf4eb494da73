import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { startCompletionsServer, type CompletionsServer } from '../../electron/core/eval/testing/completions-server';
import { builtinDir } from '../../electron/core/eval/benchmarks';
import { loadTokenizerFile } from '../../electron/core/tokens';
import { hasPython, tinyModel } from '../../electron/core/train/testing';
import { expect, mutate, test } from '../fixtures';
import { EvaluatePage } from './page';

const WIDTH = 1280;
/** A 20,000-character "word": no space, no break opportunity. */
const LONG = 'q7'.repeat(10_000);

test.use({ viewport: { width: WIDTH, height: 800 } });

/**
 * Nothing widened the layout: the main panel has no horizontal overflow, the element ends inside the
 * viewport, and its own text wraps (it does not scroll sideways either).
 */
async function expectWithinViewport(page: Page, el: Locator): Promise<void> {
  const main = await page.locator('main').evaluate((m) => ({ scroll: m.scrollWidth, client: m.clientWidth }));
  expect(main.scroll, 'the main panel scrolls sideways').toBeLessThanOrEqual(main.client + 1);
  const box = await el.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x + box!.width).toBeLessThanOrEqual(WIDTH);
  const own = await el.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
  expect(own.scroll, 'the text does not wrap').toBeLessThanOrEqual(own.client + 1);
}

/**
 * A model whose thinking is one 20,000-character token: the Evaluate drill-down and the Playground chat wrap
 * it inside their panels (overflow-wrap: anywhere, scrolling inside) instead of widening the page.
 */
test.describe('Evaluate: long unbroken model output stays inside its panel', () => {
  test.skip(!hasPython() || !builtinDir(), 'Needs the Python environment (the tiny model’s tokenizer) and shared/data/benchmarks.');
  let server: CompletionsServer | null = null;
  let modelDir = '';

  test.beforeAll(async () => {
    test.setTimeout(600_000);
    modelDir = tinyModel();
    const tok = loadTokenizerFile(path.join(modelDir, 'tokenizer.json'));
    server = await startCompletionsServer(tok, (c) => (c.prompt.lastIndexOf('</think>') < c.prompt.lastIndexOf('<think>') ? `${LONG}\n</think>` : `\n\nSo ${LONG.slice(0, 1500)} gives \\boxed{7}.`));
  });

  test.afterAll(async () => {
    await server?.close();
  });

  test('the drill-down of a run stays within 1280 px', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    test.setTimeout(300_000);
    expect(fs.existsSync(path.join(builtinDir()!, 'aime24.jsonl'))).toBe(true);
    await mutate(request, host, 'project.create', { dir: uniqueDir('eval-long'), name: 'Eval long' });
    await mutate(request, host, 'teacher.save', { name: 'long', baseUrls: [server!.url], model: modelDir });
    await app.open('#/evaluate');
    const ev = new EvaluatePage(page);
    await ev.modelOption('teacher:long').getByRole('checkbox').check();
    await ev.bench('builtin:aime24').getByRole('checkbox').check();
    await ev.maxThinking.fill('20500');
    await ev.limit.fill('1');
    await ev.start.click();
    await expect(ev.progress).toHaveAttribute('data-status', 'done', { timeout: 240_000 });

    await page.getByTestId('drill-question').first().getByRole('button').first().click();
    const detail = page.getByTestId('drill-detail');
    await expect(detail.getByTestId('sample-thinking')).toContainText('q7q7q7');
    await expectWithinViewport(page, detail);
    await expectWithinViewport(page, page.getByTestId('drill-question').first().getByRole('button').first());
    await expectWithinViewport(page, detail.getByTestId('sample-thinking'));
    await app.snap(testInfo, 'evaluate-drill-long');
  });

  test('the Playground chat wraps a 20,000-character question and thinking inside the panel', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    test.setTimeout(300_000);
    await mutate(request, host, 'project.create', { dir: uniqueDir('eval-long-pg'), name: 'Eval long playground' });
    await mutate(request, host, 'teacher.save', { name: 'long', baseUrls: [server!.url], model: modelDir });
    await app.open('#/evaluate');
    await page.getByRole('tab', { name: 'Playground' }).click();
    await page.getByTestId('pg-model-option').filter({ hasText: 'long' }).getByRole('radio').check();
    await page.locator('#pg-maxThinking').fill('20500');
    // A 20,000-character question: it goes by POST (its stream carries a key), so no URL is too long for the server.
    await page.locator('#pg-input').fill(LONG);
    await page.keyboard.press('Control+Enter');
    const turn = page.getByTestId('pg-turn').first();
    await expect(turn).toHaveAttribute('data-done', 'yes', { timeout: 120_000 });
    await expect(turn.getByTestId('pg-thinking')).toContainText('q7q7q7');
    await expect(page.getByText(/Unknown error|too long/)).toHaveCount(0);
    await expectWithinViewport(page, turn.locator('> div').first());
    await expectWithinViewport(page, turn.getByTestId('pg-thinking'));
    await app.snap(testInfo, 'evaluate-playground-long');
  });
});

import { hasPython, tinyModel } from '../../electron/core/train/testing';
import { expect, mutate, test } from '../fixtures';
import { closedPort } from '../ports';

/**
 * Issue 19 §11: a Playground turn that fails showed only the engine's English sentence. The error event
 * now carries a code, and in 中文 the turn is headed by that code's sentence (errors.<code>).
 */
test('Playground in 中文: a failed turn is headed in Chinese by its error code', async ({ app, page, request, host, uniqueDir }) => {
  test.skip(!hasPython(), 'Needs the Python environment (the tiny model’s tokenizer).');
  test.setTimeout(300_000);
  const modelDir = tinyModel();
  await mutate(request, host, 'project.create', { dir: uniqueDir('pg-error-zh'), name: 'Playground error' });
  await mutate(request, host, 'teacher.save', { name: 'down', baseUrls: [`http://127.0.0.1:${await closedPort()}/v1`], model: modelDir });
  await app.open('#/evaluate');
  await page.getByRole('tab', { name: 'Playground' }).click();
  await page.getByTestId('pg-model-option').filter({ hasText: 'down' }).getByRole('radio').check();
  await page.locator('#pg-maxThinking').fill('8');
  await page.locator('#pg-input').fill('What is 1 + 1?');
  await page.keyboard.press('Control+Enter');
  const turn = page.getByTestId('pg-turn').first();
  await expect(turn).toHaveAttribute('data-done', 'yes', { timeout: 120_000 });
  const error = turn.getByTestId('pg-error').getByRole('alert');
  await expect(error).toBeVisible();
  await expect(error).not.toHaveAttribute('data-code', '');
  await expect(error.getByTestId('error-headline')).toHaveCount(0);
  await app.language('中文').click();
  await expect(error.getByTestId('error-headline')).toHaveText(/[\u4e00-\u9fff]/);
  await app.language('English').click();
});

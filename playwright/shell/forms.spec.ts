import { expect, mutate, test } from '../fixtures';

test("a step's form is kept per project: leaving the step or reloading the page loses nothing", async ({ app, page, request, host, uniqueDir }, testInfo) => {
  test.setTimeout(120_000);
  await mutate(request, host, 'project.sample', { dir: uniqueDir('forms-sample') });

  await app.open('#/curate');
  await page.locator('#cur-target').fill('123');
  await page.locator('#cur-name').fill('my recipe');
  await app.step('train').click();
  await page.locator('#train-base').fill('/models/Qwen2.5-0.5B-Instruct');
  await page.locator('#train-epochs').fill('7');
  // Leave through the rail (no reload), then come back.
  await app.step('project').click();
  await app.step('curate').click();
  await expect(page.locator('#cur-target')).toHaveValue('123');
  await expect(page.locator('#cur-name')).toHaveValue('my recipe');
  await app.step('train').click();
  await expect(page.locator('#train-base')).toHaveValue('/models/Qwen2.5-0.5B-Instruct');
  // A reload (or a restart of the server) reads it back from the project.
  await page.waitForTimeout(600);
  await page.reload();
  await app.expectActive('train');
  await expect(page.locator('#train-base')).toHaveValue('/models/Qwen2.5-0.5B-Instruct');
  await expect(page.locator('#train-epochs')).toHaveValue('7');
  await app.step('curate').click();
  await expect(page.locator('#cur-target')).toHaveValue('123');
  await app.snap(testInfo, 'forms-kept');
});

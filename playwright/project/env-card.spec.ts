import { expect, mutate, test } from '../fixtures';

/**
 * The Environment card shows the preflight's fast facts at once (no torch import: well under the 5-15 s the full
 * check takes), and runs the full CUDA check (torch imported) only when "Check that CUDA works" is clicked.
 */
test.describe('Project step: Environment card', () => {
  test('fast facts first; the CUDA check on request', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    test.setTimeout(240_000);
    await mutate(request, host, 'project.sample', { dir: uniqueDir('env-card') });
    const started = Date.now();
    await app.open('#/project');
    const card = page.getByTestId('env-check');
    // The fast facts: versions from installed metadata (or the setup sentence where there is no environment).
    await expect(card).toContainText(/Python environment ready|setup:python/, { timeout: 5_000 });
    testInfo.annotations.push({ type: 'first visit', description: `${Date.now() - started} ms to the facts` });
    test.skip(!(await card.textContent())?.includes('Python environment ready'), 'no Python environment here (npm run setup:python)');
    await expect(card.getByTestId('env-cuda')).toContainText('CUDA');
    await app.snap(testInfo, 'env-card-fast-en');

    // The full check only on request (unless an earlier visit ran it: then it is shown from its cache, and the button checks again).
    const gpus = card.getByTestId('env-gpus');
    const button = card.getByRole('button', { name: /^(Check that CUDA works|Check CUDA again)$/ });
    if ((await gpus.textContent())?.includes('not checked yet')) await expect(button).toHaveText('Check that CUDA works');
    await button.click();
    await expect(gpus).not.toContainText('not checked yet', { timeout: 150_000 });
    await expect(card.getByTestId('env-cuda')).not.toContainText('not checked yet');
    await expect(card.getByRole('button', { name: 'Check CUDA again' })).toBeEnabled({ timeout: 150_000 });
    await app.snap(testInfo, 'env-card-cuda-en');

    await app.language('中文').click();
    await expect(card.getByRole('button', { name: '重新检查 CUDA' })).toBeVisible();
    await app.language('English').click();
  });
});

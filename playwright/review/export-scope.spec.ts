import { expect, mutate, test } from '../fixtures';

/**
 * A frozen curation run that kept nothing leaves the selection empty, and the export then takes the whole pool
 * (the CLI's `review` says so in a note). The Review step's export panel says the same, from the engine's preview.
 */
test.describe('Review export scope', () => {
  test('an empty frozen selection: the export panel says the export takes the whole pool', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    await mutate(request, host, 'project.sample', { dir: uniqueDir('review-empty-selection') });

    // No frozen run yet: the pool is the scope by design, nothing to say.
    await app.open('#/review');
    await app.expectActive('review');
    await page.getByRole('button', { name: 'Export…' }).click();
    const share = page.getByTestId('share-dialog');
    await expect(share.getByTestId('export-preview')).toBeVisible();
    await expect(share.getByTestId('export-empty-selection')).toHaveCount(0);
    await share.getByRole('button', { name: 'Close' }).click();

    // A run whose only rule matches every question keeps nothing; freezing it empties the selection.
    const recipe = { quality: { formatRules: [{ name: 'everything', pattern: '[\\s\\S]', flags: '', field: 'question', enabled: true }] } };
    await mutate(request, host, 'curate.run', { recipe });
    const frozen = await (await mutate(request, host, 'curate.freeze', {})).json();
    expect(frozen.result.data).toMatchObject({ frozen: 0 });

    await page.reload();
    await page.getByRole('button', { name: 'Export…' }).click();
    await expect(share.getByTestId('export-empty-selection')).toHaveText(
      'The frozen curation selection is empty, so the export takes the whole pool. Freeze a non-empty selection in Curate to export only curated questions.',
    );
    await app.snap(testInfo, 'review-export-empty-selection-en');
    await share.getByRole('button', { name: 'Close' }).click();

    await app.language('中文').click();
    await page.getByRole('button', { name: '导出…' }).click();
    await expect(share.getByTestId('export-empty-selection')).toContainText('冻结的筛选结果为空，因此导出会使用整个题库。');
    await share.getByRole('button', { name: '关闭' }).click();
    await app.language('English').click();
  });
});

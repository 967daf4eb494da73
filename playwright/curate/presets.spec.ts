import { expect, mutate, test } from '../fixtures';
import { CuratePage } from '../pages/curate';

/**
 * Issue 19 items 9 and 12(d), issue 20 item 1, on the sample project (323 questions) with two registered models:
 * presets are buttons at the top, each stage leads with a plain sentence, the raw settings (patterns, exponents,
 * n-gram size, taxonomy) sit under a collapsed "Advanced", and "Why?" opens right under the clicked row.
 */
test.describe('Curate presets and plain language', () => {
  // `app` first: it closes whatever project an earlier test left open.
  test.beforeEach(async ({ app: _app, request, host, uniqueDir }) => {
    await mutate(request, host, 'project.sample', { dir: uniqueDir('curate-presets') });
    // Saving a teacher does not contact it: these only name the models whose checked answers judge difficulty.
    await mutate(request, host, 'teacher.save', { name: 'weak-7b', baseUrls: ['http://127.0.0.1:9/v1'], model: 'weak' });
    await mutate(request, host, 'teacher.save', { name: 'strong-32b', baseUrls: ['http://127.0.0.1:9/v1'], model: 'strong' });
  });

  test('LIMO in one click: its plain summary, the bands in words, Advanced collapsed until opened', async ({ app, page }, testInfo) => {
    await app.open('#/curate');
    const knobs = page.getByTestId('knobs');
    await expect(knobs.getByTestId('presets')).toBeVisible();
    // The models ticked first are the ones the preset uses: LIMO's weak model, then its strong one.
    await page.locator('#cur-filter-weak-7b').check();
    await page.locator('#cur-filter-strong-32b').check();
    await knobs.getByTestId('preset-limo').click();
    await expect(knobs.getByTestId('preset-limo')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('preset-summary')).toHaveText(/^LIMO \(817 samples\): drop what a weak model solves in any of 4 tries/);
    await expect(page.locator('#cur-target')).toHaveValue('817');

    const difficulty = page.getByTestId('summary-difficulty');
    await expect(difficulty).toContainText('Keeps questions the weak model (weak-7b) gets wrong in every try (4 tries).');
    await expect(difficulty).toContainText('Keeps questions the strong model (strong-32b) solves only 1–3 of 8 tries.');
    await expect(page.getByTestId('summary-quality')).toContainText('Keeps questions whose trace finished with thinking and a final answer');
    await expect(page.getByTestId('summary-diversity')).toHaveText('Takes the 817 questions with the best reasoning chains (long, checking itself, trying alternatives).');
    await expect(page.getByTestId('band')).toHaveCount(2);

    // Raw rules, exponents, n-gram size and the taxonomy code are not shown until Advanced is opened.
    for (const stage of ['quality', 'difficulty', 'diversity']) await expect(page.getByTestId(`advanced-${stage}`)).not.toHaveAttribute('open');
    await expect(page.getByLabel('Pattern (regular expression)').first()).toBeHidden();
    await expect(page.locator('#cur-repetition-n')).toBeHidden();
    await expect(page.locator('#cur-rank')).toBeHidden();
    await expect(knobs.getByText('n-gram size')).toBeHidden();
    await expect(knobs.getByText('msc2020 (61)')).toBeHidden();
    await app.snap(testInfo, 'curate-limo-en');

    await page.getByTestId('advanced-quality').locator('summary').click();
    await expect(page.getByLabel('Pattern (regular expression)').first()).toBeVisible();
    await expect(page.locator('#cur-repetition-n')).toBeVisible();

    // The same in Chinese.
    await app.language('中文').click();
    await expect(page.getByTestId('preset-summary')).toContainText('LIMO（817 条）');
    await expect(page.getByTestId('summary-difficulty')).toContainText('保留“weak”模型（weak-7b）每次尝试都答错的题目（共 4 次）。');
    await page.getByTestId('summary-difficulty').scrollIntoViewIfNeeded();
    await app.snap(testInfo, 'curate-limo-zh');
    await app.language('English').click();

    // Light-R1 keeps several verified answers per question; s1 goes back to domain diversity.
    await knobs.getByTestId('preset-light-r1').click();
    await expect(page.getByTestId('summary-diversity')).toContainText('Keeps up to 4 checked-right answers per question.');
    await expect(page.getByTestId('band')).toHaveCount(1);
    await knobs.getByTestId('preset-s1').click();
    await expect(page.getByTestId('summary-diversity')).toContainText('Picks 1,000 questions spread evenly over the subject areas');
    await expect(page.getByTestId('summary-difficulty')).toHaveText('Drops questions that weak-7b solves at least 1 time(s).');
  });

  test('"Why?" opens right under the clicked row, not below the page of 50 rows', async ({ app, page }, testInfo) => {
    test.setTimeout(120_000);
    await app.open('#/curate');
    const cur = new CuratePage(page);
    await cur.run.click();
    await expect(page.getByTestId('run-msg')).toContainText('Run #1 stored');
    await expect(cur.rows).toHaveCount(50);
    const row = cur.rows.nth(39);
    const qid = Number(await row.getAttribute('data-question'));
    await row.getByRole('button', { name: 'Why?' }).click();
    await expect(cur.explain).toContainText(`Why question ${qid}?`);
    await expect(page.getByTestId('explain-reason')).toContainText('No trace for this question.');

    const r = await row.boundingBox();
    const x = await cur.explain.boundingBox();
    const next = await cur.rows.nth(40).boundingBox();
    expect(r && x && next).toBeTruthy();
    if (!r || !x || !next) return;
    // The panel starts within a few pixels of the row's bottom edge and sits before the next row.
    expect(Math.abs(x.y - (r.y + r.height))).toBeLessThan(12);
    expect(x.y + x.height).toBeLessThanOrEqual(next.y + 1);
    expect(x.x).toBeLessThan(r.x + 20);
    await app.snap(testInfo, 'curate-why-inline');

    // Escape closes it; the rows stay where they were.
    await page.keyboard.press('Escape');
    await expect(cur.explain).toHaveCount(0);
  });
});

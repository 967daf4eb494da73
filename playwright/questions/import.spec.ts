import fs from 'node:fs';
import path from 'node:path';
import { expect, mutate, test } from '../fixtures';
import { QuestionsPage } from '../pages/questions';

// Custom column names, two bad rows (data row 4: empty question; data row 5: broken quoting), and a
// question holding raw HTML that must show as text.
const CSV = [
  '"Problem Text","Gold","Topic","Worked"',
  '"What is $2+3$?","5","arithmetic","Add: $2+3=5$."',
  '"Solve $x^2 = 49$ for positive $x$.","7","algebra","$x=7$"',
  '"Render <b>bold</b> as literal text, please","yes","algebra",""',
  '"","12","arithmetic",""',
  '"The "broken" quoting row",3,geometry,',
  '"Sum of the interior angles of a triangle, in degrees?","180","geometry","A triangle: $180^\\circ$."',
  '"Find the area of a circle with radius $r = 2$.","4\\pi","geometry",""',
].join('\n');

test.describe('Questions step: import with a column mapping, then browse the pool', () => {
  test('maps columns, accounts for every row, searches and filters, shows HTML as text', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    test.setTimeout(180_000);
    const dir = uniqueDir('questions');
    const data = uniqueDir('questions-data');
    fs.mkdirSync(data, { recursive: true });
    fs.writeFileSync(path.join(data, 'custom.csv'), CSV);
    await mutate(request, host, 'project.create', { dir, name: 'Questions e2e' });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));

    await app.open('#/questions');
    await app.expectActive('questions');
    const q = new QuestionsPage(page);
    await expect(q.heading).toHaveText('Questions');
    await expect(page.getByTestId('pool-empty')).toContainText('The pool is empty');

    // Import: pick the file through the server-side browser; the preview runs before anything is written.
    await q.tab('Import').click();
    await q.chooseFile(data, 'custom.csv');
    await expect(q.fileInput).toHaveValue(path.join(data, 'custom.csv'));
    await expect(page.getByTestId('detected')).toContainText('csv');
    await expect(q.preview).toBeVisible();
    // Unmapped, "Problem Text" is not recognised: every row is rejected as missing its question.
    await expect(page.getByTestId('preview-counts')).toContainText('7 rows read: 0 would be imported');

    // "Gold" is not a name the importer knows: it says that no answer column is mapped, until the user maps one.
    await expect(page.getByTestId('no-answer-column')).toContainText('No column is mapped to the reference answer');
    await q.mapping('question').selectOption('Problem Text');
    await q.mapping('answer').selectOption('Gold');
    await expect(page.getByTestId('no-answer-column')).toHaveCount(0);
    await q.mapping('domain').selectOption('Topic');
    await q.mapping('solution').selectOption('Worked');
    await expect(page.getByTestId('preview-counts')).toContainText('7 rows read: 5 would be imported, 0 duplicates, 2 rejected');
    await expect(page.getByTestId('preview-rows')).toContainText('Solve $x^2 = 49$');
    await expect(q.previewRejects.locator('tbody tr')).toHaveCount(2);
    await expect(q.previewRejects.locator('tbody tr').nth(0)).toContainText('4');
    await expect(q.previewRejects.locator('tbody tr').nth(0)).toContainText('empty question');
    await expect(q.previewRejects.locator('tbody tr').nth(1)).toContainText('5');
    await expect(q.previewRejects.locator('tbody tr').nth(1)).toContainText(/broken CSV quoting|wrong number of columns/);
    await app.snap(testInfo, 'questions-import-preview-en');

    // Nothing was written by the preview.
    await q.importButton.click();
    await expect(q.count('read')).toHaveText('7');
    await expect(q.count('imported')).toHaveText('5');
    await expect(q.count('duplicates')).toHaveText('0');
    await expect(q.count('rejected')).toHaveText('2');
    await expect(q.accounting).toContainText('5 imported + 0 duplicates + 2 rejected = 7 read ✓');
    await expect(q.importRejects.locator('tbody tr')).toHaveCount(2);
    await expect(q.importRejects.locator('tbody tr').nth(0).locator('td').first()).toHaveText('4');
    await expect(q.importRejects.locator('tbody tr').nth(1).locator('td').first()).toHaveText('5');
    // Issue 19 §11: the reasons carry codes; in 中文 they are Chinese
    await app.language('中文').click();
    await expect(q.importRejects.locator('tbody tr').nth(0)).toContainText('题目为空');
    await expect(q.importRejects.locator('tbody tr').nth(1)).toContainText(/CSV 引号有误|列数不对/);
    await app.language('English').click();
    await q.saveReport.click();
    await expect(q.reportPath).toContainText('import-1-rejected.jsonl');
    const saved = (await q.reportPath.locator('code').textContent()) ?? '';
    expect(fs.readFileSync(saved, 'utf8').trim().split('\n')).toHaveLength(2);
    await app.snap(testInfo, 'questions-import-result-en');

    // Pool: five rows, search, domain filter.
    await page.getByRole('button', { name: 'Show the pool' }).click();
    await expect(q.total).toContainText('5 questions match');
    await expect(q.rows()).toHaveCount(5);
    await expect(q.shortcuts).toContainText('next / previous');

    await q.search.fill('triangle');
    await expect(q.total).toContainText('1 question matches');
    await expect(q.rows()).toHaveCount(1);
    await expect(q.rows().first()).toContainText('interior angles');
    await q.search.fill('');
    await expect(q.total).toContainText('5 questions match');

    await q.domainFilter.selectOption('geometry');
    await expect(q.total).toContainText('2 questions match');
    await expect(q.rows()).toHaveCount(2);
    await expect(q.rows().filter({ hasText: 'arithmetic' })).toHaveCount(0);
    await q.domainFilter.selectOption('*');
    await expect(q.total).toContainText('5 questions match');

    // Multi-select: click, shift-click a range, select all matching (pool.ids), clear.
    await q.row('What is').click();
    await q.row('Render <b>bold</b>').click({ modifiers: ['Shift'] });
    await expect(page.getByTestId('selected-count')).toHaveText('3 selected');
    await page.getByRole('button', { name: 'Select all 5 matching' }).click();
    await expect(page.getByTestId('selected-count')).toHaveText('5 selected');
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await expect(page.getByTestId('selected-count')).toHaveText('0 selected');

    // Raw HTML in a question shows as literal text in the table and in the Markdown detail pane.
    await q.row('Render <b>bold</b>').click();
    const question = q.detail.getByTestId('detail-question');
    await expect(question).toContainText('Render <b>bold</b> as literal text');
    await expect(question.locator('b')).toHaveCount(0);
    // KaTeX renders the math of another question; keyboard: j/k move, x excludes.
    await q.row('Solve').click();
    await expect(q.detail.locator('.katex').first()).toBeVisible();
    await page.locator('body').press('j');
    await expect(q.detail.getByTestId('detail-question')).toContainText('Render <b>bold</b>');
    await page.locator('body').press('x');
    await expect(q.row('Render <b>bold</b>')).toContainText('excluded');
    await q.statusFilter.selectOption('excluded');
    await expect(q.total).toContainText('1 question matches');
    await q.statusFilter.selectOption('all');
    await page.locator('body').press('/');
    await expect(q.search).toBeFocused();
    await q.row('Solve').click();
    await app.snap(testInfo, 'questions-pool-en');

    await app.language('中文').click();
    await expect(q.heading).toHaveText('题目');
    await expect(q.tab('题库')).toHaveAttribute('aria-selected', 'true');
    await expect(q.shortcuts).toContainText('快捷键');
    await app.snap(testInfo, 'questions-pool-zh');
    await q.tab('导入').click();
    await app.snap(testInfo, 'questions-import-zh');
    await app.language('English').click();
    // No script error and no CSP violation (KaTeX output uses inline styles and bundled fonts).
    expect(problems).toEqual([]);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { expect, mutate, test } from '../fixtures';
import { QuestionsPage } from '../pages/questions';

const BASE = 'A farmer has a rectangular field whose length is twice its width and whose perimeter is sixty metres so what is its area';
const MOD = 'Compute the remainder when seven factorial is divided by the prime number';

test.describe('Questions step: duplicates and decontamination', () => {
  test('finds a near-duplicate cluster, keeps the other one, flags an evaluation leak', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    test.setTimeout(180_000);
    const dir = uniqueDir('questions-dd');
    const data = uniqueDir('questions-dd-data');
    fs.mkdirSync(data, { recursive: true });
    const pool = [
      { question: BASE, answer: '200', domain: 'geometry' },
      { question: `${BASE} exactly`, answer: '200', domain: 'geometry' },
      { question: 'What is the sum of the interior angles of a pentagon measured in degrees?', answer: '540', domain: 'geometry' },
      { question: 'Compute $\\int_0^1 x\\,dx$.', answer: '1/2', domain: 'calculus' },
      { question: `${MOD} 97 and give it as an integer`, answer: '93', domain: 'number theory' },
      { question: `${MOD} 89 and give it as an integer`, answer: '56', domain: 'number theory' },
    ];
    fs.writeFileSync(path.join(data, 'pool.jsonl'), pool.map((r) => JSON.stringify(r)).join('\n') + '\n');
    fs.writeFileSync(path.join(data, 'bench.jsonl'), JSON.stringify({ question: 'Find the sum of the interior angles of a pentagon measured in degrees.', answer: '540' }) + '\n');
    await mutate(request, host, 'project.create', { dir, name: 'Dedup e2e' });
    await mutate(request, host, 'pool.import', { file: path.join(data, 'pool.jsonl') });

    await app.open('#/questions');
    const q = new QuestionsPage(page);
    await expect(q.total).toContainText('6 questions match');

    await q.tab('Duplicates').click();
    await expect(page.locator('#dedup-threshold')).toHaveValue('0.8');
    await page.getByRole('button', { name: 'Find duplicates' }).click();
    // A proposal: nothing is excluded before the user confirms.
    await expect(page.getByTestId('dedup-summary')).toContainText('6 questions checked: 2 clusters. 1 would be excluded');
    await expect(page.getByTestId('dedup-summary')).toContainText('1 look alike but differ in their numbers and are kept. Nothing is excluded yet.');
    const clusters = page.getByTestId('clusters').locator('> li');
    await expect(clusters).toHaveCount(2);
    const farm = clusters.filter({ hasText: 'farmer' });
    await expect(farm.getByTestId('dedup-member').first()).toContainText('kept representative');
    await expect(farm.getByTestId('dedup-member').first()).toContainText('#1');
    await expect(farm.getByTestId('dedup-member').nth(1)).toHaveAttribute('data-state', 'proposed');
    await expect(farm.getByTestId('dedup-diff')).toHaveText('exactly');
    const mod = clusters.filter({ hasText: 'factorial' });
    await expect(mod.getByTestId('dedup-member').nth(1)).toHaveAttribute('data-state', 'numbers-differ');
    await expect(mod.getByTestId('dedup-diff')).toHaveText('89');
    await farm.getByRole('button', { name: 'Keep this one instead' }).click();
    await expect(farm.getByTestId('dedup-member').first()).toContainText('#2');
    await expect(farm.getByTestId('dedup-member').first()).toContainText('kept representative');
    await app.snap(testInfo, 'questions-dedup-en');
    await q.tab('Pool').click();
    await expect(q.total).toContainText('6 questions match');
    await q.tab('Duplicates').click();

    await page.getByTestId('dedup-apply').click();
    await expect(page.getByTestId('dedup-note')).toContainText('1 questions excluded as duplicates');
    await expect(clusters.filter({ hasText: 'farmer' }).getByTestId('dedup-member').nth(1)).toHaveAttribute('data-state', 'excluded');
    await page.getByTestId('dedup-undo').click();
    await expect(page.getByTestId('dedup-note')).toContainText('1 questions are back in the pool');
    await expect(clusters.filter({ hasText: 'farmer' }).getByTestId('dedup-member').nth(1)).toHaveAttribute('data-state', 'proposed');

    await q.tab('Decontamination').click();
    // The built-in benchmarks are offered, all ticked: checking needs no typed path.
    const builtin = page.getByTestId('builtin-benchmarks').getByRole('checkbox');
    await expect(builtin).toHaveCount(8);
    for (const box of await builtin.all()) await expect(box).toBeChecked();
    await page.locator('#evalset-name').fill('bench');
    await page.locator('#evalset-file').fill(path.join(data, 'bench.jsonl'));
    await page.getByRole('button', { name: 'Register' }).click();
    await expect(page.getByTestId('heldout-sets')).toContainText('bench');
    await expect(page.getByTestId('heldout-sets')).toContainText('1 item');
    await expect(page.locator('#decontam-ngram')).toHaveValue('8');
    await page.getByRole('button', { name: 'Check the pool' }).click();
    await expect(page.getByTestId('decontam-summary')).toContainText('6 questions checked, 1 flagged');
    await expect(page.getByTestId('builtin-benchmarks')).toContainText('500 items');
    const flagged = page.getByTestId('flagged').locator('tbody tr');
    await expect(flagged).toHaveCount(1);
    await expect(flagged).toContainText('pentagon');
    await expect(flagged).toContainText('bench #1');
    await expect(flagged).toContainText('interior angles of a pentagon');
    await app.snap(testInfo, 'questions-decontam-en');

    await q.tab('Pool').click();
    await q.statusFilter.selectOption('contaminated');
    await expect(q.total).toContainText('1 question matches');
    await q.rows().first().click();
    await expect(q.detail.getByTestId('detail-contamination')).toContainText('bench item 1');
    await app.language('中文').click();
    await q.tab('重复').click();
    await expect(page.getByRole('button', { name: '查找重复' })).toBeVisible();
    await app.snap(testInfo, 'questions-dedup-zh');
    await app.language('English').click();
  });
});

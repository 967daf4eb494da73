import fs from 'node:fs';
import path from 'node:path';
import { expect, mutate, test } from '../fixtures';
import { QuestionsPage } from '../pages/questions';

/**
 * Decontamination offers the project's held-out set beside the built-in benchmarks, ticked by default, and
 * checks only what is ticked; every disabled button in the panel says why, in a tooltip and in text.
 */
test('decontamination: the held-out set is a checkbox beside the benchmarks, on by default; disabled buttons say why', async ({ app, page, request, host, uniqueDir }, testInfo) => {
  test.setTimeout(180_000);
  const dir = uniqueDir('decontam-heldout');
  const data = uniqueDir('decontam-heldout-data');
  fs.mkdirSync(data, { recursive: true });
  const pool = [
    { question: 'A botanist plants seventeen rows of tulips with nine bulbs in each row and then removes four bulbs; how many remain?', answer: '149' },
    { question: 'Compute the remainder when seven factorial is divided by ninety seven.', answer: '93' },
  ];
  fs.writeFileSync(path.join(data, 'pool.jsonl'), pool.map((r) => JSON.stringify(r)).join('\n') + '\n');
  fs.writeFileSync(path.join(data, 'heldout.jsonl'), JSON.stringify({ question: 'The botanist plants seventeen rows of tulips with nine bulbs in each row and then removes four bulbs. How many remain?', answer: '149' }) + '\n');
  await mutate(request, host, 'project.create', { dir, name: 'Held-out e2e' });
  await mutate(request, host, 'pool.import', { file: path.join(data, 'pool.jsonl') });
  await mutate(request, host, 'pool.evalsets.add', { name: 'my-heldout', file: path.join(data, 'heldout.jsonl') });

  await app.open('#/questions');
  const q = new QuestionsPage(page);
  await q.tab('Decontamination').click();
  const list = page.getByTestId('check-against');
  const heldout = list.getByRole('checkbox', { name: /my-heldout/ });
  await expect(heldout).toBeChecked();
  await expect(list.getByTestId('heldout-sets')).toContainText('Held-out set');
  await expect(list.getByTestId('builtin-benchmarks').getByRole('checkbox')).toHaveCount(8);

  // Register: disabled until a name and a file are given, and it says so.
  const register = page.getByRole('button', { name: 'Register' });
  await expect(register).toBeDisabled();
  const why = 'Give the held-out set a name and choose its file to register it.';
  await expect(register).toHaveAttribute('title', why);
  await expect(page.getByTestId('register-why')).toHaveText(why);
  await page.locator('#evalset-name').fill('other');
  await expect(register).toHaveAttribute('title', why);
  await page.locator('#evalset-file').fill(path.join(data, 'heldout.jsonl'));
  await expect(register).toBeEnabled();
  await expect(page.getByTestId('register-why')).toHaveCount(0);
  await page.locator('#evalset-name').fill('');

  // Only what is ticked is checked: without the held-out set nothing leaks; with it, the tulips do.
  const run = page.getByRole('button', { name: 'Check the pool' });
  await heldout.uncheck();
  await run.click();
  await expect(page.getByTestId('decontam-summary')).toContainText('2 questions checked, 0 flagged');
  await heldout.check();
  await run.click();
  await expect(page.getByTestId('decontam-summary')).toContainText('2 questions checked, 1 flagged');
  await expect(page.getByTestId('flagged').locator('tbody tr')).toContainText('my-heldout #1');

  // Nothing ticked: the check button is disabled and says why.
  for (const box of await list.getByRole('checkbox').all()) await box.uncheck();
  await expect(run).toBeDisabled();
  await expect(run).toHaveAttribute('title', /Tick at least one benchmark or held-out set/);
  await expect(page.getByTestId('run-why')).toContainText('Tick at least one benchmark or held-out set');
  await app.snap(testInfo, 'decontam-heldout-en');

  // One word per concept in Chinese too: 基准测试 (benchmark) and 保留集 (held-out set).
  await app.language('中文').click();
  await expect(list).toContainText('保留集');
  await expect(page.getByTestId('run-why')).toContainText('基准测试');
  await expect(page.locator('main')).not.toContainText('留出集');
  await app.snap(testInfo, 'decontam-heldout-zh');
  await app.language('English').click();
});

import fs from 'node:fs';
import path from 'node:path';
import { expect, mutate, test } from '../fixtures';
import { QuestionsPage } from '../pages/questions';

const DOMAINS = ['algebra', 'geometry', 'number theory', 'combinatorics', 'calculus', 'probability'];

test.describe('Questions step: a 60,000-question pool', () => {
  test('is virtualised: only the visible rows exist, and the last row is reachable', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    test.setTimeout(300_000);
    const dir = uniqueDir('questions-60k');
    const data = uniqueDir('questions-60k-data');
    fs.mkdirSync(data, { recursive: true });
    const lines: string[] = [];
    for (let i = 1; i <= 60_000; i++) {
      lines.push(JSON.stringify({ question: `Question ${i}: find the value of $x$ when ${i} x + ${i % 97} = ${i * 3 + 11} holds, and explain each step (${(i * 7919) % 100003}).`, answer: String(i), domain: DOMAINS[i % DOMAINS.length] }));
    }
    fs.writeFileSync(path.join(data, 'big.jsonl'), lines.join('\n') + '\n');
    await mutate(request, host, 'project.create', { dir, name: 'Big pool' });
    await mutate(request, host, 'pool.import', { file: path.join(data, 'big.jsonl') });

    await app.open('#/questions');
    const q = new QuestionsPage(page);
    await expect(q.total).toContainText('60000 questions match');
    await expect(q.rows().first()).toBeVisible();
    expect(await q.rows().count()).toBeLessThan(80);

    const scroller = page.getByTestId('pool-scroller');
    for (const frac of [0.25, 0.5, 0.75, 1]) {
      await scroller.evaluate((el, f) => {
        el.scrollTop = (el.scrollHeight - el.clientHeight) * f;
      }, frac);
      await expect(q.rows().first()).toBeVisible();
      expect(await q.rows().count()).toBeLessThan(80);
    }
    await expect(q.grid.locator('[data-row-id="60000"]')).toBeVisible();
    await q.grid.locator('[data-row-id="60000"]').click();
    await expect(q.detail).toContainText('Question 60000');
    await page.locator('body').press('k');
    await expect(q.detail).toContainText('Question 59999');
    await app.snap(testInfo, 'questions-pool-60k-en');
  });
});

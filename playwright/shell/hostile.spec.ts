import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, mutate, test, type Host } from '../fixtures';
import type { AppPage } from '../pages/AppPage';
import { QuestionsPage } from '../pages/questions';
import { TracesPage } from '../pages/traces';
import { cli, ReviewPage } from '../review/page';

// `$` + 3,000 nested braces + `$`: KaTeX's parser overflowed the stack on it, React unmounted the whole
// tree and the window went white, in Questions, Traces and Review alike.
const NEST = 3000;
const CRAFTED = `Crafted: $${'{'.repeat(NEST)}x${'}'.repeat(NEST)}$ — do not answer.`;
const RAW_START = `$${'{'.repeat(40)}`;

/** A ShareGPT pool (a trace per question): the crafted question first, then three normal ones. */
function writePool(file: string): void {
  const rows = [CRAFTED, 'Problem 1: what is $3 + 4$?', 'Problem 2: what is $5 + 6$?', 'Problem 3: what is $\\frac{1}{2} + \\frac{1}{2}$?'].map((q, i) =>
    JSON.stringify({
      messages: [
        { role: 'user', content: q },
        // The crafted formula in the thinking too, for Review's typeset preview.
        { role: 'assistant', content: `<think>\nLet me look at it. ${i === 0 ? CRAFTED : `$x_${i} = ${i}$`}\n</think>\nThe answer is \\boxed{${i}}.` },
      ],
      answer: String(i),
      domain: i === 0 ? 'hostile' : 'algebra',
    }),
  );
  fs.writeFileSync(file, rows.join('\n') + '\n');
}

async function seed(request: Parameters<typeof mutate>[0], host: Host, dir: string): Promise<void> {
  await mutate(request, host, 'project.create', { dir, name: 'Hostile e2e' });
  const file = path.join(path.dirname(dir), `${path.basename(dir)}.jsonl`);
  writePool(file);
  const env = { ...process.env, HOME: host.home, DISTILLERY_CONFIG_DIR: process.env.DISTILLERY_E2E_CONFIG ?? '' };
  expect(cli(['import', dir, file, '--json'], env)).toContain('"imported":4');
}

/** A loopback port nobody listens on: bound, then closed, so connecting is refused. */
async function refusedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * The Traces view lists the teacher's attempts (not imported traces): a generation against a teacher that
 * is down leaves one failed attempt per question, each shown with its full question.
 */
async function failedAttempts(host: Host, dir: string): Promise<void> {
  const env = { ...process.env, HOME: host.home, DISTILLERY_CONFIG_DIR: process.env.DISTILLERY_E2E_CONFIG ?? '' };
  cli(['teacher', 'add', dir, '--name', 'down', '--url', `http://127.0.0.1:${await refusedPort()}/v1`, '--model', 'm'], env);
  const g = spawnSync(process.execPath, [path.resolve('bin/distillery.mjs'), 'generate', dir, '--teacher', 'down', '--max-attempts', '1', '--json'], { env, encoding: 'utf8', timeout: 180_000 });
  // Exit 1: every question failed, which is what this test wants.
  expect(g.status, g.stderr).toBe(1);
  expect(g.stdout).toContain('ECONNREFUSED');
}

/** Not blank: the header, the step rail and the step's heading are on screen. */
async function expectShell(app: AppPage, page: Page): Promise<void> {
  // The app's banner (an Attempt card has a <header> of its own).
  await expect(page.getByRole('banner').filter({ hasText: 'Distillery' })).toBeVisible();
  await expect(app.rail).toBeVisible();
  await expect(app.rail.locator('a[data-step]')).toHaveCount(8);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

test.describe('hostile input never blanks the UI', () => {
  test('a question with 3,000 nested braces shows as text with a marker in Questions, Traces and Review, and the next sample is reachable', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    test.setTimeout(180_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const dir = uniqueDir('hostile');
    await seed(request, host, dir);
    await failedAttempts(host, dir);

    // Questions: the detail pane of the crafted question, then the next one with j.
    await app.open('#/questions');
    const q = new QuestionsPage(page);
    await q.row('Crafted').click();
    const question = page.getByTestId('detail-question');
    await expect(question).toContainText(RAW_START);
    await expect(question.getByTestId('math-not-typeset')).toHaveText('formula not typeset: nested deeper than 50 levels');
    await expectShell(app, page);
    await app.snap(testInfo, 'questions-crafted');
    await page.keyboard.press('j');
    await expect(question).toContainText('Problem 1');
    await expect(question.locator('.katex')).toHaveCount(1);

    // The marker follows the language.
    await q.row('Crafted').click();
    await app.language('中文').click();
    await expect(question.getByTestId('math-not-typeset')).toHaveText('公式未排版：嵌套超过 50 层');
    await app.language('English').click();

    // Traces: the crafted question's detail, then the next question with j.
    await app.step('traces').click();
    await app.expectActive('traces');
    const traces = new TracesPage(page);
    await expect(traces.questions).toHaveCount(4);
    await traces.questions.filter({ hasText: 'Crafted' }).click();
    const text = traces.detail.getByTestId('question-text');
    await expect(text).toContainText(RAW_START);
    await expect(text.getByTestId('math-not-typeset')).toBeVisible();
    await expectShell(app, page);
    await app.snap(testInfo, 'traces-crafted');
    await page.keyboard.press('j');
    await expect(text).toContainText('Problem 1');

    // Review: the crafted sample opens first; question and preview show it as text; J / K / A still work.
    await app.step('review').click();
    await app.expectActive('review');
    const rv = new ReviewPage(page);
    await expect(rv.rows).toHaveCount(4);
    const ids = await rv.rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-trace') ?? ''));
    await rv.expectOpen(ids[0]!);
    await expect(page.getByTestId('question')).toContainText(RAW_START);
    await expect(page.getByTestId('question').getByTestId('math-not-typeset')).toBeVisible();
    await expect(page.getByTestId('preview-thinking').getByTestId('math-not-typeset')).toBeVisible();
    await expectShell(app, page);
    await app.snap(testInfo, 'review-crafted');
    await rv.leaveEditor();
    await page.keyboard.press('j');
    await rv.expectOpen(ids[1]!);
    await expect(page.getByTestId('question')).toContainText('Problem 1');
    await rv.leaveEditor();
    await page.keyboard.press('k');
    await rv.expectOpen(ids[0]!);
    await rv.leaveEditor();
    await page.keyboard.press('a');
    await rv.expectOpen(ids[1]!);
    await expect(rv.row(ids[0]!)).toHaveAttribute('data-status', 'accepted');
    expect(errors).toEqual([]);
  });

  test('a sample that cannot be rendered stays in its pane: the sentence, Try again, Next sample and the review keys', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    test.setTimeout(180_000);
    await seed(request, host, uniqueDir('hostile-pane'));
    // A damaged sample as the engine might send it after a bad migration: its domain is an object, which
    // React cannot render (the queue's rows come from another call and stay intact).
    await page.route(/\/api\/trpc\/[^?]*review\.sample/, async (route) => {
      const res = await route.fetch();
      const body = (await res.text()).replace(/"domain":"hostile"/g, '"domain":{"broken":true}');
      await route.fulfill({ response: res, body });
    });
    const logged: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') logged.push(m.text());
    });

    await app.open('#/review');
    const rv = new ReviewPage(page);
    await expect(rv.rows).toHaveCount(4);
    const ids = await rv.rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-trace') ?? ''));
    const failed = page.locator('[data-testid="panel-error"][data-panel="review-sample"]');
    await expect(failed).toContainText(/^This panel could not be shown: .+\. Other panels still work\./);
    await expectShell(app, page);
    await expect(rv.row(ids[0]!)).toBeVisible();
    expect(logged.some((l) => l.includes('"review-sample" panel could not be shown'))).toBe(true);
    await app.snap(testInfo, 'review-pane-failed');

    // Try again fails again (same data), and stays contained.
    await failed.getByRole('button', { name: 'Try again' }).click();
    await expect(failed).toBeVisible();
    // The button moves on; the keys do too.
    await failed.getByRole('button', { name: 'Next sample' }).click();
    await rv.expectOpen(ids[1]!);
    await expect(failed).toHaveCount(0);
    // The keys act on the page, not in the editor that the open sample may have focused.
    await rv.leaveEditor();
    await page.keyboard.press('k');
    await expect(failed).toBeVisible();
    await rv.leaveEditor();
    await page.keyboard.press('j');
    await rv.expectOpen(ids[1]!);
    await page.keyboard.press('j');
    await rv.expectOpen(ids[2]!);
    // Another step and back: the app is whole.
    await app.step('questions').click();
    await app.expectActive('questions');
    await expectShell(app, page);
  });
});

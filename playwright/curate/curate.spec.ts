import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, mutate, test } from '../fixtures';
import { CuratePage } from '../pages/curate';

const CLI = path.resolve('bin/distillery.mjs');
const DOMAINS = ['algebra', 'geometry', 'number theory', 'combinatorics'];

/** 40 ShareGPT conversations whose assistant turns hold <think>…</think> of varied lengths and a \boxed{} answer. */
function writePool(file: string): void {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const a = 3 + i;
    const b = 7 + 2 * i;
    const steps = 2 + ((i * 7) % 23);
    const thinking = Array.from({ length: steps }, (_, k) => `Step ${k + 1}: consider ${a} + ${b} with the partial sum ${a + k} and check case ${k} of problem ${i}.`).join('\n');
    const wrong = i % 9 === 0;
    const answer = wrong ? a + b + 1 : a + b;
    lines.push(
      JSON.stringify({
        messages: [
          { role: 'user', content: `Problem ${i}: what is ${a} + ${b}? Give the exact value.` },
          { role: 'assistant', content: `<think>\n${thinking}\n</think>\nThe sum is \\boxed{${answer}}.` },
        ],
        answer: String(a + b),
        domain: DOMAINS[i % DOMAINS.length],
      }),
    );
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

/** Runs the CLI as a user would; it fails the test with the CLI's own output when it exits non-zero. */
function cli(args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 120_000 });
}

test.describe('Curate step', () => {
  test('without a project, sends the user to the Project step', async ({ app, page }) => {
    await app.open('#/curate');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Curate');
    await page.getByRole('button', { name: 'Go to Project' }).click();
    await app.expectActive('project');
  });

  test('runs a curation, moves a knob, pins a dropped question, freezes the selection', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    test.setTimeout(240_000);
    const dir = uniqueDir('curate');
    await mutate(request, host, 'project.create', { dir, name: 'Curate e2e' });
    const file = path.join(path.dirname(dir), `${path.basename(dir)}.jsonl`);
    writePool(file);
    const env = { ...process.env, HOME: host.home, DISTILLERY_CONFIG_DIR: process.env.DISTILLERY_E2E_CONFIG ?? '' };
    expect(cli(['import', dir, file, '--json'], env)).toContain('40');
    cli(['verify', dir, '--json'], env);

    await app.open('#/curate');
    await app.expectActive('curate');
    const cur = new CuratePage(page);
    await expect(cur.out('pool')).toHaveText('40');
    await cur.target.fill('12');
    await expect(cur.previewSelected).toHaveText('12 selected');
    await cur.run.click();
    await expect(page.getByTestId('run-msg')).toContainText('Run #1 stored: 12 selected.');
    await expect(cur.runs).toHaveCount(1);
    await expect(cur.rows.first()).toBeVisible();
    await app.snap(testInfo, 'curate-run-en');

    // A knob moves the live preview: a minimum thinking length drops the short traces at the quality stage.
    const qualityBefore = Number(await cur.out('quality').textContent());
    await cur.minLength.fill('1200');
    await expect(cur.out('quality')).not.toHaveText(String(qualityBefore));
    const qualityAfter = Number(await cur.out('quality').textContent());
    expect(qualityAfter).toBeLessThan(qualityBefore);
    await expect(page.getByTestId('dropped-rules')).toContainText('thinking length');
    await cur.minLength.fill('0');
    await expect(cur.out('quality')).toHaveText(String(qualityBefore));

    // Pin a question the run dropped (not sampled); Why? explains it, the next run keeps it with a pinned badge.
    await cur.keptFilter.selectOption('dropped');
    await cur.stageFilter.selectOption('diversity');
    const first = cur.rows.first();
    await expect(first).toBeVisible();
    const qid = Number(await first.getAttribute('data-question'));
    await first.focus();
    await page.keyboard.press('Enter');
    await expect(cur.explain).toContainText(`Why question ${qid}?`);
    await expect(page.getByTestId('explain-reason')).toContainText('not drawn before the target of 12');
    await first.focus();
    await page.keyboard.press('p');
    await expect(cur.row(qid).getByTestId('pinned-badge')).toBeVisible();
    await cur.run.click();
    await expect(page.getByTestId('run-msg')).toContainText('Run #2 stored: 12 selected.');
    await expect(cur.runs).toHaveCount(2);
    await cur.keptFilter.selectOption('kept');
    await cur.stageFilter.selectOption('pin');
    await expect(cur.row(qid)).toBeVisible();
    await expect(cur.row(qid).getByTestId('decision')).toHaveText('Kept');
    await expect(cur.row(qid).getByTestId('pinned-badge')).toBeVisible();
    await expect(cur.row(qid).getByTestId('reason')).toContainText('Pinned by you');
    await expect(page.getByTestId('compare')).toContainText('From run #1 to run #2');
    await app.snap(testInfo, 'curate-pinned-en');

    // Freeze run #2 with a confirmation that names it; the dashboard's "selected" equals the run's count.
    await page.getByRole('button', { name: 'Freeze as selection' }).click();
    await expect(page.getByRole('alertdialog')).toContainText('Freeze run #2 (12 questions)');
    await page.getByRole('button', { name: 'Freeze run #2' }).click();
    await expect(page.getByTestId('frozen-msg')).toContainText('Run #2 frozen: 12 questions selected (1 pinned).');
    await expect(page.locator('[data-run="2"]').getByTestId('frozen-badge')).toBeVisible();

    await app.language('中文').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('筛选');
    await expect(cur.previewSelected).toHaveText('已选 12');
    await app.snap(testInfo, 'curate-zh');
    await app.language('English').click();

    await app.step('project').click();
    await expect(page.getByTestId('count-selected-value')).toHaveText('12');
  });
});

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, mutate, test } from '../fixtures';
import { EvaluatePage } from './page';

const PYTHON = path.resolve('.venv', 'bin', 'python');
const HAS_PYTHON = fs.existsSync(PYTHON);
// The worker's tiny random Qwen2 model, built once per machine (the vitest suite and the Train spec share the cache).
const MODEL = process.env.DISTILLERY_TINY_MODEL ?? path.join(os.tmpdir(), 'distillery-tiny-qwen2-seed0');

function buildTinyModel(): void {
  if (fs.existsSync(path.join(MODEL, 'model.safetensors')) && fs.existsSync(path.join(MODEL, 'tokenizer.json'))) return;
  const tmp = `${MODEL}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  execFileSync(PYTHON, ['-m', 'distillery_worker', 'tiny-model', '--out', tmp], { env: { ...process.env, HF_HUB_OFFLINE: '1' }, stdio: 'ignore', timeout: 600_000 });
  try {
    fs.renameSync(tmp, MODEL);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** How many pixels of the chart's canvas uPlot has painted (not transparent). */
async function paintedPixels(page: Page): Promise<number> {
  return page.getByTestId('scaling-chart').locator('canvas').evaluate((el) => {
    // The callback runs in the page; the Node typings here do not know the canvas.
    const c = el as unknown as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
    const ctx = c.getContext('2d');
    if (!ctx) return 0;
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if ((px[i] ?? 0) > 0) n++;
    return n;
  });
}

test.describe('Evaluate step', () => {
  test('without a project, sends the user to the Project step', async ({ app, page }) => {
    await app.open('#/evaluate');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Evaluate');
    await page.getByRole('button', { name: 'Go to Project' }).click();
    await app.expectActive('project');
  });

  test('imports a benchmark file and shows every rejected row', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    const dir = uniqueDir('eval-import');
    await mutate(request, host, 'project.create', { dir, name: 'Eval import' });
    const file = path.join(dir, 'mine.jsonl');
    fs.writeFileSync(
      file,
      [
        JSON.stringify({ question: 'What is $2+3$?', answer: '5' }),
        '{not json',
        JSON.stringify({ question: 'What is 7*6?' }),
        JSON.stringify({ question: 'Compute 10/4.', answer: '\\frac{5}{2}' }),
      ].join('\n') + '\n',
    );
    await app.open('#/evaluate');
    const ev = new EvaluatePage(page);
    await ev.importBench(file, 'mine');
    const result = page.getByTestId('bench-import-result');
    await expect(result).toContainText('4 rows read, 2 accepted, 2 rejected');
    const rejected = page.getByTestId('bench-rejected').locator('tbody tr');
    await expect(rejected).toHaveCount(2);
    await expect(rejected.nth(0).locator('td').first()).toHaveText('2');
    await expect(rejected.nth(1).locator('td').first()).toHaveText('3');
    await expect(rejected.nth(1)).toContainText('missing reference answer');
    // Issue 19 §11: in 中文 the reasons are Chinese (a code the UI translates), not the engine's English
    await app.language('中文').click();
    await expect(rejected.nth(1)).toContainText('缺少参考答案');
    await expect(rejected.nth(0)).toContainText('JSON 无效');
    await app.language('English').click();
    // the imported set is listed (and ticked) with its two questions
    const option = page.locator('[data-testid="bench-option"][data-id="imported:mine"]');
    await expect(option).toContainText('2 questions');
    await expect(option.getByRole('checkbox')).toBeChecked();
    await app.snap(testInfo, 'evaluate-import');

    // The step's shortcuts are listed in the help overlay.
    await page.getByRole('button', { name: 'Import', exact: true }).blur();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toContainText('Evaluate: export the HTML report');
    await expect(help).toContainText('Evaluate: next / previous question of the drill-down');
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();
  });

  test.describe('with the Python worker', () => {
    test.skip(!HAS_PYTHON, `No Python environment at ${PYTHON}: run "npm run setup:python" to serve the tiny model.`);
    test.beforeAll(() => {
      test.setTimeout(900_000);
      buildTinyModel();
    });

    test('evaluates the tiny model on ten AIME 2024 problems at two budgets and draws the scaling plot', async ({ app, page, request, host, uniqueDir }, testInfo) => {
      test.setTimeout(900_000);
      const dir = uniqueDir('evaluate');
      await mutate(request, host, 'project.create', { dir, name: 'Evaluate e2e' });
      await app.open('#/evaluate');
      await app.expectActive('evaluate');
      const ev = new EvaluatePage(page);

      // The tiny model as a folder Distillery serves on loopback (transformers serve), labelled "tiny".
      await ev.addFolder(MODEL, 'tiny');
      const option = ev.modelOption(`dir:${MODEL}`);
      await expect(option).toBeVisible();
      await expect(option.getByRole('checkbox')).toBeChecked();
      await expect(option).toContainText('Model folder');

      // AIME 2024, the first ten problems, thinking budgets 16 and 32, short answers.
      await ev.bench('builtin:aime24').getByRole('checkbox').check();
      await expect(ev.bench('builtin:aime24')).toContainText('30 questions');
      await ev.maxThinking.fill('32, 16');
      await expect(page.getByTestId('eval-budget-count')).toContainText('2 budgets');
      await ev.limit.fill('10');
      await page.locator('summary', { hasText: 'More settings' }).click();
      await page.locator('#eval-max-answer').fill('8');
      await expect(page.getByTestId('eval-summary')).toHaveText('1 models × 1 benchmarks × 2 budgets');
      await app.snap(testInfo, 'evaluate-setup');
      await ev.start.click();

      // Live progress until all 20 generations are done (the server starts first).
      await expect(ev.progress).toBeVisible({ timeout: 30_000 });
      await expect(ev.bar).toHaveAttribute('aria-valuenow', '100', { timeout: 600_000 });
      await expect(ev.progress).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
      await expect(page.getByTestId('eval-done')).toHaveText('20 / 20');

      // The scaling plot: one line (the tiny model) with a point per budget, painted on the canvas.
      const series = page.getByTestId('scaling-series');
      await expect(series).toHaveCount(1);
      await expect(series.first()).toHaveAttribute('data-label', 'tiny');
      await expect(series.first()).toHaveAttribute('data-points', '2');
      await expect(series.first()).toContainText('≤ 16 thinking');
      await expect(series.first()).toContainText('≤ 32 thinking');
      await expect(page.getByTestId('scaling-chart').locator('canvas')).toHaveCount(1);
      await expect.poll(() => paintedPixels(page)).toBeGreaterThan(500);

      // The table: two budgets of the tiny model on AIME 2024, ten questions each, thinking never over the budget.
      const table = page.locator('[data-testid="bench-table"][data-benchmark="builtin:aime24"]');
      await expect(table).toHaveAttribute('data-budgets', '2');
      const rows = table.getByTestId('cell-row');
      await expect(rows).toHaveCount(2);
      for (const [i, budget] of [16, 32].entries()) {
        const row = rows.nth(i);
        await expect(row).toHaveAttribute('data-budget', String(budget));
        await expect(row.getByTestId('cell-n')).toHaveText('10');
        await expect(row.getByTestId('cell-accuracy')).toHaveText(/^\d+\.\d%$/);
        const avg = Number(await row.getByTestId('cell-thinking').textContent());
        expect(avg).toBeGreaterThan(0);
        expect(avg).toBeLessThanOrEqual(budget);
      }

      // Latency of the tiny model on this machine.
      const latency = page.locator('[data-testid="latency-row"][data-model="tiny"]');
      await expect(latency.getByTestId('latency-ttft50')).toHaveText(/\d+ (ms|s)/);
      await expect(latency.getByTestId('latency-tps')).toHaveText(/^\d+\.\d$/);
      await page.getByTestId('scaling-chart').scrollIntoViewIfNeeded();
      await app.snap(testInfo, 'evaluate-done');
      const shot = testInfo.outputPath('evaluate-plot.png');
      await page.getByRole('region', { name: 'Test-time scaling' }).screenshot({ path: shot });
      await testInfo.attach('evaluate-plot', { path: shot, contentType: 'image/png' });

      // Drill-down: 20 question rows (10 × 2 budgets); one opened shows its thinking and answer apart.
      await expect(page.getByTestId('drill-count')).toContainText('of 20');
      await page.locator('#drill-budget').selectOption({ label: '≤ 16 thinking' });
      await expect(page.getByTestId('drill-count')).toContainText('of 10');
      await page.locator('#drill-budget').blur();
      await page.keyboard.press('j');
      await expect(page.getByTestId('drill-question').nth(1)).toHaveAttribute('aria-current', 'true');
      await page.keyboard.press('o');
      const detail = page.getByTestId('drill-detail');
      await expect(detail).toBeVisible();
      await expect(detail.getByTestId('sample')).toHaveCount(1);
      await expect(detail.getByTestId('sample-thinking')).toBeVisible();
      await expect(detail.getByTestId('sample-answer')).toBeVisible();
      await expect(detail.getByTestId('verdict')).toHaveAttribute('data-verdict', /correct|wrong|undecided/);

      // Export: HTML and JSON, the path shown and the files on disk.
      // `e` exports the HTML report (the shortcut of the Export HTML button).
      await page.keyboard.press('e');
      await expect(page.getByTestId('eval-export-path')).toContainText('report.html');
      const htmlPath = (await page.getByTestId('eval-export-path').locator('span').textContent()) ?? '';
      expect(fs.readFileSync(htmlPath, 'utf8')).toContain('<html');
      await page.getByRole('button', { name: 'Export JSON' }).click();
      await expect(page.getByTestId('eval-export-path')).toContainText('report.json');
      const jsonPath = (await page.getByTestId('eval-export-path').locator('span').textContent()) ?? '';
      const report = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as unknown;
      expect(JSON.stringify(report)).toContain('tiny');

      // Past runs: this one, done.
      await expect(page.getByTestId('eval-run-row')).toHaveCount(1);
      await expect(page.getByTestId('eval-run-row').first()).toContainText('done');

      // Playground: the same model, a short budget; thinking and answer apart, TTFT and tokens/s shown.
      await page.getByRole('tab', { name: 'Playground' }).click();
      await page.getByTestId('pg-model-option').filter({ hasText: 'tiny' }).getByRole('radio').check();
      await page.locator('#pg-maxThinking').fill('8');
      await page.locator('#pg-maxAnswer').fill('8');
      await page.locator('#pg-input').fill('What is 1 + 1?');
      await page.keyboard.press('Control+Enter');
      const turn = page.getByTestId('pg-turn').first();
      await expect(turn).toHaveAttribute('data-done', 'yes', { timeout: 120_000 });
      await expect(turn.getByTestId('pg-thinking')).toBeVisible();
      await expect(turn.getByTestId('pg-answer')).toBeVisible();
      await expect(turn.getByTestId('pg-ttft')).toHaveText(/\d+ (ms|s)/);
      await expect(turn.getByTestId('pg-tps')).toHaveText(/^\d+\.\d$/);
      // the thinking budget holds: never more than 8 thinking tokens
      const thought = Number(await turn.getByTestId('pg-thinking-tokens').getAttribute('data-n'));
      expect(thought).toBeGreaterThan(0);
      expect(thought).toBeLessThanOrEqual(8);
      await expect(turn.getByTestId('pg-thinking-tokens')).toHaveText(`${thought} thinking tokens`);
      await app.snap(testInfo, 'evaluate-playground');

      // Chinese.
      await app.language('中文').click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('评测');
      await page.getByRole('tab', { name: '评测' }).click();
      await expect(page.getByRole('heading', { name: '测试时扩展' })).toBeVisible();
      await expect(page.getByRole('heading', { name: '本机延迟' })).toBeVisible();
      await page.getByRole('heading', { name: '测试时扩展' }).scrollIntoViewIfNeeded();
      await app.snap(testInfo, 'evaluate-zh');
      await app.language('English').click();
    });
  });
});

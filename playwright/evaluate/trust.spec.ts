import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startCompletionsServer, type CompletionCall, type CompletionsServer } from '../../electron/core/eval/testing/completions-server';
import { builtinDir } from '../../electron/core/eval/benchmarks';
import { loadTokenizerFile } from '../../electron/core/tokens';
import { hasPython, tinyModel } from '../../electron/core/train/testing';
import { expect, mutate, test } from '../fixtures';
import { EvaluatePage } from './page';

const BENCH = path.join(builtinDir() ?? '', 'math500.jsonl');
const N = 20;

/** How many pixels of the chart's canvas uPlot has painted in one colour (the whiskers and line of a series). */
async function paintedIn(page: Page, rgb: [number, number, number]): Promise<number> {
  return page.getByTestId('scaling-chart').locator('canvas').evaluate((el, [r, g, b]) => {
    const c = el as unknown as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
    const px = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    if (px) for (let i = 0; i < px.length; i += 4) if (px[i] === r && px[i + 1] === g && px[i + 2] === b && (px[i + 3] ?? 0) > 200) n++;
    return n;
  }, rgb);
}

/**
 * Repeats, intervals and the paired comparison in the Evaluate step, on two scripted models that answer with
 * the tiny model's real tokenizer: "strong" misses every fourth question with an even seed and every third
 * with an odd one; "weak" answers exactly the others, so the two repeats differ and strong is clearly ahead.
 */
test.describe('Evaluate: repeats with intervals and a paired comparison', () => {
  test.skip(!hasPython() || !fs.existsSync(BENCH), 'Needs the Python environment (the tiny model’s tokenizer) and shared/data/benchmarks.');
  const servers: CompletionsServer[] = [];
  let modelDir = '';

  test.beforeAll(async () => {
    test.setTimeout(600_000);
    modelDir = tinyModel();
    const tok = loadTokenizerFile(path.join(modelDir, 'tokenizer.json'));
    const qs = fs.readFileSync(BENCH, 'utf8').trim().split('\n').slice(0, N).map((l) => JSON.parse(l) as { problem: string; answer: string });
    const strongRight = (i: number, s: number) => (s % 2 === 0 ? i % 4 !== 0 : i % 3 !== 0);
    const script = (right: (i: number, s: number) => boolean) => (c: CompletionCall) => {
      const i = qs.findIndex((q) => c.prompt.includes(q.problem));
      if (c.prompt.lastIndexOf('</think>') < c.prompt.lastIndexOf('<think>')) return 'I add the parts and check.\n</think>';
      return `\n\nThe answer is \\boxed{${right(i, c.seed ?? 0) ? qs[i]!.answer : '-31337'}}.`;
    };
    servers.push(await startCompletionsServer(tok, script(strongRight)));
    servers.push(await startCompletionsServer(tok, script((i, s) => !strongRight(i, s))));
  });

  test.afterAll(async () => {
    for (const s of servers) await s.close();
  });

  test('Repeats 2: intervals in the table and on the plot, the comparison says significant, in English and Chinese', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    test.setTimeout(300_000);
    await mutate(request, host, 'project.create', { dir: uniqueDir('eval-trust'), name: 'Eval trust' });
    // A teacher whose model name is a folder has its tokenizer and template there (the tiny model's).
    await mutate(request, host, 'teacher.save', { name: 'strong', baseUrls: [servers[0]!.url], model: modelDir });
    await mutate(request, host, 'teacher.save', { name: 'weak', baseUrls: [servers[1]!.url], model: modelDir });
    await app.open('#/evaluate');
    const ev = new EvaluatePage(page);
    for (const m of ['strong', 'weak']) await ev.modelOption(`teacher:${m}`).getByRole('checkbox').check();
    await ev.bench('builtin:math500').getByRole('checkbox').check();
    await ev.maxThinking.fill('16');
    await ev.limit.fill(String(N));
    await page.locator('#eval-repeats').fill('2');
    await ev.start.click();
    await expect(ev.progress).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
    await expect(page.getByTestId('eval-done')).toHaveText(`${2 * N * 2} / ${2 * N * 2}`);

    // The table: the mean, its interval and each repeat, pass@k from the 2 samples every question has.
    const row = (m: string) => page.locator(`[data-testid="cell-row"][data-model="${m}"]`);
    await expect(row('strong').getByTestId('cell-accuracy')).toHaveText('70.0%');
    await expect(row('strong').getByTestId('cell-accuracy-ci')).toHaveText(/^\d+\.\d–\d+\.\d%$/);
    await expect(row('strong').getByTestId('cell-repeats')).toHaveText('75.0% · 65.0%');
    await expect(row('weak').getByTestId('cell-repeats')).toHaveText('25.0% · 35.0%');
    await expect(row('strong').getByTestId('cell-passk')).toHaveText(/^@2 \d+\.\d%$/);
    const [lo, hi] = ((await row('strong').getByTestId('cell-accuracy-ci').textContent()) ?? '').replace('%', '').split('–').map(Number);
    expect(lo).toBeLessThan(70);
    expect(hi).toBeGreaterThan(70);

    // The plot: the legend gives each point's interval, and the whiskers are painted in the series' colours.
    await expect(page.getByTestId('scaling-series').first()).toContainText(/\(95% \d+%–\d+%\)/);
    await expect(page.getByTestId('scaling-chart')).toHaveAttribute('data-whiskers', '2');
    await expect.poll(() => paintedIn(page, [0x4f, 0x46, 0xe5])).toBeGreaterThan(20);
    await expect.poll(() => paintedIn(page, [0x05, 0x96, 0x69])).toBeGreaterThan(20);

    // The comparison: strong − weak on the same 20 questions.
    const cmp = page.getByTestId('eval-compare');
    const item = cmp.getByTestId('compare-row');
    await expect(item).toHaveCount(1);
    await expect(item).toHaveAttribute('data-significant', 'yes');
    await expect(item.getByTestId('compare-diff')).toHaveText('+40.0 points');
    await expect(item.getByTestId('compare-verdict')).toHaveText('Significant: strong is ahead; the interval leaves out 0.');
    await cmp.locator('#eval-compare-a').selectOption('weak');
    await expect(cmp).toContainText('Choose two different models.');
    await cmp.locator('#eval-compare-b').selectOption('strong');
    await expect(item.getByTestId('compare-diff')).toHaveText('−40.0 points');
    await expect(item.getByTestId('compare-verdict')).toHaveText('Significant: strong is ahead; the interval leaves out 0.');
    await cmp.scrollIntoViewIfNeeded();
    await app.snap(testInfo, 'evaluate-compare');

    // The JSON report pins the settings and holds the comparison.
    await page.getByRole('button', { name: 'Export JSON' }).click();
    await expect(page.getByTestId('eval-export-path')).toContainText('report.json');
    const report = JSON.parse(fs.readFileSync((await page.getByTestId('eval-export-path').locator('span').textContent()) ?? '', 'utf8')) as {
      comparisons: { a: string; significant: boolean }[];
      pins: { sampling: { repeats: number }; checker: { version: string } };
    };
    expect(report.comparisons).toEqual([expect.objectContaining({ a: 'strong', significant: true })]);
    expect(report.pins.sampling.repeats).toBe(2);

    await app.language('中文').click();
    await expect(page.getByRole('heading', { name: '比较两个模型' })).toBeVisible();
    await expect(item.getByTestId('compare-verdict')).toHaveText('显著：strong 领先；区间不包含 0。');
    await expect(page.locator('th', { hasText: '95% 区间' }).first()).toBeVisible();
    await app.snap(testInfo, 'evaluate-compare-zh');
    await app.language('English').click();
  });
});

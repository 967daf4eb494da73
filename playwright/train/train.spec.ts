import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, mutate, test } from '../fixtures';
import { TrainPage } from '../pages/train';

const PYTHON = path.resolve('.venv', 'bin', 'python');
const HAS_PYTHON = fs.existsSync(PYTHON);
// The worker's tiny random Qwen2 model, built once per machine (the vitest suite shares the cache).
const MODEL = process.env.DISTILLERY_TINY_MODEL ?? path.join(os.tmpdir(), 'distillery-tiny-qwen2-v2');

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

/** An export-shaped folder: train.jsonl of {"messages"} whose assistant turns hold <think>…</think>. */
function writeDataset(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const rows = Array.from({ length: 8 }, (_, i) =>
    JSON.stringify({
      messages: [
        { role: 'user', content: `What is ${i} + ${i + 3}?` },
        { role: 'assistant', content: `<think>\nAdd ${i} and ${i + 3}; the sum is ${2 * i + 3}.\n</think>\n\nThe answer is ${2 * i + 3}.` },
      ],
    }),
  );
  fs.writeFileSync(path.join(dir, 'train.jsonl'), `${rows.join('\n')}\n`);
}

test.describe('Train step', () => {
  test('without a project, sends the user to the Project step', async ({ app, page }) => {
    await app.open('#/train');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Train');
    await page.getByRole('button', { name: 'Go to Project' }).click();
    await app.expectActive('project');
  });

  test.describe('with the Python worker', () => {
    test.skip(!HAS_PYTHON, `No Python environment at ${PYTHON}: run "npm run setup:python" to train from the Train view.`);
    test.beforeAll(() => {
      test.setTimeout(900_000);
      buildTinyModel();
    });

    test('launches a tiny run, sees the planner say it fits, and watches the loss chart grow until done', async ({ app, page, request, host, uniqueDir }, testInfo) => {
      test.setTimeout(900_000);
      const dir = uniqueDir('train');
      await mutate(request, host, 'project.create', { dir, name: 'Train e2e' });
      const dataset = path.join(dir, 'artifacts', 'exports', 'tiny');
      writeDataset(dataset);

      await app.open('#/train');
      await app.expectActive('train');
      const tr = new TrainPage(page);
      // the project's export is offered; picking it fills the dataset field
      await page.getByRole('button', { name: 'tiny (8)' }).click();
      await expect(tr.dataset).toHaveValue(dataset);
      await expect(tr.datasetInfo).toContainText('8 training rows');
      await tr.base.fill(MODEL);
      await expect(tr.modelInfo).toHaveAttribute('data-ok', 'yes', { timeout: 30_000 });
      await expect(tr.modelInfo).toContainText('Qwen2ForCausalLM');
      await expect(tr.modelInfo).toContainText('tokenizer ok');

      // a CPU-friendly LoRA recipe
      await tr.preset.selectOption('lora');
      await tr.fill(tr.learningRate, '0.001');
      await tr.fill(tr.epochs, 50);
      await tr.fill(tr.batch, 1);
      await tr.fill(tr.maxLength, 128);
      await tr.fill(tr.microBatch, 1);
      await tr.fill(tr.gpus, 1);
      await tr.fill(tr.gpuMemory, 8);
      await tr.fill(tr.maxSteps, 6);
      await tr.checkpointing.uncheck();
      await expect(tr.verdict).toHaveAttribute('data-fits', 'yes', { timeout: 30_000 });
      await expect(tr.verdict).toContainText(/Fits: about [\d.]+ GiB per GPU of 8 GiB/);

      // The run view refreshes on the job's progress events (renderer/api/useJobProgress.ts), not on a timer:
      // never more often than the 1 s poll it replaced, and not at all while the worker is quiet (starting up).
      const detailCalls: number[] = [];
      page.on('request', (r) => {
        if (/[/,]train\.run(?=[,?]|$)/.test(new URL(r.url()).pathname)) detailCalls.push(Date.now());
      });
      const launched = Date.now();
      await tr.launch.click();
      await expect(tr.runStatus).toBeVisible();
      // the loss chart gains points as steps arrive (the view refetches the run on the job's progress events)
      const seen = new Set<number>();
      await expect
        .poll(
          async () => {
            seen.add(await tr.lossPoints());
            return tr.runStatus.getAttribute('data-status');
          },
          { timeout: 600_000, intervals: [500] },
        )
        .toBe('done');
      const seconds = (Date.now() - launched) / 1000;
      testInfo.annotations.push({ type: 'run detail requests', description: `${detailCalls.length} in ${seconds.toFixed(1)} s (1 s polling: about ${Math.round(seconds)})` });
      expect(detailCalls.length, `train.run requests in ${seconds.toFixed(1)} s`).toBeGreaterThanOrEqual(2);
      expect(detailCalls.length, `train.run requests in ${seconds.toFixed(1)} s`).toBeLessThan(seconds);
      await expect.poll(() => tr.lossPoints(), { timeout: 10_000 }).toBe(6);
      seen.add(6);
      const counts = [...seen].sort((a, b) => a - b);
      expect(counts.length, `plotted step counts seen: ${counts.join(', ')}`).toBeGreaterThanOrEqual(2);
      expect(counts[counts.length - 1]).toBe(6);
      await expect(tr.chartPoints).toContainText('6 steps');
      await expect(page.getByTestId('checkpoints')).toBeVisible();
      await expect(tr.log).not.toHaveText('');
      await expect(tr.runs).toHaveCount(1);
      await expect(tr.runs.first()).toContainText('done');
      // The runs table has headers; the log shows transformers' metric dicts as named values.
      for (const h of ['Run', 'Method', 'Status', 'Step', 'Loss']) await expect(page.getByRole('columnheader', { name: h, exact: true })).toBeVisible();
      await expect(tr.log).not.toContainText("{'loss'");
      // the user's GPU settings survive the environment check answering late
      await expect(tr.gpuMemory).toHaveValue('8');
      await tr.lossChart.scrollIntoViewIfNeeded();
      await app.snap(testInfo, 'train-done');
      const shot = testInfo.outputPath('train-run.png');
      await page.getByRole('region', { name: /^Run / }).screenshot({ path: shot });
      await testInfo.attach('train-run', { path: shot, contentType: 'image/png' });

      const events = fs.readFileSync(path.join(dir, 'artifacts', 'runs', (await tr.runs.first().getAttribute('data-run')) ?? '', 'events.jsonl'), 'utf8');
      expect(events).toContain('"event":"done"');
    });
  });
});

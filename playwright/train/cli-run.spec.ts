import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { builtinDir } from '../../electron/core/eval/benchmarks';
import { startCompletionsServer, type CompletionsServer } from '../../electron/core/eval/testing/completions-server';
import { loadTokenizerFile } from '../../electron/core/tokens';
import { hasPython, tinyDataset, tinyModel } from '../../electron/core/train/testing';
import { expect, mutate, test } from '../fixtures';
import { TrainPage } from '../pages/train';

const run = promisify(execFile);
const BIN = path.resolve('bin', 'distillery.mjs');
const BENCH = path.join(builtinDir() ?? '', 'math500.jsonl');

/** `node bin/distillery.mjs …` as a user types it, with the host's config folder. */
async function distillery(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [BIN, ...args], {
    env: { ...process.env, DISTILLERY_CONFIG_DIR: process.env.DISTILLERY_E2E_CONFIG, HF_HUB_OFFLINE: '1' },
    timeout: 600_000,
    maxBuffer: 16 << 20,
  });
}

/**
 * Issue 16: the CLI is a host of the same engine, so a training run and an evaluation started from the
 * command line are the records the Train and Evaluate steps list. The CLI runs first, on a closed project;
 * the browser-mode host opens it afterwards.
 */
test.describe('CLI runs in the UI', () => {
  test.skip(!hasPython() || !fs.existsSync(BENCH), 'Needs the Python environment (npm run setup:python) and shared/data/benchmarks.');
  let server: CompletionsServer | undefined;
  let model = '';

  test.beforeAll(async () => {
    test.setTimeout(900_000);
    model = tinyModel();
    const tok = loadTokenizerFile(path.join(model, 'tokenizer.json'));
    // a scripted model with the tiny model's tokenizer: a short thought, then a boxed answer
    server = await startCompletionsServer(tok, (c) => (c.prompt.lastIndexOf('</think>') < c.prompt.lastIndexOf('<think>') ? 'Add and check.\n</think>' : '\n\nThe answer is \\boxed{1}.'));
  });

  test.afterAll(async () => {
    await server?.close();
  });

  test('a run from `distillery train` is in the Train history and an evaluation from `distillery eval` in Evaluate, with their status', async ({ app, page, request, host, uniqueDir }) => {
    test.setTimeout(900_000);
    const dir = uniqueDir('cli-run');
    await mutate(request, host, 'project.create', { dir, name: 'CLI runs' });
    await mutate(request, host, 'teacher.save', { name: 'scripted', baseUrls: [server!.url], model });
    await mutate(request, host, 'project.close');

    const dataset = tinyDataset(path.join(dir, 'artifacts', 'exports', 'tiny'), 4);
    const recipe = path.join(dir, 'recipe.json');
    fs.writeFileSync(recipe, JSON.stringify({ preset: 'lora', learning_rate: 1e-3, batch_size: 2, micro_batch_size: 2, max_length: 96, gradient_checkpointing: false, save_steps: 1000 }));
    const train = await distillery('train', dir, '--base', model, '--dataset', dataset, '--recipe', recipe, '--gpus', '1', '--gpu-memory-gib', '8', '--max-steps', '2', '--json');
    const trained = JSON.parse(train.stdout.trim()) as { run: string; status: string; step: number };
    expect(trained).toMatchObject({ status: 'done', step: 2 });
    expect(train.stderr).toMatch(/^step 2\/2 .* loss \d/m);

    const evaluation = await distillery('eval', dir, '--model', 'scripted', '--bench', 'math500', '--limit', '2', '--max-thinking', '24', '--name', 'from the CLI', '--json');
    const evaluated = JSON.parse(evaluation.stdout.trim().split('\n').at(-1) ?? '') as { run: string; status: string };
    expect(evaluated.status).toBe('done');

    await mutate(request, host, 'project.open', { dir });
    await app.open('#/train');
    await app.expectActive('train');
    const row = page.locator(`[data-testid="train-run-row"][data-run="${trained.run}"]`);
    await expect(row).toBeVisible();
    await expect(row).toContainText('done');
    await expect(row).toContainText('2/2');
    await expect(row).toContainText('lora');

    // issue 17: the view's plan says what the CLI warned about: 4 examples and s1's batch of 16 make one step per epoch
    const tr = new TrainPage(page);
    await page.getByRole('button', { name: 'tiny (4)' }).click();
    await tr.base.fill(model);
    await tr.preset.selectOption('s1');
    await expect(tr.verdict).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('plan-batch')).toHaveText(
      '4 examples with an effective batch of 16 (micro-batch × accumulation × GPUs) make 1 optimizer step per epoch; lower the batch or add examples.',
    );
    await tr.fill(tr.batch, 4);
    await expect(page.getByTestId('plan-batch')).toHaveCount(0);

    await app.open('#/evaluate');
    await app.expectActive('evaluate');
    const evalRow = page.locator(`[data-testid="eval-run-row"][data-run="${evaluated.run}"]`);
    await expect(evalRow).toBeVisible();
    await expect(evalRow).toContainText('from the CLI');
    await expect(evalRow).toContainText('done');
    await expect(evalRow).toContainText('2/2');
  });
});
